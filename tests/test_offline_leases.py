"""Offline kiosks: leased numbers, tickets handed in later, exactly once, in their place."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from queue_engine.adapters.sqlite_store import SqliteStore
from queue_engine.domain import commands as c
from queue_engine.service.engine import Engine
from tests.sites import Desk, local, make_site


def lease(desk: Desk, service: str = "passport", count: int = 3, actor: str = "k1") -> list[str]:
    numbers: list[str] = desk.ok(
        c.LeaseNumbers, actor=actor, service_id=service, count=count
    ).numbers
    return numbers


def test_leases_come_from_the_top_so_the_days_numbering_is_untouched(desk: Desk) -> None:
    desk.issue("passport")
    assert lease(desk) == ["P999", "P998", "P997"]
    assert lease(desk, actor="k2", count=2) == ["P996", "P995"]
    assert desk.issue("passport").number == "P002"


def test_the_days_numbering_skips_leased_numbers_when_it_gets_that_far(desk: Desk) -> None:
    numbers = lease(desk, count=2)
    desk.engine.state.numbering[("passport", desk.engine.state.day)] = 997
    assert desk.issue("passport").number == "P001"  # 998 and 999 are leased: wrap
    assert numbers == ["P999", "P998"]


def test_a_ticket_handed_in_later_keeps_its_original_place(desk: Desk) -> None:
    desk.open("c2")
    numbers = lease(desk)
    offline_at = desk.now + timedelta(minutes=1)
    desk.advance(5)  # the kiosk was offline; meanwhile someone came in through the desk
    later = desk.issue("passport", channel="desk")
    reply = desk.run(
        c.SubmitOfflineTicket,
        request_id="k1-offline-1",
        actor="k1",
        service_id="passport",
        number=numbers[0],
        issued_at=offline_at,
        language="de",
    )
    assert reply.ok and reply.data.ticket.number == "P999" and reply.data.ticket.position == 1
    called = desk.ok(c.CallNext, counter_id="c2").ticket
    assert called.number == "P999" and called.language == "de"
    assert later.number == "P001"


def test_handing_in_is_exactly_once(desk: Desk) -> None:
    numbers = lease(desk, count=1)
    submit = dict(actor="k1", service_id="passport", number=numbers[0], issued_at=desk.now)
    first = desk.run(c.SubmitOfflineTicket, request_id="off-1", **submit)
    again = desk.run(c.SubmitOfflineTicket, request_id="off-1", **submit)
    other_id = desk.run(c.SubmitOfflineTicket, request_id="off-2", **submit)
    assert first.ok and again == first and again.replayed
    assert other_id.error_code == "invalid_transition"
    assert len(desk.engine.state.waiting()) == 1


def test_a_kiosk_cannot_hand_in_a_number_it_was_not_lent(desk: Desk) -> None:
    numbers = lease(desk, count=1, actor="k1")
    stolen = desk.run(
        c.SubmitOfflineTicket, actor="k2", service_id="passport", number=numbers[0],
        issued_at=desk.now,
    )  # fmt: skip
    assert stolen.error_code == "invalid_command" and "not leased to k2" in stolen.error.message
    future = desk.run(
        c.SubmitOfflineTicket, actor="k1", service_id="passport", number=numbers[0],
        issued_at=desk.now + timedelta(hours=1),
    )  # fmt: skip
    assert future.error_code == "invalid_command" and "future" in future.error.message


def test_leases_are_only_for_walk_in_services_and_bounded(desk: Desk) -> None:
    assert desk.run(c.LeaseNumbers, actor="k1", service_id="marriage").error_code == (
        "invalid_command"
    )
    assert desk.run(c.LeaseNumbers, actor="k1", service_id="quick", count=500).error_code == (
        "invalid_command"
    )


def test_leases_survive_a_restart_of_the_hub(tmp_path: Path) -> None:
    site = make_site()
    store = SqliteStore(tmp_path / "s.db", site.id)
    desk = Desk(Engine(site, store), local("2026-12-01 10:00"))
    numbers = lease(desk, count=2)
    store.close()
    store = SqliteStore(tmp_path / "s.db", site.id)
    try:
        again = Desk(Engine(site, store), desk.now + timedelta(minutes=3), prefix="b")
        assert again.issue("passport").number == "P001"
        handed = again.ok(
            c.SubmitOfflineTicket, actor="k1", service_id="passport", number=numbers[1],
            issued_at=desk.now + timedelta(minutes=1),
        )  # fmt: skip
        assert handed.ticket.number == "P998"
    finally:
        store.close()
