"""Offline walk-in tickets from leased numbers: stored before printing, handed in once."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from kiosk.i18n import t
from kiosk.offline import OfflineStore
from kiosk.sync import OfflineSync
from link.protocol.replies import LeaseResult
from printer_drivers import PrinterStatus
from tests.kiosk_fakes import FakeHub, aware
from tests.test_kiosk_presenter import TOWNHALL, Kiosk

WALK_INS = [s.id for s in TOWNHALL.services if s.walk_in]


def lease(day: str = "2026-12-03", numbers: tuple[str, ...] = ("S101", "S102")) -> LeaseResult:
    return LeaseResult(
        lease_id="l1",
        service_id="snelbalie",
        prefix="S",
        day=date.fromisoformat(day),
        numbers=list(numbers),
        expires_at=aware(f"{day} 23:59"),
    )


def test_store_takes_numbers_in_order_and_survives_a_restart(tmp_path: Path) -> None:
    store = OfflineStore(tmp_path / "o.json")
    store.add_lease(lease())
    now = aware("2026-12-03 09:30")
    first = store.issue("snelbalie", now, "fr")
    assert first is not None and first.number == "S101"
    again = OfflineStore(tmp_path / "o.json")
    assert again.numbers_left("snelbalie", now.date()) == 1
    [pending] = again.pending()
    assert pending.request_id == first.request_id and pending.issued_at == now.isoformat()
    assert again.issue("snelbalie", now, "fr").number == "S102"  # type: ignore[union-attr]
    assert again.issue("snelbalie", now, "fr") is None, "no numbers left"


def test_a_lease_of_another_day_gives_no_number(tmp_path: Path) -> None:
    store = OfflineStore(tmp_path / "o.json")
    store.add_lease(lease(day="2026-12-02"))
    assert store.issue("snelbalie", aware("2026-12-03 09:00"), "nl") is None
    store.drop_other_days(aware("2026-12-03 09:00").date())
    assert store.numbers_left("snelbalie", aware("2026-12-02 09:00").date()) == 0


def test_a_new_lease_of_the_same_day_adds_to_the_old(tmp_path: Path) -> None:
    store = OfflineStore(tmp_path / "o.json")
    store.add_lease(lease())
    store.add_lease(lease(numbers=("S102", "S110")))
    assert store.numbers_left("snelbalie", aware("2026-12-03 09:00").date()) == 3


def test_an_unreadable_file_is_kept_aside_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "o.json"
    path.write_text("{not json")
    store = OfflineStore(path)
    assert store.pending() == [] and (tmp_path / "o.broken").read_text() == "{not json"


def test_sync_keeps_a_lease_per_walk_in_service_topped_up(tmp_path: Path) -> None:
    clock = lambda: aware("2026-12-03 09:00")  # noqa: E731
    hub = FakeHub(TOWNHALL, clock)
    store = OfflineStore(tmp_path / "o.json")
    sync = OfflineSync(hub, store, TOWNHALL, clock, lease_size=10, low_water=5)
    report = sync.run_once()
    assert report.leased == 10 * len(WALK_INS)
    assert {f["service_id"] for v, f in hub.requests if v == "lease_numbers"} == set(WALK_INS)
    hub.requests.clear()
    sync.run_once()
    assert hub.requests == [], "nothing to do while every lease is full enough"
    for _ in range(6):
        store.issue("eid", clock(), "nl")
    sync.run_once()
    leases = [f for v, f in hub.requests if v == "lease_numbers"]
    assert leases == [{"service_id": "eid", "count": 6}]
    assert store.numbers_left("eid", clock().date()) == 10


def test_offline_ticket_is_stored_before_printing_and_handed_in_once(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    sync = OfflineSync(kiosk.hub, kiosk.store, TOWNHALL, kiosk.clocks.wall)
    sync.run_once()
    kiosk.hub.online = False
    kiosk.printer.status_now = PrinterStatus.PAPER_OUT
    p = kiosk.p
    p.tick()
    assert not p.online and p.banner == t("offline_banner", "nl")
    p.choose_language("en")
    p.walkin.open()
    tile = p.tiles[0]
    assert tile.offline and tile.available and tile.wait_text == t("wait_unknown", "en")
    kiosk.clocks.now = aware("2026-12-03 09:17")
    p.walkin.choose("snelbalie")
    assert p.screen == "ticket" and p.print_state == "failed"
    assert p.ticket_number == "S001" and p.ticket_qr == "", "no live page for an offline ticket"
    assert p.ticket_note == t("offline_ticket_note", "en")
    saved = json.loads((tmp_path / "offline.json").read_text())
    [record] = saved["tickets"]
    assert record["number"] == "S001" and record["issued_at"].startswith("2026-12-03T09:17")
    assert "offline ticket" in kiosk.hub.statuses[-1]["detail"]

    kiosk.clocks.now = aware("2026-12-03 09:40")
    kiosk.hub.online = True
    report = sync.run_once()
    assert report.handed_in == 1
    _, fields = next(r for r in kiosk.hub.requests if r[0] == "submit_offline_ticket")
    assert fields == {
        "service_id": "snelbalie",
        "number": "S001",
        "issued_at": "2026-12-03T09:17:00+01:00",
        "language": "en",
        "priority": "normal",
    }
    assert kiosk.store.pending() == []
    assert sync.run_once().handed_in == 0, "never handed in twice"
    assert sum(1 for t_ in kiosk.hub.tickets if t_["number"] == "S001") == 1


def test_a_lost_reply_is_retried_with_the_same_request_id(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    OfflineSync(kiosk.hub, kiosk.store, TOWNHALL, kiosk.clocks.wall).run_once()
    ticket = kiosk.store.issue("afval", kiosk.clocks.wall(), "nl")
    assert ticket is not None
    # The hub took it, but the reply was lost: the kiosk still has it as pending.
    first = kiosk.hub.request(
        "submit_offline_ticket",
        request_id=ticket.request_id,
        service_id="afval",
        number=ticket.number,
        issued_at=ticket.issued_at,
        language="nl",
    )
    assert first.ok
    report = OfflineSync(kiosk.hub, kiosk.store, TOWNHALL, kiosk.clocks.wall).run_once()
    assert report.handed_in == 1 and report.refused == 0
    assert sum(1 for t_ in kiosk.hub.tickets if t_["number"] == ticket.number) == 1


def test_a_ticket_the_hub_refuses_is_kept_for_staff_not_retried(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    kiosk.store.add_lease(lease(numbers=("S900",)))
    kiosk.store.issue("snelbalie", kiosk.clocks.wall(), "nl")
    sync = OfflineSync(kiosk.hub, kiosk.store, TOWNHALL, kiosk.clocks.wall)
    assert sync.run_once().refused == 1
    [kept] = kiosk.store.all_tickets()
    assert kept.refused and "not leased" in kept.refused
    assert sync.run_once().refused == 0


def test_a_hub_that_goes_silent_mid_request_still_gives_the_visitor_a_ticket(
    tmp_path: Path,
) -> None:
    kiosk = Kiosk(tmp_path)
    OfflineSync(kiosk.hub, kiosk.store, TOWNHALL, kiosk.clocks.wall).run_once()
    kiosk.hub.silent = True
    kiosk.p.walkin.open()
    kiosk.p.walkin.choose("eid")
    assert kiosk.p.screen == "ticket" and kiosk.p.ticket_number.startswith("ID")
    assert kiosk.p.ticket_note == t("offline_ticket_note", "nl")
    assert not kiosk.p.online


def test_offline_without_numbers_or_outside_hours_says_why(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    kiosk.hub.online = False
    kiosk.p.tick()
    kiosk.p.walkin.open()
    tile = next(x for x in kiosk.p.tiles if x.id == "eid")
    assert not tile.available and tile.reason == "offline"
    kiosk.p.walkin.choose("eid")
    assert kiosk.p.notice_body == t("unavailable_body_offline", "nl")
    assert kiosk.p.notice_qr == "", "no booking QR when the problem is the connection"
    kiosk.clocks.now = aware("2026-12-03 13:00")  # between the morning and the late opening
    kiosk.p.walkin.refresh()
    tile = next(x for x in kiosk.p.tiles if x.id == "eid")
    assert tile.reason == "closed_now" and "16:00" in tile.next_text


def test_sync_without_the_verbs_in_the_protocol_is_quiet(tmp_path: Path) -> None:
    class OldHub(FakeHub):
        def request(self, verb: str, **fields: object) -> object:
            raise ValueError(f"unknown command {verb!r}")

    clock = lambda: aware("2026-12-03 09:00")  # noqa: E731
    report = OfflineSync(OldHub(TOWNHALL, clock), OfflineStore(tmp_path / "o.json"), TOWNHALL,
                         clock).run_once()  # fmt: skip
    assert report.unsupported


@pytest.mark.parametrize("minutes", [0, 30])
def test_offline_tickets_keep_their_own_time(tmp_path: Path, minutes: int) -> None:
    store = OfflineStore(tmp_path / "o.json")
    store.add_lease(lease())
    when = aware("2026-12-03 09:00") + timedelta(minutes=minutes)
    ticket = store.issue("snelbalie", when, "de")
    assert ticket is not None and ticket.issued_at == when.isoformat()
