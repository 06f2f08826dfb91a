"""Appointments from a CSV export (Excel-friendly: BOM, ';' or ',' and Windows-1252)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from functools import partial

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
    """Appointments from CSV text with a header row, delimited by ',' or ';' (or a tab).

    A quoted cell cannot span lines: one unbalanced quote costs its row, not the file."""
    lines = text.removeprefix("\ufeff").splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise ImportFileError("the file is empty; it needs a header row: " + ",".join(COLUMNS))
    records = _records(lines, max(",;\t", key=first.count))
    number, cells = next(((n, c) for n, c in records if not _blank(c)), (0, []))
    if isinstance(cells, str):
        raise ImportFileError(f"line {number}: {cells}")
    header = _header(cells)
    return _gather(_csv_entries(records, header), site, _digest(text.encode()))


def _records(lines: list[str], delimiter: str) -> Iterator[tuple[int, list[str] | str]]:
    """Each line's cells, or what makes it invalid CSV, with its line number."""
    for number, line in enumerate(lines, 1):
        try:
            yield number, next(csv.reader([line], delimiter=delimiter, strict=True), [])
        except csv.Error as exc:
            yield number, f"not valid CSV: {exc}"


def _blank(cells: list[str] | str) -> bool:
    return not isinstance(cells, str) and not any(cell.strip() for cell in cells)


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


def _csv_entries(
    records: Iterator[tuple[int, list[str] | str]], header: list[str]
) -> Iterator[_Entry]:
    """Each non-blank row with where it is and what identifies it."""
    for number, cells in records:
        where = f"row {number}"
        if isinstance(cells, str):
            yield where, "", partial(_fail, cells)
            continue
        if _blank(cells):
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
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
