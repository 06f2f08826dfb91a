"""Honest about capacity: a walk-in is refused with `full_today` when the tickets already
waiting fill the time until the service closes; staff at the desk may still force one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from link.client import LoketClient
from link.protocol import messages as m
from queue_engine.adapters.memory_store import MemoryStore
from queue_engine.domain import commands as c
from queue_engine.domain.availability import availability
from queue_engine.domain.errors import Unavailability
from queue_engine.hub.bootstrap import HubProcess
from queue_engine.service.engine import Engine
from queue_engine.service.views import new_ticket_wait, service_status
from tests.mqtt_fixtures import FrozenClock, started, until
from tests.sites import Desk, local, make_site

Connect = Callable[..., LoketClient]

# tests/sites.py: Tuesday 1 December 2026 opens 09:00-12:30 and 13:30-16:00; passports
# take 12 minutes, their last ticket is 15 minutes before closing.


@pytest.mark.parametrize(
    ("wait_minutes", "force", "reason"),
    [(0, False, None), (29, False, None), (30, False, "full_today"), (300, True, None)],
)
def test_a_wait_past_closing_is_full_today(
    wait_minutes: int, force: bool, reason: str | None
) -> None:
    site = make_site()
    noon = local("2026-12-01 12:00")
    state = availability(
        site, site.services["passport"], noon, 0, wait_s=wait_minutes * 60, force=force
    )
    assert (state.reason.value if state.reason else None) == reason
    if reason:
        assert state.next_available == local("2026-12-01 13:30")  # after lunch


@given(
    minute=st.integers(min_value=0, max_value=3 * 60 + 14),
    wait_s=st.floats(min_value=0, max_value=8 * 3600, allow_nan=False),
)
def test_full_exactly_when_the_wait_runs_past_the_end_of_the_opening(
    minute: int, wait_s: float
) -> None:
    site = make_site()
    now = local("2026-12-01 09:00") + timedelta(minutes=minute)  # before the last ticket
    state = availability(site, site.services["passport"], now, 0, wait_s=wait_s)
    past = now + timedelta(seconds=wait_s) >= local("2026-12-01 12:30")
    assert state.available is not past
    assert (state.reason is Unavailability.FULL_TODAY) is past
    longer = availability(site, site.services["passport"], now, 0, wait_s=wait_s + 60)
    assert longer.available <= state.available  # a longer queue is never less full


def test_the_engine_fills_a_service_then_refuses_then_staff_may_force() -> None:
    site = make_site()
    desk = Desk(Engine(site, MemoryStore()), local("2026-12-01 11:30"))
    desk.open("c2")
    issued = 0
    while (reply := desk.run(c.IssueTicket, service_id="passport")).ok:
        issued += 1
        assert issued < 50, "never full"
    assert reply.error.code == "not_available"
    assert reply.error.details == {
        "reason": "full_today",
        "next_available": local("2026-12-01 13:30").isoformat(),
    }
    state = desk.engine.state
    wait = new_ticket_wait(site, state, site.services["passport"])
    assert desk.now + timedelta(seconds=wait) >= local("2026-12-01 12:30")
    row = next(r for r in service_status(site, state, desk.now) if r.id == "passport")
    assert not row.available and row.reason is Unavailability.FULL_TODAY
    assert desk.run(c.IssueTicket, service_id="passport", channel="desk", force=True).ok
    assert desk.run(c.IssueTicket, service_id="passport", channel="phone", force=True).ok
    assert desk.run(c.IssueTicket, service_id="eid").ok  # another service still has room


def test_a_service_may_keep_issuing_when_full() -> None:
    site = make_site()
    keeps = replace(site.services["passport"], refuse_when_full=False)
    noon = local("2026-12-01 12:00")
    assert availability(site, keeps, noon, 0, wait_s=3 * 3600).available


def test_a_real_hub_refuses_the_next_walk_in_with_full_today(
    hub: HubProcess, connect: Connect, clock: FrozenClock
) -> None:
    clock.now = local("2026-12-03 11:30")  # Thursday: open until 12:30, again from 16:00
    kiosk = connect("kiosk-inkom")
    states: list[m.ServicesState] = []
    kiosk.on_services(states.append)
    started(kiosk)
    issued = 0
    while (reply := kiosk.request("issue_ticket", service_id="paspoort")).ok:
        issued += 1
        assert issued < 30, "the hub never said the service is full"
    assert reply.error.details["reason"] == "full_today"
    assert reply.error.details["next_available"] == local("2026-12-03 16:00").isoformat()

    def paspoort_full() -> bool:
        rows = [s for state in states[-1:] for s in state.services if s.id == "paspoort"]
        return bool(rows) and rows[0].reason is Unavailability.FULL_TODAY

    until(paspoort_full, what="the retained services state to say paspoort is full today")
    staff = started(connect("staff-loket-3"))
    forced = staff.request("issue_ticket", service_id="paspoort", channel="desk", force=True)
    assert forced.ok and forced.data.ticket.number == f"P{issued + 1:03d}"
    assert kiosk.request("issue_ticket", service_id="paspoort", force=True).error.code in {
        "forbidden",
        "invalid_command",
    }
