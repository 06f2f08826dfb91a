"""Appointments from an iCalendar export; SUMMARY, DESCRIPTION and ATTENDEE are never read."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import icalendar

from queue_engine.domain.model import AppointmentStatus, Site
from queue_engine.importing.common import (
    _ICS_NAMES,
    _LANGUAGE_CARRIERS,
    _MAX_MINUTES,
    ImportFileError,
    ImportResult,
    _as_utc,
    _Bad,
    _digest,
    _gather,
    _Row,
    _split,
)

# --- iCalendar ---------------------------------------------------------------------------


def parse_ics(data: bytes, site: Site) -> ImportResult:
    """Appointments from an iCalendar file, one VEVENT each.

    SUMMARY, DESCRIPTION, ATTENDEE, ORGANIZER and LOCATION are ignored on purpose: they
    hold names and free text (personal data) that the queue must not store.
    """
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as exc:  # icalendar raises more than ValueError on broken files
        raise ImportFileError(f"not an iCalendar file: {exc}") from None
    if calendar.name != "VCALENDAR":
        raise ImportFileError("not an iCalendar file: no VCALENDAR")
    cancel = str(calendar.get("METHOD", "")).upper() == "CANCEL"
    entries = (
        (f"event {n}", str(event.get("UID", "")), partial(_ics_row, event, site, cancel))
        for n, event in enumerate(calendar.walk("VEVENT"), 1)
    )
    return _gather(entries, site, _digest(data))


def _ics_row(event: Any, site: Site, cancel: bool) -> _Row:
    """A VEVENT's fields."""
    errors = [(name, text) for name, text in event.errors if name in _ICS_NAMES]
    if errors:
        raise _Bad(f"{_ICS_NAMES[errors[0][0]]} is not valid: {errors[0][1]}")
    if "RRULE" in event or "RDATE" in event:
        raise _Bad("repeating events are not supported; export each appointment on its own")
    start = _ics_time(event, "DTSTART")
    if start is None:
        raise _Bad("start (DTSTART) is missing")
    uid = str(event.get("UID", "")).strip()
    cancelled = cancel or str(event.get("STATUS", "")).upper() == "CANCELLED"
    return _Row(
        code=_text(event, "X-LOKET-BOOKING-CODE") or uid.partition("@")[0],
        start=start,
        services=_ics_services(event),
        duration=_ics_duration(event, start, site),
        language=_text(event, "X-LOKET-LANGUAGE") or _language_param(event),
        initials=_text(event, "X-LOKET-INITIALS"),
        id=_uid_id(uid) if uid else None,
        status=AppointmentStatus.CANCELLED if cancelled else AppointmentStatus.BOOKED,
    )


def _uid_id(uid: str) -> str:
    """An id for a UID: hashed, as UIDs may hold the booking code and ids are kept for good."""
    return "ics-" + hashlib.sha1(uid.encode()).hexdigest()[:16]


def _ics_value(event: Any, name: str) -> Any:
    """A property's one value (None if absent); refuses a property given twice."""
    prop = event.get(name)
    if isinstance(prop, list):
        raise _Bad(f"{_ICS_NAMES.get(name, name)} ({name}) is given more than once")
    return prop


def _ics_time(event: Any, name: str) -> datetime | None:
    """DTSTART or DTEND as a datetime (naive when floating); refuses dates and unknown zones."""
    prop = _ics_value(event, name)
    if prop is None:
        return None
    value, what = prop.dt, _ICS_NAMES[name]
    if not isinstance(value, datetime):
        raise _Bad(f"{what} {value} has no time of day (an all-day event)")
    zone = prop.params.get("TZID")
    if zone and value.tzinfo is None:
        raise _Bad(f"{what} has an unknown time zone {zone!r}")
    return value


def _ics_duration(event: Any, start: datetime, site: Site) -> int | None:
    """Minutes from DTEND or DURATION, rounded up; None when neither is given."""
    end = _ics_time(event, "DTEND")
    if end is not None:
        length = _as_utc(end, site, "end") - _as_utc(start, site, "start")
    else:
        prop = _ics_value(event, "DURATION")
        if prop is None:
            return None
        length = prop.dt
    if not isinstance(length, timedelta) or length <= timedelta(0):
        raise _Bad("the event ends before it starts")
    minutes = math.ceil(length.total_seconds() / 60)
    if minutes > _MAX_MINUTES:
        raise _Bad(f"the event lasts {minutes} minutes, more than a day")
    return minutes


def _ics_services(event: Any) -> tuple[str, ...]:
    """X-LOKET-SERVICE (repeatable, or ';'-separated), else CATEGORIES."""
    found = event.get("X-LOKET-SERVICE")
    if found is not None:
        values = found if isinstance(found, list) else [found]
        return tuple(s for value in values for s in _split(str(value)))
    categories = event.get("CATEGORIES")
    values = categories if isinstance(categories, list) else [categories] if categories else []
    return tuple(str(cat).strip() for value in values for cat in value.cats if str(cat).strip())


def _text(event: Any, name: str) -> str | None:
    """A text property's value (the first, if repeated); None when absent or blank."""
    value = event.get(name)
    if isinstance(value, list):
        value = value[0]
    if value is None:
        return None
    return str(value).strip() or None


def _language_param(event: Any) -> str | None:
    """The LANGUAGE parameter of a text property; the text itself is not read."""
    for name in _LANGUAGE_CARRIERS:
        values = event.get(name)
        for value in values if isinstance(values, list) else [values]:
            language = getattr(value, "params", {}).get("LANGUAGE")
            if language:
                return str(language)
    return None
