"""Property tests of the call-next policy, driven through the real engine.

Random days of issues, calls, starts, finishes, no-shows, holds and transfers; after each
step the invariants must hold, and at the end every waiting ticket gets called.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from queue_engine.adapters.memory_store import MemoryStore
from queue_engine.domain import commands as c
from queue_engine.domain.model import (
    CounterStatus,
    PriorityClass,
    Ticket,
    TicketKind,
    TicketStatus,
)
from queue_engine.domain.policy import eligible, fifo_key
from queue_engine.service.engine import Engine
from tests.sites import Desk, local, make_site

WALK_IN_SERVICES = ["quick", "passport", "eid", "births", "childcare"]
COUNTERS = ["c1", "c2", "c3", "c4"]

ops = st.one_of(
    st.tuples(
        st.just("issue"),
        st.sampled_from(WALK_IN_SERVICES),
        st.sampled_from([PriorityClass.NORMAL, PriorityClass.NORMAL, PriorityClass.PRIORITY]),
    ),
    st.tuples(st.just("call"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("call"), st.sampled_from(["c2", "c3"])),
    st.tuples(
        st.just("issue"),
        st.sampled_from(["passport", "eid"]),
        st.sampled_from([PriorityClass.NORMAL, PriorityClass.PRIORITY]),
    ),
    st.tuples(st.just("start"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("finish"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("no_show"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("hold"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("transfer"), st.sampled_from(COUNTERS), st.sampled_from(WALK_IN_SERVICES)),
    st.tuples(st.just("pause"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("open"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("wait"), st.integers(min_value=0, max_value=15)),
)


@dataclass
class Watch:
    """What the properties need to remember across steps."""

    #: Per counter: priority calls since the last normal call, while a normal ticket waited.
    overtakes: dict[str, int] = field(default_factory=dict)
    worst_overtake: int = 0


def _check_counters(desk: Desk) -> None:
    """A ticket is never with two counters, and a counter's ticket is really with it."""
    state = desk.engine.state
    held = [cs.ticket_id for cs in state.counters.values() if cs.ticket_id is not None]
    assert len(held) == len(set(held)), "a ticket is with two counters"
    for cs in state.counters.values():
        if cs.ticket_id is not None:
            ticket = state.tickets[cs.ticket_id]
            assert ticket.counter_id == cs.counter_id
            assert ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING)
    for ticket in state.active():
        if ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING):
            assert state.counters[ticket.counter_id or ""].ticket_id == ticket.id


def _check_call(
    desk: Desk, before: list[Ticket], counter_id: str, called: dict, watch: Watch
) -> None:
    """FIFO within service and class, and the ratio's bound on overtaking normal tickets."""
    counter = desk.engine.site.counters[counter_id]
    chosen = next(t for t in before if t.id == called.id)
    mine = [t for t in before if eligible(t, counter) and t.kind is TicketKind.WALK_IN]
    same = [t for t in mine if t.service_id == chosen.service_id and t.priority == chosen.priority]
    assert fifo_key(chosen) == min(fifo_key(t) for t in same), "FIFO broken within service/class"
    normal_waiting = any(t.priority is PriorityClass.NORMAL for t in mine)
    if chosen.priority is PriorityClass.PRIORITY and normal_waiting:
        watch.overtakes[counter_id] = watch.overtakes.get(counter_id, 0) + 1
        watch.worst_overtake = max(watch.worst_overtake, watch.overtakes[counter_id])
    elif chosen.priority is PriorityClass.NORMAL:
        watch.overtakes[counter_id] = 0


def _step(desk: Desk, op: tuple, watch: Watch) -> None:
    kind = op[0]
    if kind == "wait":
        desk.advance(op[1])
        return
    if kind == "issue":
        desk.run(c.IssueTicket, service_id=op[1], priority=op[2])
        return
    counter = op[1]
    if kind == "call":
        current = desk.engine.state.counters[counter].ticket_id
        if current is not None and desk.engine.state.tickets[current].status is TicketStatus.CALLED:
            desk.run(c.StartService, counter_id=counter)
        before = desk.engine.state.waiting()
        reply = desk.run(c.CallNext, counter_id=counter)
        if reply.ok and reply.data.ticket and reply.data.tier in ("normal", "priority"):
            _check_call(desk, before, counter, reply.data.ticket, watch)
        return
    simple = {
        "start": (c.StartService, {}),
        "finish": (c.Finish, {}),
        "no_show": (c.MarkNoShow, {}),
        "hold": (c.Hold, {"minutes": 5}),
        "transfer": (c.Transfer, {"to_service_id": op[-1]}),
        "pause": (c.SetCounterStatus, {"status": CounterStatus.PAUSED}),
        "open": (c.SetCounterStatus, {"status": CounterStatus.OPEN}),
    }
    command, extra = simple[kind]
    desk.run(command, counter_id=counter, **extra)


def _drain(desk: Desk) -> None:
    """Open every counter and serve until nobody waits; everyone waiting must be called."""
    desk.open(*COUNTERS)
    for _ in range(2000):
        desk.run(c.Tick)
        progressed = False
        for counter in COUNTERS:
            state = desk.engine.state.counters[counter]
            if state.ticket_id is not None:
                ticket = desk.engine.state.tickets[state.ticket_id]
                if ticket.status is TicketStatus.CALLED:
                    desk.run(c.StartService, counter_id=counter)
                desk.run(c.Finish, counter_id=counter)
                progressed = True
            reply = desk.run(c.CallNext, counter_id=counter)
            progressed = progressed or bool(reply.ok and reply.data.ticket)
        desk.advance(1)
        held = [t for t in desk.engine.state.active() if t.status is TicketStatus.HELD]
        if not progressed and not desk.engine.state.waiting() and not held:
            break
    leftover = [t for t in desk.engine.state.active() if t.status is not TicketStatus.NO_SHOW]
    assert leftover == [], f"never called: {[t.number for t in leftover]}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ops, min_size=1, max_size=80), st.integers(min_value=1, max_value=3))
def test_policy_invariants(operations: list[tuple], normal_per_cycle: int) -> None:
    site = make_site(priority_per_cycle=1, normal_per_cycle=normal_per_cycle)
    desk = Desk(Engine(site, MemoryStore()), local("2026-12-01 09:00"))
    desk.open("c1", "c2")
    watch = Watch()
    for op in operations:
        _step(desk, op, watch)
        _check_counters(desk)
    assert watch.worst_overtake <= site.policy.priority_per_cycle
    _drain(desk)
    _check_counters(desk)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["normal", "priority", "serve", "serve"]), min_size=1, max_size=60),
    st.integers(min_value=1, max_value=3),
    st.integers(min_value=0, max_value=3),
)
def test_ratio_bounds_how_long_a_normal_ticket_is_overtaken(
    steps: list[str], priority_per_cycle: int, normal_per_cycle: int
) -> None:
    """At one counter, while a normal ticket waits, at most `priority_per_cycle` priority
    tickets are called in a row (with normal_per_cycle=0: priority always first)."""
    site = make_site(priority_per_cycle=priority_per_cycle, normal_per_cycle=normal_per_cycle)
    desk = Desk(Engine(site, MemoryStore()), local("2026-12-01 09:00"))
    desk.open("c2")
    watch = Watch()
    for step in steps + ["serve"] * 60:
        desk.advance(0.5)
        if step == "serve":
            _step(desk, ("call", "c2"), watch)
        else:
            desk.run(c.IssueTicket, service_id="passport", priority=step)
    if normal_per_cycle == 0:
        return
    assert watch.worst_overtake <= priority_per_cycle
