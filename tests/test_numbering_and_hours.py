"""Numbering per local day (across midnight and the 2026 DST changes) and opening hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from queue_engine.adapters.memory_store import MemoryStore
from queue_engine.domain import commands as c
from queue_engine.domain.availability import availability, next_opening
from queue_engine.domain.errors import NotAvailable, Unavailability
from queue_engine.domain.model import OpeningHours, TimeRange
from queue_engine.domain.numbering import format_number, next_number
from queue_engine.service.engine import Engine
from tests.sites import Desk, local, make_site

UTC = ZoneInfo("UTC")
ALL_DAY = (TimeRange(time(0), time(23, 59, 59)),)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_numbers_are_prefix_and_three_digits_and_wrap() -> None:
    assert [format_number("A", n) for n in (1, 12, 999, 1000, 1001)] == [
        "A001",
        "A012",
        "A999",
        "A001",
        "A002",
    ]


def test_wrapping_skips_numbers_still_in_use() -> None:
    assert next_number("A", 999, {"A001", "A002"}) == (1002, "A003")


def test_all_numbers_in_use_is_a_clear_refusal() -> None:
    in_use = {format_number("B", n) for n in range(1, 1000)}
    with pytest.raises(NotAvailable) as refused:
        next_number("B", 5, in_use)
    assert refused.value.reason is Unavailability.NUMBERS_EXHAUSTED


def _round_the_clock_desk() -> Desk:
    site = make_site()
    site = replace(site, opening_hours=OpeningHours(weekly={d: ALL_DAY for d in range(7)}))
    return Desk(Engine(site, MemoryStore()), utc("2026-01-01T00:00:00"))


@pytest.mark.parametrize(
    ("times", "numbers"),
    [
        # Spring forward, Sunday 29 March 2026: local midnight is 23:00 UTC on the 28th.
        (
            [
                "2026-03-28T22:30:00",
                "2026-03-28T23:30:00",
                "2026-03-29T00:30:00",
                "2026-03-29T01:30:00",
            ],
            ["P001", "P001", "P002", "P003"],
        ),
        # Fall back, Sunday 25 October 2026: local midnight is 22:00 UTC on the 24th;
        # 02:30 local happens twice (00:30 and 01:30 UTC), numbering runs on.
        (
            [
                "2026-10-24T21:30:00",
                "2026-10-24T22:30:00",
                "2026-10-25T00:30:00",
                "2026-10-25T01:30:00",
                "2026-10-25T22:30:00",
                "2026-10-25T23:30:00",
            ],
            ["P001", "P001", "P002", "P003", "P004", "P001"],
        ),
        # An ordinary winter night: local midnight is 23:00 UTC, not 00:00 UTC.
        (
            ["2026-12-01T22:30:00", "2026-12-01T23:01:00", "2026-12-02T00:01:00"],
            ["P001", "P001", "P002"],
        ),
    ],
)
def test_numbering_resets_at_local_midnight(times: list[str], numbers: list[str]) -> None:
    desk = _round_the_clock_desk()
    got = []
    for moment in times:
        desk.now = utc(moment)
        desk.run(c.Tick)
        got.append(desk.issue("passport").number)
    assert got == numbers


def test_a_ticket_from_yesterday_still_waiting_is_closed_and_its_number_freed() -> None:
    desk = _round_the_clock_desk()
    desk.now = utc("2026-12-01T22:00:00")  # 23:00 local
    old = desk.issue("passport")
    desk.now = utc("2026-12-01T23:05:00")  # 00:05 local, the next day
    assert desk.ok(c.Tick).day_closed == 1
    assert desk.engine.state.tickets[old.id].cancel_reason == "day_closed"
    assert desk.issue("passport").number == "P001"


def test_a_number_still_active_from_yesterday_is_not_reused() -> None:
    desk = _round_the_clock_desk()
    desk.now = utc("2026-12-01T22:00:00")
    desk.issue("passport")
    desk.now = utc("2026-12-01T23:05:00")  # new local day, before any tick
    assert desk.issue("passport").number == "P002"


# Opening hours (tests/sites.py): Mon-Fri 09:00-12:30 and 13:30-16:00, Thursday until
# 19:00; 24 December mornings only; 25 December closed. Passports: last ticket 15 min
# before closing; ID cards (eid): 50 a day; marriage: appointments only.


def _why(when: str, service: str = "passport", issued: int = 0) -> tuple[str | None, str | None]:
    site = make_site()
    state = availability(site, site.services[service], local(when), issued)
    nxt = (
        site.local_time(state.next_available).strftime("%Y-%m-%d %H:%M")
        if (state.next_available)
        else None
    )
    return (state.reason.value if state.reason else None, nxt)


@pytest.mark.parametrize(
    ("when", "service", "issued", "expected"),
    [
        ("2026-12-01 10:00", "passport", 0, (None, None)),
        ("2026-12-01 08:30", "passport", 0, ("not_yet_open", "2026-12-01 09:00")),
        ("2026-12-01 12:40", "passport", 0, ("closed_now", "2026-12-01 13:30")),
        ("2026-12-01 12:20", "passport", 0, ("after_last_ticket", "2026-12-01 13:30")),
        ("2026-12-01 12:20", "quick", 0, (None, None)),
        ("2026-12-01 16:30", "passport", 0, ("closed_now", "2026-12-02 09:00")),
        ("2026-12-03 17:30", "passport", 0, (None, None)),  # Thursday evening opening
        ("2026-12-05 10:00", "passport", 0, ("closed_today", "2026-12-07 09:00")),  # Saturday
        ("2026-12-25 10:00", "passport", 0, ("closed_today", "2026-12-28 09:00")),  # Christmas
        ("2026-12-24 14:00", "passport", 0, ("closed_now", "2026-12-28 09:00")),
        ("2026-12-01 10:00", "eid", 50, ("daily_cap_reached", "2026-12-02 09:00")),
        ("2026-12-01 10:00", "marriage", 0, ("appointments_only", None)),
    ],
)
def test_availability_reasons_and_next_opening(
    when: str, service: str, issued: int, expected: tuple[str | None, str | None]
) -> None:
    assert _why(when, service, issued) == expected


def test_next_opening_across_the_spring_dst_change() -> None:
    site = make_site()
    friday_evening = local("2026-03-27 17:00")
    opening = next_opening(site, site.services["passport"], friday_evening)
    assert opening == utc("2026-03-30T07:00:00")  # 09:00 CEST, one hour less than in CET


def test_refusal_reply_carries_reason_and_next_time(desk: Desk) -> None:
    desk.now = local("2026-12-05 10:00")
    reply = desk.run(c.IssueTicket, service_id="passport")
    assert reply.error.details == {
        "reason": "closed_today",
        "next_available": "2026-12-07T08:00:00+00:00",
    }
    assert "closed today" in reply.error.message and "2026-12-07 09:00" in reply.error.message


def test_daily_cap_counts_walk_ins_of_the_local_day() -> None:
    site = make_site()
    capped = replace(site.services["eid"], daily_cap=2)
    site = replace(site, services={**site.services, "eid": capped})
    desk = Desk(Engine(site, MemoryStore()), local("2026-12-01 10:00"))
    desk.issue("eid")
    desk.issue("eid")
    assert desk.run(c.IssueTicket, service_id="eid").error.details["reason"] == (
        "daily_cap_reached"
    )
    assert desk.run(c.IssueTicket, service_id="eid", channel="desk", force=True).ok
    desk.now = local("2026-12-02 10:00")
    desk.run(c.Tick)  # closes yesterday's tickets, which frees their numbers
    assert desk.issue("eid").number == "E001"


def test_dates_are_local_dates() -> None:
    site = make_site()
    assert site.local_day(utc("2026-12-01T23:30:00")) == date(2026, 12, 2)
    with pytest.raises(ValueError, match="naive"):
        site.local_day(datetime(2026, 12, 1, 10))
