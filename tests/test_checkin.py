"""Appointment check-in: booking codes, windows, one visit per visitor, nudging."""

from __future__ import annotations

from datetime import datetime

import pytest

from link.protocol.replies import Documents, ImportCounts, Offer
from queue_engine.domain import commands as c
from queue_engine.domain.checkin import normalize_code
from queue_engine.domain.model import Appointment, AppointmentStatus, Channel
from tests.sites import Desk, local


def appointment(aid: str, code: str, start: str, *services: str, **kw: object) -> Appointment:
    return Appointment(
        id=aid,
        booking_code=normalize_code(code),
        services=services,
        start=local(start),
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def booked(desk: Desk) -> Desk:
    desk.ok(
        c.ImportAppointments,
        appointments=(
            appointment("a1", "BX-7Q4O", "2026-12-01 10:20", "births", initials="JP"),
            appointment("a2", "BX-7Q4O", "2026-12-01 10:40", "eid"),
            appointment("a3", "PASS-1", "2026-12-01 11:00", "passport"),
            appointment("a4", "NEXT-1", "2026-12-03 09:30", "passport"),
            appointment(
                "a5", "GONE-1", "2026-12-01 10:30", "eid", status=AppointmentStatus.CANCELLED
            ),
            appointment("a6", "LATE-1", "2026-12-01 09:30", "passport"),
        ),
    )
    return desk


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("bx-7q4o", "BX7040"), ("BX 7Q40", "BX7040"), ("bxi", "BX1"), ("b-x-l", "BX1"), ("", "")],
)
def test_codes_tolerate_case_spaces_and_confusable_characters(typed: str, stored: str) -> None:
    assert normalize_code(typed) == stored


def test_all_of_todays_appointments_make_one_visit_and_one_ticket(booked: Desk) -> None:
    data = booked.ok(c.CheckIn, booking_code="bx 7q40", language="en")
    ticket = data.ticket
    assert ticket.number == "B001" and ticket.kind == "appointment"
    assert ticket.visit_services == ["eid"]
    assert [a.services for a in data.appointments] == [["births"], ["eid"]]
    assert data.documents == [
        Documents(service_id="births", service_name="Births", items=["Parents' ID cards"])
    ]
    assert data.offers == [
        Offer(service_id="childcare", service_name="Childcare", because_of="births")
    ]
    statuses = {a.id: a.status for a in booked.engine.state.appointments.values()}
    assert statuses["a1"] is statuses["a2"] is AppointmentStatus.CHECKED_IN


def test_checking_in_again_gives_the_same_ticket(booked: Desk) -> None:
    first = booked.ok(c.CheckIn, booking_code="BX7Q4O").ticket
    again = booked.ok(c.CheckIn, booking_code="BX7Q4O")
    assert again.ticket.id == first.id and again.already_checked_in


@pytest.mark.parametrize(
    ("code", "when", "reason", "hint"),
    [
        ("NOPE-9", "2026-12-01 10:00", "unknown_code", "ask at the desk"),
        ("PASS-1", "2026-12-01 10:00", "too_early", "2026-12-01 10:30"),
        ("LATE-1", "2026-12-01 10:00", "too_late", "ask at the desk"),
        ("NEXT-1", "2026-12-01 10:00", "other_day", "2026-12-03 09:30"),
        ("GONE-1", "2026-12-01 10:00", "cancelled", "ask at the desk"),
    ],
)
def test_refusals_say_why_and_what_to_do(
    booked: Desk, code: str, when: str, reason: str, hint: str
) -> None:
    booked.now = local(when)
    reply = booked.run(c.CheckIn, booking_code=code, channel=Channel.DESK)
    assert reply.error_code == "check_in_refused"
    assert reply.error.details["reason"] == reason
    assert hint in reply.error.message


def test_due_appointment_goes_before_walk_ins_early_one_only_when_idle(booked: Desk) -> None:
    booked.open("c3")
    walk_in = booked.issue("eid")
    visit = booked.ok(c.CheckIn, booking_code="BX7Q4O").ticket  # births at 10:20
    assert booked.ok(c.CallNext, counter_id="c3").ticket.number == walk_in.number
    booked.ok(c.StartService, counter_id="c3")
    assert booked.ok(c.CallNext, counter_id="c3").tier == "early_appointment"
    booked.ok(c.MarkNoShow, counter_id="c3")
    booked.ok(c.Reactivate, ticket_id=visit.id)
    booked.issue("eid")
    booked.now = local("2026-12-01 10:16")  # due from 10:15
    called = booked.ok(c.CallNext, counter_id="c3")
    assert (called.ticket.number, called.tier) == (visit.number, "appointment")


def test_finishing_a_visit_moves_it_to_its_next_service_keeping_its_place(booked: Desk) -> None:
    booked.open("c2", "c4")
    visit = booked.ok(c.CheckIn, booking_code="BX7Q4O").ticket
    booked.now = local("2026-12-01 10:18")
    later = booked.issue("eid")
    assert booked.ok(c.CallNext, counter_id="c4").ticket.id == visit.id
    booked.ok(c.StartService, counter_id="c4")
    moved = booked.ok(c.Finish, counter_id="c4").ticket
    assert (moved.status, moved.service_id, moved.visit_services) == ("waiting", "eid", [])
    assert booked.ok(c.CallNext, counter_id="c2").ticket.id == visit.id
    assert booked.engine.state.tickets[later.id].status.value == "waiting"


def test_accepting_an_offer_adds_the_service_to_the_visit(booked: Desk) -> None:
    visit = booked.ok(c.CheckIn, booking_code="BX7Q4O").ticket
    data = booked.ok(c.AddVisitService, ticket_id=visit.id, service_id="childcare")
    assert data.ticket.visit_services == ["eid", "childcare"]
    again = booked.ok(c.AddVisitService, ticket_id=visit.id, service_id="childcare")
    assert again.ticket.visit_services == ["eid", "childcare"]


def test_missed_appointments_are_marked_by_the_tick(booked: Desk) -> None:
    booked.now = local("2026-12-01 11:20")
    assert booked.ok(c.Tick).appointments_missed == 4  # 09:30, 10:20, 10:40, 11:00
    missed = {
        a.id
        for a in booked.engine.state.appointments.values()
        if a.status is AppointmentStatus.MISSED
    }
    assert missed == {"a1", "a2", "a3", "a6"}


def test_reimport_does_not_undo_a_check_in(booked: Desk) -> None:
    booked.now = local("2026-12-01 10:45")
    booked.ok(c.CheckIn, booking_code="PASS-1")
    data = booked.ok(
        c.ImportAppointments,
        appointments=(appointment("a3", "PASS-1", "2026-12-01 11:00", "passport"),),
    )
    assert data == ImportCounts(imported=0, updated=1)
    assert booked.engine.state.appointments["a3"].status is AppointmentStatus.CHECKED_IN


def test_import_refuses_a_walk_in_only_service(desk: Desk) -> None:
    bad = Appointment("x", "CODE1", ("nope",), datetime.fromisoformat("2026-12-01T10:00+00:00"))
    assert desk.run(c.ImportAppointments, appointments=(bad,)).error_code == "not_found"


def test_reimport_keeps_a_missed_appointment_missed(booked: Desk) -> None:
    booked.now = local("2026-12-01 11:20")
    booked.ok(c.Tick)
    booked.ok(
        c.ImportAppointments,
        appointments=(appointment("a6", "LATE-1", "2026-12-01 09:30", "passport"),),
    )
    assert booked.engine.state.appointments["a6"].status is AppointmentStatus.MISSED
    assert booked.ok(c.Tick).appointments_missed == 0
