"""Appointment check-in: booking codes and which appointments a check-in covers."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from queue_engine.domain.errors import CheckInReason, CheckInRefused
from queue_engine.domain.model import Appointment, AppointmentStatus, Policy, Site

#: Characters people confuse when they read a code off paper or a phone.
_CONFUSABLE = str.maketrans({"O": "0", "Q": "0", "I": "1", "L": "1"})


def normalize_code(code: str) -> str:
    """A booking code as stored and compared: capitals, no spaces or dashes, O→0, I/L→1."""
    kept = "".join(ch for ch in code.upper() if ch.isalnum())
    return kept.translate(_CONFUSABLE)


def new_appointment_id() -> str:
    """A random appointment id: for a row imported without one, and for every appointment
    when its booking code is purged (an id from a file may be a hash of the code)."""
    return "apt-" + secrets.token_hex(8)


def same_visit(appointment: Appointment) -> tuple[str, datetime, tuple[str, ...]]:
    """What makes two appointments the same one when their ids differ (an imported row
    without an id gets a new random id each time it is read)."""
    return appointment.booking_code, appointment.start, tuple(sorted(appointment.services))


def _describe(site: Site, when: datetime) -> str:
    return f"{site.local_time(when):%Y-%m-%d %H:%M}"


def select_for_check_in(
    appointments: list[Appointment], site: Site, now: datetime
) -> list[Appointment]:
    """Today's appointments of one booking code that a check-in at `now` covers.

    All of the visitor's appointments of the day are taken together (one visit, one
    ticket), from `checkin_early_minutes` before the first until `checkin_late_minutes`
    after each one's start. Raises CheckInRefused with a reason and what to do next.
    """
    policy: Policy = site.policy
    if not appointments:
        raise CheckInRefused(
            "this booking code is unknown; check the code or ask at the desk",
            CheckInReason.UNKNOWN_CODE,
        )
    today = site.local_day(now)
    todays = [a for a in appointments if site.local_day(a.start) == today]
    booked = sorted(
        (a for a in todays if a.status is AppointmentStatus.BOOKED), key=lambda a: a.start
    )
    if not booked:
        raise _no_booking_today(appointments, todays, site, now)
    early = booked[0].start - timedelta(minutes=policy.checkin_early_minutes)
    if now < early:
        raise CheckInRefused(
            f"it is too early to check in; you can check in from {_describe(site, early)}",
            CheckInReason.TOO_EARLY,
            early,
        )
    late = timedelta(minutes=policy.checkin_late_minutes)
    in_time = [a for a in booked if now <= a.start + late]
    if not in_time:
        raise CheckInRefused(
            f"your appointment at {_describe(site, booked[-1].start)} has passed; "
            "please ask at the desk",
            CheckInReason.TOO_LATE,
            booked[-1].start,
        )
    return in_time


def _no_booking_today(
    everything: list[Appointment], todays: list[Appointment], site: Site, now: datetime
) -> CheckInRefused:
    if any(a.status is AppointmentStatus.CANCELLED for a in todays):
        return CheckInRefused(
            "this appointment was cancelled; please ask at the desk", CheckInReason.CANCELLED
        )
    upcoming = sorted(
        (a for a in everything if a.status is AppointmentStatus.BOOKED and a.start > now),
        key=lambda a: a.start,
    )
    if upcoming:
        when = upcoming[0].start
        return CheckInRefused(
            f"your appointment is on {_describe(site, when)}, not today",
            CheckInReason.OTHER_DAY,
            when,
        )
    return CheckInRefused(
        "there is no appointment for this code today; please ask at the desk",
        CheckInReason.TOO_LATE,
    )
