"""Types and checks shared by the CSV and iCalendar importers."""

from __future__ import annotations

import contextlib
import hashlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from queue_engine.domain.checkin import new_appointment_id, normalize_code, same_visit
from queue_engine.domain.model import Appointment, AppointmentStatus, Site, utc

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
    #: The ids made up here for rows without one (random: nothing personal can be read back).
    generated: set[str] = field(default_factory=set)


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


# --- checks shared by both formats -------------------------------------------------------


def _gather(entries: Iterable[_Entry], site: Site, digest: str) -> ImportResult:
    """Check every entry; keep the good ones and say why the others were left out."""
    result = ImportResult(digest=digest)
    unnamed: dict[tuple[str, datetime, tuple[str, ...]], str] = {}
    for where, identifier, read in entries:
        try:
            row = read()
            appointment = _appointment(row, site)
            first = result.origins.get(appointment.id)
            if first is not None:
                raise _Bad(f"duplicate of {first} (same id {appointment.id!r})")
            if row.id is None:
                first = unnamed.setdefault(same_visit(appointment), where)
                if first != where:
                    raise _Bad(f"duplicate of {first} (same booking code, start and services)")
        except _Bad as bad:
            result.rejected.append(Rejection(where, identifier, str(bad)))
            continue
        result.appointments.append(appointment)
        result.origins[appointment.id] = where
        if row.id is None:
            result.generated.add(appointment.id)
    return result


def _appointment(row: _Row, site: Site) -> Appointment:
    """The appointment a row describes, or _Bad with the first thing wrong with it."""
    code = normalize_code(row.code)
    if not code:
        raise _Bad("booking code is empty")
    start = _as_utc(row.start, site, "start")
    services = _services(row.services, site)
    return Appointment(
        id=row.id or new_appointment_id(),
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


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, as Excel saves CSV on Windows."""
    for encoding in ("utf-8-sig", "cp1252"):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(encoding)
    raise ImportFileError("not text (neither UTF-8 nor Windows-1252)")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _split(text: str) -> tuple[str, ...]:
    """Service ids separated by ';' (or ',')."""
    return tuple(part.strip() for part in text.replace(",", ";").split(";") if part.strip())
