"""The small value types of a site file: ids, prefixes, languages, times, URLs."""

from __future__ import annotations

import difflib
import functools
import re
import string
import unicodedata
from collections.abc import Iterable
from datetime import time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, Field

from queue_engine.domain.model import TimeRange

Language = Literal["nl", "fr", "en", "de"]
KioskMode = Literal["normal", "care_home"]
Role = Literal["kiosk", "staff", "display"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PRINTER_SCHEMES = ("serial", "tcp", "usb", "file", "dummy")

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
PREFIX_PATTERN = r"^[A-Z]{1,2}$"
RANGE_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5][0-9]-([01]?[0-9]|2[0-3]):[0-5][0-9]$"
URL_PATTERN = r"^https?://[^\s/]+\S*$"
PRINTER_PATTERN = rf"^({'|'.join(PRINTER_SCHEMES)}):\S*$"


def suggest(value: str, choices: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` hint for a misspelt name, or ''."""
    close = difflib.get_close_matches(value, sorted(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_slug(value: str) -> str:
    """An id: lowercase letters and digits, joined by single '-' or '_'."""
    if not re.fullmatch(SLUG_PATTERN, value):
        raise ValueError(f"must be lowercase letters and digits joined by - or _, got {value!r}")
    return value


def check_prefix(value: str) -> str:
    """A ticket-number prefix such as 'P' or 'ID'."""
    if not re.fullmatch(PREFIX_PATTERN, value):
        raise ValueError(f"must be 1 or 2 capital letters, got {value!r}")
    return value


def parse_range(text: str) -> TimeRange:
    """'09:00-12:30' as a domain TimeRange."""
    if not re.fullmatch(RANGE_PATTERN, text):
        raise ValueError(f"must look like 'HH:MM-HH:MM', got {text!r}")
    start, end = (time.fromisoformat(part.zfill(5)) for part in text.split("-"))
    if end <= start:
        raise ValueError(f"range {text!r} ends before it starts")
    return TimeRange(start, end)


def check_range(value: str) -> str:
    """A valid range, normalised to 'HH:MM-HH:MM'."""
    parsed = parse_range(value)
    return f"{parsed.start:%H:%M}-{parsed.end:%H:%M}"


@functools.cache
def _zone_names() -> frozenset[str]:
    """Every time zone name the system (or tzdata) knows."""
    return frozenset(available_timezones())


def check_timezone(value: str) -> str:
    """An IANA time zone name that zoneinfo can load."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}{suggest(value, _zone_names())}") from None
    return value


def check_url(value: str) -> str:
    """An http(s) URL."""
    if not re.fullmatch(URL_PATTERN, value):
        raise ValueError(f"must be an http:// or https:// URL, got {value!r}")
    return value


def check_ticket_url(value: str) -> str:
    """A URL template whose only placeholder is {token}."""
    check_url(value.replace("{token}", "token"))
    fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    if fields != {"token"}:
        raise ValueError(f"must contain {{token}} and no other placeholder, got {value!r}")
    return value


def check_printer(value: str) -> str:
    """A printer address such as 'tcp:10.0.0.5:9100'; only the scheme is checked."""
    scheme = value.partition(":")[0]
    if ":" not in value or scheme not in PRINTER_SCHEMES:
        schemes = ", ".join(f"{name}:" for name in PRINTER_SCHEMES)
        raise ValueError(f"unknown printer scheme in {value!r}; use one of {schemes}")
    return value


Slug = Annotated[
    str, AfterValidator(check_slug), Field(json_schema_extra={"pattern": SLUG_PATTERN})
]
Prefix = Annotated[
    str, AfterValidator(check_prefix), Field(json_schema_extra={"pattern": PREFIX_PATTERN})
]
TimeRangeText = Annotated[
    str,
    AfterValidator(check_range),
    Field(json_schema_extra={"pattern": RANGE_PATTERN, "examples": ["09:00-12:30"]}),
]
Timezone = Annotated[str, AfterValidator(check_timezone)]
Url = Annotated[str, AfterValidator(check_url), Field(json_schema_extra={"pattern": URL_PATTERN})]
TicketUrl = Annotated[
    str,
    AfterValidator(check_ticket_url),
    Field(json_schema_extra={"examples": ["https://loket.example.be/t/{token}"]}),
]
PrinterUrl = Annotated[
    str,
    AfterValidator(check_printer),
    Field(json_schema_extra={"pattern": PRINTER_PATTERN, "examples": ["tcp:10.0.0.5:9100"]}),
]


def check_text(value: str) -> str:
    """Text for people: no control characters (a printer takes them as commands)."""
    bad = sorted({c for c in value if c != "\n" and unicodedata.category(c) == "Cc"})
    if bad:
        codes = ", ".join(f"U+{ord(c):04X}" for c in bad)
        raise ValueError(f"must not contain control characters ({codes})")
    return value


Text = Annotated[str, Field(min_length=1), AfterValidator(check_text)]
