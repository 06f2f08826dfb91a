"""Booked appointments from a booking system's export (CSV or iCalendar), checked row by row.

Only what the queue needs is read: booking code, start, duration, services, language,
initials (at most 3 letters), status and an id. Names, e-mail addresses, phone numbers and
free text are never read, so they cannot reach the store or the event log. A bad row is
rejected with its reason; the good rows are still imported.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import icalendar

from queue_engine.domain.checkin import normalize_code
from queue_engine.domain.commands import ImportAppointments
from queue_engine.domain.model import Appointment, AppointmentStatus, Site, utc
from queue_engine.engine import Engine

#: CSV columns, in the order of the example files.
REQUIRED = ("booking_code", "start", "services")
COLUMNS = (*REQUIRED, "duration_minutes", "language", "initials", "id", "status")
_MAX_MINUTES = 24 * 60
_STATUSES = {"booked": AppointmentStatus.BOOKED, "cancelled": AppointmentStatus.CANCELLED}
#: Properties whose LANGUAGE parameter may tell the visitor's language (the text is not read).
_LANGUAGE_CARRIERS = ("SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "CATEGORIES")
_ICS_NAMES = {"DTSTART": "start", "DTEND": "end", "DURATION": "duration"}


class ImportFileError(Exception):
    """A file that cannot be imported at all; the message names the file when it is known."""


class _Bad(Exception):
    """One row or event that cannot be used; the message is the reason."""


@dataclass(frozen=True)
class Rejection:
    """A row or event left out of an import, and why."""

    where: str  # "row 7" (the file's line, the header being row 1) or "event 3"
    identifier: str  # the raw id or booking code (CSV), or the UID (iCalendar)
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class ImportResult:
    """What a file holds: the good appointments, in file order, and the rejected rows."""

    appointments: list[Appointment] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    #: SHA-256 of the file's content, for request ids.
    digest: str = ""
    #: Appointment id -> where it is in the file.
    origins: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    imported: int
    updated: int
    #: Sent before with the very same content: the queue replayed its first answer.
    unchanged: int
    rejections: tuple[Rejection, ...]

    @property
    def rejected(self) -> int:
        """How many rows or events were left out."""
        return len(self.rejections)


@dataclass(frozen=True)
class _Row:
    """One row's or event's fields as found, before they are checked."""

    code: str
    start: datetime
    services: tuple[str, ...]
    duration: int | None = None
    language: str | None = None
    initials: str | None = None
    id: str | None = None
    status: AppointmentStatus = AppointmentStatus.BOOKED


_Entry = tuple[str, str, Callable[[], _Row]]


# --- files -------------------------------------------------------------------------------


def parse_file(path: str | os.PathLike[str], site: Site) -> ImportResult:
    """Read a .csv or .ics file; raises ImportFileError (naming the file) if it is unusable."""
    source = os.fspath(path)
    kind = Path(source).suffix.lower()
    if kind not in (".csv", ".ics"):
        raise ImportFileError(f"{source}: not a CSV or iCalendar file (name it *.csv or *.ics)")
    try:
        data = Path(source).read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{source}: no such file") from None
    except OSError as exc:
        raise ImportFileError(f"{source}: cannot read: {exc.strerror}") from None
    try:
        return parse_ics(data, site) if kind == ".ics" else parse_csv(_decode(data), site)
    except ImportFileError as exc:
        raise ImportFileError(f"{source}: {exc}") from None


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, as Excel saves CSV on Windows."""
    for encoding in ("utf-8-sig", "cp1252"):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(encoding)
    raise ImportFileError("not text (neither UTF-8 nor Windows-1252)")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- CSV ---------------------------------------------------------------------------------


def parse_csv(text: str, site: Site) -> ImportResult:
    """Appointments from CSV text with a header row, delimited by ',' or ';' (or a tab)."""
    text = text.removeprefix("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        raise ImportFileError("the file is empty; it needs a header row: " + ",".join(COLUMNS))
    reader = csv.reader(io.StringIO(text), delimiter=max(",;\t", key=first.count), strict=True)
    try:
        cells = next((row for row in reader if any(cell.strip() for cell in row)), None)
        header = _header(cells or [])
        return _gather(_csv_entries(reader, header), site, _digest(text.encode()))
    except csv.Error as exc:
        raise ImportFileError(f"line {reader.line_num}: not valid CSV: {exc}") from None


def _header(cells: list[str]) -> list[str]:
    """Column names, lower case with '_' for spaces and dashes; checks the required ones."""
    header = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in cells]
    if not set(REQUIRED) & set(header):
        names = ",".join(COLUMNS)
        raise ImportFileError(f"no header row; the first row must name the columns: {names}")
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(f"missing column(s) {', '.join(missing)} in the header row")
    twice = sorted({name for name in header if name and header.count(name) > 1})
    if twice:
        raise ImportFileError(f"column(s) {', '.join(twice)} appear more than once")
    return header


def _csv_entries(reader: Any, header: list[str]) -> Iterator[_Entry]:
    """Each non-blank row with where it is and what identifies it."""
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        where = f"row {reader.line_num}"
        identifier = values.get("id") or values.get("booking_code", "")
        extra = [cell for cell in cells[len(header) :] if cell.strip()]
        if extra:
            message = f"{len(cells)} fields, but the header has {len(header)}"
            yield where, identifier, partial(_fail, message)
        else:
            yield where, identifier, partial(_csv_row, values)


def _fail(reason: str) -> _Row:
    raise _Bad(reason)


def _csv_row(values: dict[str, str]) -> _Row:
    """A CSV row's fields."""
    return _Row(
        code=values.get("booking_code", ""),
        start=_parse_start(values.get("start", "")),
        services=_split(values.get("services", "")),
        duration=_parse_duration(values.get("duration_minutes", "")),
        language=values.get("language") or None,
        initials=values.get("initials") or None,
        id=values.get("id") or None,
        status=_parse_status(values.get("status", "")),
    )


def _parse_start(text: str) -> datetime:
    """An ISO 8601 date and time, with an offset or (naive) in the site's local time."""
    if not text:
        raise _Bad("start is empty")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _Bad(f"start {text!r} is not a date and time (like 2026-12-01 10:00)") from None
    if "T" not in text.upper() and " " not in text:
        raise _Bad(f"start {text!r} has no time of day")
    return value


def _parse_duration(text: str) -> int | None:
    if not text:
        return None
    try:
        minutes = int(text)
    except ValueError:
        minutes = 0
    if not 1 <= minutes <= _MAX_MINUTES:
        raise _Bad(f"duration {text!r} is not a whole number of minutes (1 to {_MAX_MINUTES})")
    return minutes


def _parse_status(text: str) -> AppointmentStatus:
    if not text:
        return AppointmentStatus.BOOKED
    try:
        return _STATUSES[text.lower().replace("canceled", "cancelled")]
    except KeyError:
        raise _Bad(f"status {text!r} is neither 'booked' nor 'cancelled'") from None


def _split(text: str) -> tuple[str, ...]:
    """Service ids separated by ';' (or ',')."""
    return tuple(part.strip() for part in text.replace(",", ";").split(";") if part.strip())


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


# --- checks shared by both formats -------------------------------------------------------


def _gather(entries: Iterable[_Entry], site: Site, digest: str) -> ImportResult:
    """Check every entry; keep the good ones and say why the others were left out."""
    result = ImportResult(digest=digest)
    for where, identifier, read in entries:
        try:
            appointment = _appointment(read(), site)
            first = result.origins.get(appointment.id)
            if first is not None:
                raise _Bad(f"duplicate of {first} (same id {appointment.id!r})")
        except _Bad as bad:
            result.rejected.append(Rejection(where, identifier, str(bad)))
            continue
        result.appointments.append(appointment)
        result.origins[appointment.id] = where
    return result


def _appointment(row: _Row, site: Site) -> Appointment:
    """The appointment a row describes, or _Bad with the first thing wrong with it."""
    code = normalize_code(row.code)
    if not code:
        raise _Bad("booking code is empty")
    start = _as_utc(row.start, site, "start")
    services = _services(row.services, site)
    return Appointment(
        id=row.id or _derived_id(code, start, services),
        booking_code=code,
        services=services,
        start=start,
        duration_minutes=row.duration or _default_minutes(services, site),
        language=_language(row.language, site),
        status=row.status,
        initials=_initials(row.initials),
    )


def _as_utc(value: datetime, site: Site, what: str) -> datetime:
    """An aware time in UTC; a naive one is the site's local time, and must exist there."""
    if value.tzinfo is not None and value.utcoffset() is not None:
        return utc(value)
    local = value.replace(tzinfo=site.tz)
    if utc(local).astimezone(site.tz).replace(tzinfo=None) != value:
        raise _Bad(
            f"{what} {value:%Y-%m-%d %H:%M} does not exist in {site.timezone} "
            "(the clocks go forward then)"
        )
    return utc(local)


def _services(names: tuple[str, ...], site: Site) -> tuple[str, ...]:
    """Service ids (matched without regard to case), each taking appointments."""
    if not names:
        raise _Bad("no service given")
    by_name = {sid.casefold(): sid for sid in site.services}
    found: list[str] = []
    for name in names:
        sid = by_name.get(name.casefold())
        if sid is None:
            known = ", ".join(sorted(s.id for s in site.services.values() if s.appointments))
            raise _Bad(f"unknown service {name!r} (known: {known})")
        if not site.services[sid].appointments:
            raise _Bad(f"service {sid!r} takes no appointments")
        if sid not in found:
            found.append(sid)
    return tuple(found)


def _default_minutes(services: tuple[str, ...], site: Site) -> int:
    """The services' expected minutes together, rounded up, at least 5."""
    return max(5, math.ceil(sum(site.services[s].expected_minutes for s in services)))


def _language(raw: str | None, site: Site) -> str:
    """A language the site offers; 'nl-BE' and 'NL' are 'nl'."""
    if raw is None:
        return site.default_language
    language = raw.strip().lower().replace("_", "-").partition("-")[0]
    if language not in site.languages:
        raise _Bad(f"language {raw!r} is not offered here (offered: {', '.join(site.languages)})")
    return language


def _initials(raw: str | None) -> str | None:
    """At most three letters; a name is refused (and not repeated in the reason)."""
    if raw is None:
        return None
    letters = "".join(ch for ch in raw if ch not in ". ")
    if not letters:
        return None
    if len(letters) > 3 or not letters.isalpha():
        raise _Bad("initials must be at most 3 letters (no names)")
    return letters.upper()


def _derived_id(code: str, start: datetime, services: tuple[str, ...]) -> str:
    """A stable id for a row without one: a hash of booking code, start and services."""
    key = f"{code}|{start.isoformat()}|{';'.join(sorted(services))}"
    return "csv-" + hashlib.sha1(key.encode()).hexdigest()[:16]


# --- into the queue ----------------------------------------------------------------------


def import_file(
    engine: Engine,
    path: str | os.PathLike[str],
    now: datetime,
    *,
    actor: str = "import",
    batch: int = 200,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Parse a file and send its good appointments to the queue (see `send_appointments`)."""
    result = parse_file(path, engine.site)
    return send_appointments(engine, result, now, actor=actor, batch=batch, progress=progress)


def send_appointments(
    engine: Engine,
    result: ImportResult,
    now: datetime,
    *,
    actor: str = "import",
    batch: int = 200,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Send the appointments in batches; `progress(n)` after each batch of n.

    Request ids come from the file's and the batch's content, so sending the same file
    again changes nothing: the queue replays its first answer (counted as `unchanged`).
    """
    if batch < 1:
        raise ValueError(f"batch must be at least 1, got {batch}")
    counts = {"imported": 0, "updated": 0, "unchanged": 0}
    rejections = list(result.rejected)
    for index, first in enumerate(range(0, len(result.appointments), batch)):
        chunk = tuple(result.appointments[first : first + batch])
        request_id = _request_id(result.digest, index, chunk)
        command = ImportAppointments(request_id=request_id, actor=actor, appointments=chunk)
        reply = engine.execute(command, now)
        if not reply.ok:
            reason = f"refused by the queue: {(reply.error or {}).get('message', '?')}"
            rejections += [Rejection(result.origins[a.id], a.id, reason) for a in chunk]
        elif reply.replayed:
            counts["unchanged"] += len(chunk)
        else:
            counts["imported"] += int(reply.data.get("imported", 0))
            counts["updated"] += int(reply.data.get("updated", 0))
        if progress is not None:
            progress(len(chunk))
    return ImportReport(rejections=tuple(rejections), **counts)


def _request_id(digest: str, index: int, chunk: tuple[Appointment, ...]) -> str:
    """A request id that changes whenever the batch's content changes."""
    text = "\n".join(_canonical(a) for a in chunk)
    return f"import-{digest[:12]}-{index}-{_digest(text.encode())[:12]}"


def _canonical(a: Appointment) -> str:
    """An appointment as one stable line of text."""
    parts = (a.id, a.booking_code, a.services, a.start.isoformat(), a.duration_minutes,
             a.language, a.status.value, a.initials)  # fmt: skip
    return "\x1f".join(map(str, parts))
