"""A real day, end to end: Mosquitto, `loket hub`, 2 kiosks, 6 counters and 2 displays as
separate processes; a compressed morning with a paper-out, a broker restart and a hub
SIGKILL. Every visitor ends served, no-show or cancelled; nothing lost or doubled; the
displays heard every call; the KPIs agree with the tickets table."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime
from datetime import time as dt_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from loket.demo.rig import TRANSFERS, Fleet, plan_morning, store_facts, tally
from queue_engine.adapters.sqlite_store import SqliteStore
from queue_engine.domain.events import TicketCalled
from queue_engine.domain.kpi import compute_kpis
from siteconfig import load_site
from tests.hub_faults_helpers import always_open_site
from tests.mqtt_fixtures import SITE, TOWNHALL

pytestmark = pytest.mark.faults

KIOSKS = ("kiosk-inkom", "kiosk-verdieping")
COUNTERS = tuple(f"staff-loket-{n}" for n in range(1, 7))
DISPLAYS = ("display-gelijkvloers", "display-verdieping")
VISITORS = 300
MORNING_S = 24.0  # arrivals over this many real seconds
PAPER_OUT = (3.0, 11.0)  # kiosk-inkom's printer is out of paper in this window
BROKER_DOWN_AT, BROKER_DOWN_S = 7.0, 1.0
HUB_KILL_AT = 14.0
STAFF = {
    "service_s": [0.05, 0.25],
    "no_show": 0.06,
    "cancel": 0.03,
    "hold": 0.04,
    "hold_s": 1.0,
    "transfer": 0.15,
    "transfers": TRANSFERS,
}


def test_a_compressed_morning_with_faults_ends_with_everyone_accounted_for(
    tmp_path: Path,
) -> None:
    if datetime.now(ZoneInfo("Europe/Brussels")).time() >= dt_time(23, 57):
        pytest.skip("the always-open site closes at 23:59 local time")
    config = always_open_site(TOWNHALL, tmp_path / "always-open.yaml")
    fleet = Fleet(config, tmp_path, seed=9)
    plan = plan_morning(list(KIOSKS), VISITORS, MORNING_S, seed=9)
    began = time.monotonic()
    try:
        fleet.start_broker()
        fleet.import_appointments(plan.appointments_csv)
        fleet.start_hub()
        fleet.t0 = time.time() + 3.0  # the processes start meanwhile
        for n, device in enumerate(DISPLAYS + COUNTERS):
            role = "display" if device in DISPLAYS else "staff"
            fleet.start_device(role, device, seed=n, **STAFF)
        for kiosk in KIOSKS:
            paper = list(PAPER_OUT) if kiosk == "kiosk-inkom" else None
            fleet.start_device("kiosk", kiosk, visitors=plan.visitors[kiosk], paper_out=paper)

        _sleep_until(fleet.t0 + BROKER_DOWN_AT)
        fleet.broker.stop()
        time.sleep(BROKER_DOWN_S)
        fleet.broker.start()
        _sleep_until(fleet.t0 + HUB_KILL_AT)
        fleet.kill_hub()
        fleet.start_hub()

        fleet.wait_devices("kiosk", timeout=MORNING_S + 40)
        fleet.drain(timeout=40)
        fleet.wait_devices("staff", timeout=20)
        fleet.wait_devices("display", timeout=10)
        fleet.hubs[-1].terminate()
        assert fleet.hubs[-1].wait(10) == 0, fleet.tail("hub")
    finally:
        fleet.close()
    took = time.monotonic() - began
    seen = tally(fleet)
    tickets = store_facts(fleet.db)["tickets"]
    assert not seen["errors"], seen["errors"][:5]

    # Every visitor got exactly one ticket, and the store holds exactly those tickets.
    acks = seen["acks"]
    assert sorted(a["visitor"] for a in acks) == list(range(VISITORS)), "a visitor got 0 or 2"
    ticket_ids = Counter(a["ticket_id"] for a in acks)
    assert max(ticket_ids.values()) == 1, "two visitors got the same ticket"
    assert set(ticket_ids) == set(tickets), "tickets table and acknowledgements differ"
    for ack in acks:
        assert tickets[ack["ticket_id"]][1] == ack["number"], f"{ack['number']} stored otherwise"
    numbers = [(day, number) for day, number, _ in tickets.values()]
    assert len(numbers) == len(set(numbers)), "a number was issued twice on one day"
    statuses = Counter(status for _, _, status in tickets.values())
    assert set(statuses) <= {"done", "no_show", "cancelled"}, statuses
    unprinted = [a for a in acks if not a["printed"]]
    assert unprinted, "the paper-out window printed nothing out"
    assert all(tickets[a["ticket_id"]][2] in ("done", "no_show", "cancelled") for a in unprinted)

    # The staff's acknowledged actions are what the store says happened.
    did = seen["did"]
    assert did["finish"] == statuses["done"]
    assert did["no_show"] == statuses["no_show"]
    assert did["cancel"] == statuses["cancelled"]
    assert did["transfer"] > 0 and did["hold"] > 0 and did["reactivate"] == did["hold"]

    # The displays heard every call once (events/called, or state/calls after an outage).
    site = load_site(config)
    with SqliteStore(fleet.db, SITE) as store:
        events = list(store.events())
    calls = Counter(
        (e.ticket_id, e.at) for e in events if isinstance(e, TicketCalled)
    )  # fmt: skip
    assert max(calls.values()) == 1
    for display, heard in seen["heard"].items():
        got = {(tid, datetime.fromisoformat(at)) for tid, at in heard}
        assert got == set(calls), f"{display}: missed {len(set(calls) - got)} calls"
        doubled = [key for key, times in heard.items() if times > 1]
        assert len(doubled) <= 2, f"{display} announced {doubled} more than once"

    # The KPIs over the event log agree with the tickets table.
    day = site.local_day(events[-1].at)
    overall = compute_kpis(events, site, day).overall()
    assert overall.issued == len(tickets) == VISITORS
    assert (overall.served, overall.no_shows, overall.cancelled, overall.open) == (
        statuses["done"], statuses["no_show"], statuses["cancelled"], 0,
    )  # fmt: skip
    assert overall.transfers == did["transfer"]
    print(
        f"day: {VISITORS} visitors, {sum(calls.values())} calls, {dict(statuses)}, "
        f"{did['transfer']} transfers, {did['hold']} holds, {len(unprinted)} not printed; "
        f"{took:.1f} s"
    )


def _sleep_until(at: float) -> None:
    delay = at - time.time()
    if delay > 0:
        time.sleep(delay)
