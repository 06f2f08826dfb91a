"""Appointments from a CSV export (Excel-friendly: BOM, ';' or ',' and Windows-1252)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from typing import Any

from queue_engine.domain.model import AppointmentStatus, Site
from queue_engine.importing.common import (
    _MAX_MINUTES,
    _STATUSES,
    COLUMNS,
    REQUIRED,
    ImportFileError,
    ImportResult,
    _Bad,
    _digest,
    _Entry,
    _gather,
    _Row,
    _split,
)

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
