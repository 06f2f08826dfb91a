"""The hub's side of the live ticket page: tickets by token, read-only, and "call me later"."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from link.client import LoketClient
from link.protocol import messages as m
from link.protocol.replies import TicketView, UnknownTicket
from link.protocol.topics import WEB_DEVICE
from queue_engine.adapters.memory_store import MemoryStore
from queue_engine.domain import commands as c
from queue_engine.domain.estimates import ahead_of
from queue_engine.domain.model import Channel, PriorityClass, Ticket, TicketKind, TicketStatus
from queue_engine.hub.bootstrap import HubProcess
from queue_engine.hub.live_status import LiveStatus, places
from queue_engine.service.engine import Engine
from queue_engine.service.views import ticket_view
from tests.mqtt_fixtures import FrozenClock, started
from tests.sites import Desk, local, make_site

Connect = Callable[..., LoketClient]
NO_SUCH_TOKEN = "A" * 22
#: What the page must never be told about a ticket.
PRIVATE = {"token", "id", "priority", "channel", "booking_code", "initials", "appointment_ids"}


def status(web: LoketClient, *tokens: str) -> dict[str, dict[str, Any]]:
    reply = web.request("ticket_status", tokens=list(tokens))
    assert reply.ok, reply.error
    tickets: dict[str, Any] = reply.data.tickets
    return tickets


def issue(kiosk: LoketClient, service: str = "paspoort", **kw: Any) -> TicketView:
    reply = kiosk.request("issue_ticket", service_id=service, **kw)
    assert reply.ok, reply.error
    ticket: TicketView = reply.data.ticket
    return ticket


def requests_stored(hub: HubProcess) -> int:
    db = sqlite3.connect(hub.store.path)
    try:
        return int(db.execute("SELECT COUNT(*) FROM requests").fetchone()[0])
    finally:
        db.close()


def test_a_ticket_by_its_token_without_anything_personal(hub: HubProcess, connect: Connect) -> None:
    kiosk = started(connect("kiosk-inkom"))
    web = started(connect(WEB_DEVICE, role="web"))
    first = issue(kiosk, language="fr")
    second = issue(kiosk)
    views = status(web, first.token, second.token)
    mine = views[second.token]
    assert mine.number == second.number == "P002"
    assert (mine.status, mine.service_id, mine.expired) == ("waiting", "paspoort", None)
    assert mine.position == second.position == 2
    assert mine.expected_wait_s == second.expected_wait_s
    assert views[first.token].language == "fr"
    assert not PRIVATE & set(mine)
    assert first.token not in repr(views[first.token])


def test_called_shows_the_counter_and_finished_tickets_expire(
    hub: HubProcess, connect: Connect
) -> None:
    kiosk = started(connect("kiosk-inkom"))
    staff = started(connect("staff-loket-3"))
    web = started(connect(WEB_DEVICE))
    ticket = issue(kiosk)
    assert staff.request("counter_status", status="open").ok
    assert staff.request("call_next").ok
    called = status(web, ticket.token)[ticket.token]
    assert (called.status, called.counter_id, called.counter_name) == (
        "called",
        "loket-3",
        "Loket 3",
    )
    assert called.position is None and called.called_at and called.expired is None
    assert staff.request("start").ok and staff.request("finish").ok
    assert status(web, ticket.token)[ticket.token].expired == "done"


def test_no_show_cancelled_unknown_and_other_day(
    hub: HubProcess, connect: Connect, clock: FrozenClock
) -> None:
    kiosk = started(connect("kiosk-inkom"))
    staff = started(connect("staff-loket-3"))
    web = started(connect(WEB_DEVICE))
    missed, withdrawn, left = issue(kiosk), issue(kiosk), issue(kiosk)
    assert staff.request("counter_status", status="open").ok
    assert staff.request("call_next").ok and staff.request("no_show").ok
    assert staff.request("cancel", number=withdrawn.number).ok
    views = status(web, missed.token, withdrawn.token, left.token, NO_SUCH_TOKEN)
    assert views[missed.token].expired == "no_show"
    assert views[withdrawn.token].expired == "cancelled"
    assert views[left.token].expired is None
    assert views[NO_SUCH_TOKEN] == UnknownTicket()
    clock.set(clock.now + timedelta(days=1))
    assert status(web, left.token)[left.token].expired == "other_day"


def test_status_is_read_only_and_never_stored(hub: HubProcess, connect: Connect) -> None:
    kiosk = started(connect("kiosk-inkom"))
    web = started(connect(WEB_DEVICE))
    token = issue(kiosk).token
    before = requests_stored(hub)
    for _ in range(20):
        status(web, token)
    assert requests_stored(hub) == before


def test_only_the_web_role_asks_by_token(hub: HubProcess, connect: Connect) -> None:
    kiosk = started(connect("kiosk-inkom"))
    staff = started(connect("staff-loket-3"))
    web = started(connect(WEB_DEVICE))
    token = issue(kiosk).token
    for device in (kiosk, staff):
        assert device.request("ticket_status", tokens=[token]).error.code == "forbidden"
        refused = device.request("delay_request", token=token)
        assert refused.error.code == "forbidden"
    assert web.request("issue_ticket", service_id="eid").error.code == "forbidden"
    assert web.request("call_next", counter_id="loket-3").error.code == "forbidden"
    with pytest.raises(ValueError, match="at most 200"):
        web.request("ticket_status", tokens=[NO_SUCH_TOKEN] * 201)
    with pytest.raises(ValueError, match="pattern"):
        web.request("ticket_status", tokens=["short"])


def test_delay_request_holds_a_waiting_ticket_until_then(
    hub: HubProcess, connect: Connect, clock: FrozenClock
) -> None:
    kiosk = started(connect("kiosk-inkom"))
    staff = started(connect("staff-loket-3"))
    web = started(connect(WEB_DEVICE))
    first, second = issue(kiosk), issue(kiosk)
    held = web.request("delay_request", token=first.token, minutes=10)
    assert held.ok, held.error
    view = status(web, first.token)[first.token]
    assert view.status == "held"
    assert view.hold_until == clock.now + timedelta(minutes=10)
    assert status(web, second.token)[second.token].position == 1
    again = web.request("delay_request", token=first.token, minutes=10)
    assert again.error.code == "invalid_transition"
    assert web.request("delay_request", token=NO_SUCH_TOKEN).error.code == "not_found"
    assert staff.request("counter_status", status="open").ok
    assert staff.request("call_next").data.ticket.number == second.number
    called = web.request("delay_request", token=second.token)
    assert called.error.code == "invalid_transition" and "called" in called.error.message


def _ticket(i: int, priority: bool, minute: int) -> Ticket:
    at = local("2026-12-03 09:00") + timedelta(minutes=minute)
    return Ticket(
        id=i,
        number=f"P{i:03d}",
        day=at.date(),
        service_id="paspoort",
        kind=TicketKind.WALK_IN,
        priority=PriorityClass.PRIORITY if priority else PriorityClass.NORMAL,
        language="nl",
        channel=Channel.KIOSK,
        status=TicketStatus.WAITING,
        issued_at=at,
        queued_since=at,
    )


def test_places_of_a_whole_queue_match_the_one_ticket_rule() -> None:
    rng = random.Random(8)
    for _ in range(50):
        queue = [_ticket(i, rng.random() < 0.3, rng.randrange(60)) for i in range(1, 40)]
        ahead = places(queue)
        assert ahead == {t.id: len(ahead_of(t, queue)) for t in queue}


def test_place_and_wait_of_every_waiting_ticket_match_the_kiosks_view() -> None:
    """LiveStatus prices a whole queue at once; it must say what ticket_view says."""
    site = make_site()
    busy_kinds = ("quick", "passport", "eid", "births", "childcare")
    for seed in range(25):
        rng = random.Random(seed)
        desk = Desk(Engine(site, MemoryStore()), local("2026-12-01 10:00"))
        desk.open(*rng.sample(sorted(site.counters), rng.randint(0, 4)))
        for _ in range(rng.randint(5, 60)):
            desk.advance(rng.random() * 3)
            priority = PriorityClass.PRIORITY if rng.random() < 0.25 else PriorityClass.NORMAL
            desk.issue(rng.choice(busy_kinds), priority=priority, force=True, channel=Channel.DESK)
            counter = rng.choice(sorted(site.counters))
            called = rng.random() < 0.3 and desk.run(c.CallNext, counter_id=counter).ok
            if called and rng.random() < 0.7:  # else the counter stays busy with it
                desk.advance(rng.random() * 10)
                desk.run(c.Finish, counter_id=counter)
        state = desk.engine.state
        busy = {sid for sid, queue in state.waiting_by_service.items() if queue}
        waiting = state.waiting()
        reply = LiveStatus(site).answer(
            m.TicketStatusRequest(request_id="q", tokens=[t.token for t in waiting[:200]]),
            state,
            desk.now,
        )
        for ticket in waiting[:200]:
            mine = reply.data.tickets[ticket.token]
            queue = state.waiting_by_service[ticket.service_id].values()
            kiosk = ticket_view(site, ticket, queue, state.recent, state.counters, busy)
            assert mine.position == kiosk.position, seed
            assert abs(mine.expected_wait_s - kiosk.expected_wait_s) <= 1, seed
