"""The machinery under a simulated day: the agenda, the engine's commands, the tallies.

`queue_engine.simulation` puts the behaviour of staff and visitors on top of `Runner`.
"""

from __future__ import annotations

import heapq
import itertools
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from queue_engine.domain import commands as c
from queue_engine.domain.kpi import compute_kpis
from queue_engine.domain.model import Counter as CounterConfig
from queue_engine.domain.model import CounterStatus, Site, TicketStatus
from queue_engine.ports import Store
from queue_engine.service.engine import Engine, Reply
from queue_engine.simulation.day import DayPlan, Rota, Visitor
from queue_engine.simulation.report import EstimateError, SimulationResult

#: The refusal each command may expect from the rules; any other is an unexpected error.
EXPECTED_REFUSALS = {"issue_ticket": "not_available", "check_in": "check_in_refused"}
#: Tickets still in one of these when the day is over were lost by someone.
OPEN_STATUSES = frozenset(
    {TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.HELD}
)
MAX_SAMPLES = 10


class Agenda:
    """Actions ordered by time; actions at the same instant run in the order they were added."""

    def __init__(self) -> None:
        self._heap: list[tuple[datetime, int, Callable[[], None]]] = []
        self._order = itertools.count()

    def at(self, when: datetime, action: Callable[[], None]) -> None:
        """Run `action` at `when`."""
        heapq.heappush(self._heap, (when, next(self._order), action))

    def pop(self) -> tuple[datetime, Callable[[], None]] | None:
        """The next action and its time, or None when nothing is left."""
        if not self._heap:
            return None
        when, _, action = heapq.heappop(self._heap)
        return when, action


@dataclass
class Staff:
    """A counter as its staff member sees it: open or not, and the ticket at the desk."""

    counter: CounterConfig
    rota: Rota
    status: CounterStatus = CounterStatus.CLOSED
    ticket_id: int | None = None
    calling: bool = False
    breaks_done: int = 0

    @property
    def actor(self) -> str:
        """The staff terminal's device id."""
        return f"staff-{self.counter.id}"

    @property
    def idle(self) -> bool:
        """Open, with nobody at the desk and no call on its way."""
        return self.status is CounterStatus.OPEN and self.ticket_id is None and not self.calling


class Runner:
    """Runs commands on the simulated clock and keeps the day's tallies."""

    def __init__(self, site: Site, store: Store, plan: DayPlan, rng: random.Random) -> None:
        self.site, self.store, self.plan, self.rng = site, store, plan, rng
        self.engine = Engine(site, store)
        self.agenda = Agenda()
        self.now = plan.sessions[0].start - timedelta(hours=1)
        self.day_end = site.at_local(plan.day + timedelta(days=1), datetime.min.time())
        self.tag = uuid.uuid4().hex[:8]
        self.ids = itertools.count(1)
        self.staff = [Staff(site.counters[r.counter_id], r) for r in plan.rotas]
        self.by_ticket: dict[int, Visitor] = {}
        self.estimates: dict[int, tuple[float, datetime]] = {}
        self.first_call: dict[int, datetime] = {}
        self.commands: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.unexpected: Counter[str] = Counter()
        self.behaviour: Counter[str] = Counter()
        self.samples: list[str] = []
        self.unresolved = len(plan.visitors)

    # -- talking to the engine ------------------------------------------------------------

    def run(self, command: type[c.Command], actor: str, **fields: Any) -> Reply[Any]:
        """Execute one command now, as `actor`, with a fresh request id."""
        cmd = command(request_id=f"{self.tag}-{next(self.ids)}", actor=actor, **fields)
        reply = self.engine.execute(cmd, self.now)
        self.commands[cmd.verb] += 1
        if not reply.ok:
            self._note_refusal(cmd.verb, reply)
        return reply

    def _note_refusal(self, verb: str, reply: Reply[Any]) -> None:
        error = reply.error
        code = str(error.code if error else None)
        if EXPECTED_REFUSALS.get(verb) == code:
            self.refused[f"{code}:{error.details.get('reason') if error else None}"] += 1
            return
        self.unexpected[f"{verb}:{code}"] += 1
        if len(self.samples) < MAX_SAMPLES:
            at = self.site.local_time(self.now)
            self.samples.append(f"{at:%H:%M:%S} {verb}: {error.message if error else None}")

    def settle(self, visitor: Visitor, outcome: str) -> None:
        """Record how a visitor's day ended (once)."""
        if visitor.outcome is None:
            visitor.outcome = outcome
            self.unresolved -= 1

    def later(self, delay: timedelta, action: Callable[[], None]) -> None:
        """Run `action` after `delay`."""
        self.agenda.at(self.now + delay, action)

    # -- results --------------------------------------------------------------------------

    def estimate_pairs(self) -> dict[str, list[tuple[float, float]]]:
        """(estimate, actual wait) of each called walk-in ticket, per service."""
        pairs: dict[str, list[tuple[float, float]]] = {}
        for tid, (estimate, issued_at) in self.estimates.items():
            called = self.first_call.get(tid)
            service = self.by_ticket[tid].service_id
            if called is not None and service is not None:
                actual = (called - issued_at).total_seconds()
                pairs.setdefault(service, []).append((estimate, actual))
        return pairs

    def result(self, seed: int, wall_start: float) -> SimulationResult:
        """Tally the day."""
        day = self.plan.day
        start = self.site.at_local(day, datetime.min.time())
        kpis = compute_kpis(self.store.events(start, self.day_end), self.site, day)
        outcomes = Counter(v.outcome for v in self.plan.visitors if v.outcome is not None)
        tickets = [t for t in self.engine.state.tickets.values() if t.day == day]
        pairs = self.estimate_pairs()
        walk_ins = len(self.estimates)
        return SimulationResult(
            day=day,
            seed=seed,
            visitors=len(self.plan.visitors),
            outcomes=dict(outcomes),
            lost=sum(1 for v in self.plan.visitors if v.outcome is None),
            tickets_issued=len(self.by_ticket),
            walk_in_tickets=walk_ins,
            appointment_tickets=len(self.by_ticket) - walk_ins,
            appointments_booked=len(self.plan.appointments),
            refused=dict(self.refused),
            unexpected=dict(self.unexpected),
            unexpected_samples=tuple(self.samples),
            open_tickets=sum(1 for t in tickets if t.status in OPEN_STATUSES),
            kpis=kpis,
            estimate=EstimateError.of([p for ps in pairs.values() for p in ps]),
            estimate_by_service={k: EstimateError.of(v) for k, v in pairs.items()},
            commands=dict(self.commands),
            wall_s=time.perf_counter() - wall_start,
            behaviour=dict(self.behaviour),
        )
