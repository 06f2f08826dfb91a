"""The sections of a site file: site, services, counters and devices, each checked alone.

Checks that need more than one item (unknown ids, duplicate prefixes …) live in `checks`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, Self, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from queue_engine.domain.model import Policy

from .fields import (
    WEEKDAYS,
    KioskMode,
    Language,
    Prefix,
    PrinterUrl,
    Role,
    Slug,
    Text,
    TicketUrl,
    TimeRangeText,
    Timezone,
    Url,
    parse_range,
)
from .problems import Problem, raise_problems

_POLICY = Policy()


class Section(BaseModel):
    """Base of every part of the file: unknown keys are errors, so typos do not pass."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class OpeningHoursConfig(Section):
    """Opening hours per weekday ('HH:MM-HH:MM' ranges); a day not listed is closed."""

    monday: list[TimeRangeText] = []
    tuesday: list[TimeRangeText] = []
    wednesday: list[TimeRangeText] = []
    thursday: list[TimeRangeText] = []
    friday: list[TimeRangeText] = []
    saturday: list[TimeRangeText] = []
    sunday: list[TimeRangeText] = []
    exceptions: dict[date, list[TimeRangeText]] = {}
    """Dates with other hours: [] closes the day (a holiday), ranges replace its hours."""

    def days(self) -> dict[str, list[str]]:
        """The weekly ranges by weekday name."""
        return {day: getattr(self, day) for day in WEEKDAYS}

    @model_validator(mode="after")
    def _no_overlap(self) -> Self:
        problems = [
            Problem((day,), message)
            for day, ranges in self.days().items()
            if (message := _overlap(ranges))
        ]
        problems += [
            Problem(("exceptions", str(day)), message)
            for day, ranges in self.exceptions.items()
            if (message := _overlap(ranges))
        ]
        raise_problems("OpeningHoursConfig", problems)
        return self


def _overlap(ranges: list[str]) -> str | None:
    """Why a day's ranges overlap, or None when they do not."""
    parsed = sorted(((parse_range(text), text) for text in ranges), key=lambda p: p[0].start)
    for (first, first_text), (second, second_text) in itertools.pairwise(parsed):
        if second.start < first.end:
            return f"ranges {first_text!r} and {second_text!r} overlap"
    return None


class PolicyConfig(Section):
    """Site-wide queue rules; every key is optional and defaults to the engine's default."""

    appointment_due_minutes: int = Field(default=_POLICY.appointment_due_minutes, ge=0)
    """An appointment ticket is due from this many minutes before its start."""
    checkin_early_minutes: int = Field(default=_POLICY.checkin_early_minutes, ge=0)
    """Check-in opens this many minutes before the first appointment."""
    checkin_late_minutes: int = Field(default=_POLICY.checkin_late_minutes, ge=0)
    """Check-in stays open this many minutes after the last appointment's start."""
    priority_per_cycle: int = Field(default=_POLICY.priority_per_cycle, ge=1)
    """Priority ratio: this many priority calls, then `normal_per_cycle` normal calls."""
    normal_per_cycle: int = Field(default=_POLICY.normal_per_cycle, ge=0)
    """Normal calls per cycle; 0 means priority always goes first."""
    no_show_reactivate_minutes: int = Field(default=_POLICY.no_show_reactivate_minutes, ge=0)
    """A no-show can be put back in the queue within this many minutes."""
    auto_no_show_minutes: int | None = Field(default=_POLICY.auto_no_show_minutes, ge=1)
    """A called ticket not started after this many minutes becomes a no-show (null: never)."""
    retention_days: int = Field(default=_POLICY.retention_days, ge=1)
    """Personal data (booking codes, initials, notes) is purged after this many days."""
    estimate_sample: int = Field(default=_POLICY.estimate_sample, ge=1)
    """How many recent service times feed the wait estimate."""


class LivePageConfig(Section):
    """The visitor's live ticket page (the QR code on the ticket)."""

    allow_delay: bool = False
    """Let a waiting visitor ask from the page to be called later ("I need 10 more minutes")."""
    delay_minutes: int = Field(default=10, ge=1, le=60)
    """How much later, when they ask."""


class SiteSection(Section):
    """The front office itself."""

    id: Slug
    """Short id, used in MQTT topics: lowercase letters, digits, '-' and '_'."""
    name: Text
    timezone: Timezone = "Europe/Brussels"
    """IANA time zone; ticket numbers reset at local midnight."""
    languages: list[Language] = Field(default=list(get_args(Language)), min_length=1)
    """Languages offered on kiosks and displays."""
    default_language: Language = "nl"
    """Language of a new kiosk session; every service needs a name in it."""
    opening_hours: OpeningHoursConfig = OpeningHoursConfig()
    policy: PolicyConfig = PolicyConfig()
    ticket_url_template: TicketUrl | None = None
    """Where a ticket's QR code points; must contain {token}."""
    booking_url: Url | None = None
    """Where to book an appointment; the default for services without their own."""
    messages: list[dict[Language, Text]] = Field(default_factory=list)
    """Info messages the displays show in turn, each one text per language."""
    live_page: LivePageConfig = LivePageConfig()

    @model_validator(mode="after")
    def _languages(self) -> Self:
        problems = [
            Problem(("languages", i), f"{lang!r} is listed twice")
            for i, lang in enumerate(self.languages)
            if lang in self.languages[:i]
        ]
        if self.default_language not in self.languages:
            message = f"{self.default_language!r} is not one of the site's languages"
            problems.append(Problem(("default_language",), f"{message} ({_join(self.languages)})"))
        raise_problems("SiteSection", problems)
        return self


class ServiceConfig(Section):
    """A product the front desk offers: a queue with its own ticket prefix."""

    id: Slug
    names: dict[Language, Text] = Field(min_length=1)
    """The name on kiosk tiles and tickets, per language; the default language is required."""
    prefix: Prefix
    """Ticket numbers start with it: 'P' gives P001. Unique per site."""
    quick: bool = False
    """Tasks under 5 minutes, for the quick counter."""
    expected_minutes: float = Field(default=10.0, gt=0)
    """Expected time at the counter, until real service times are known."""
    walk_in: bool = True
    """Visitors without an appointment can take a ticket."""
    appointments: bool = True
    """Visitors can book an appointment."""
    daily_cap: int | None = Field(default=None, gt=0)
    """At most this many walk-in tickets per day."""
    refuse_when_full: bool = True
    """Refuse walk-ins ('full until closing') when the people already waiting fill the time
    until closing (from the counters serving it and its service time); staff may force."""
    last_ticket_minutes: int = Field(default=0, ge=0)
    """No walk-in ticket this many minutes before closing."""
    target_wait_minutes: int = Field(default=20, ge=1)
    """The wait the office aims to stay under (a KPI)."""
    documents: dict[Language, list[Text]] = {}
    """What to bring, per language."""
    related: list[Slug] = []
    """Services to offer next ("nudging"): birth registration → childcare allowance."""
    opening_hours: OpeningHoursConfig | None = None
    """Hours of this service when they differ from the site's; site exceptions still apply."""
    booking_url: Url | None = None
    pictogram: Slug | None = None
    """Name of the pictogram on the kiosk tile."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = []
        if not (self.walk_in or self.appointments):
            problems.append(Problem(("walk_in",), "walk_in and appointments cannot both be false"))
        if self.quick and self.expected_minutes > 5:
            message = f"a quick service takes under 5 minutes, got {self.expected_minutes:g}"
            problems.append(Problem(("expected_minutes",), message))
        for i, other in enumerate(self.related):
            if other == self.id:
                problems.append(Problem(("related", i), "a service cannot be related to itself"))
            elif other in self.related[:i]:
                problems.append(Problem(("related", i), f"{other!r} is listed twice"))
        raise_problems("ServiceConfig", problems)
        return self


class CounterServiceRef(Section):
    """A service served at a counter, with its weight in the longest-wait choice."""

    service: Slug
    weight: float = Field(default=1.0, gt=0)
    """Waits for this service count this many times as much at this counter."""


def _ref_from_id(value: Any) -> Any:
    """Let a bare service id stand for `{service: id}`."""
    return {"service": value} if isinstance(value, str) else value


ServiceRef = Annotated[
    CounterServiceRef,
    BeforeValidator(_ref_from_id, json_schema_input_type=Slug | CounterServiceRef),
]


class CounterConfig(Section):
    """A desk where staff serve visitors."""

    id: Slug
    name: Text
    """What displays show and say: 'Loket 3'."""
    zone: Slug | None = None
    """The waiting area whose display calls for this counter."""
    floor: int | None = None
    """Floor number (0 is the ground floor, -1 the basement): said on the ticket, the
    display board's call and the spoken announcement."""
    room: Text | None = None
    """The room's name or number, when the building names its rooms: 'B.12'."""
    directions: dict[Language, Text] | None = None
    """How to find it from the waiting area, per language: {nl: links, fr: à gauche}."""
    services: list[ServiceRef] = Field(min_length=1)
    """Service ids, or {service, weight} to favour some."""
    ordered: bool = False
    """Serve services in list order instead of longest (weighted) wait first."""

    @model_validator(mode="after")
    def _no_repeats(self) -> Self:
        ids = [ref.service for ref in self.services]
        problems = [
            Problem(("services", i), f"service {sid!r} is listed twice")
            for i, sid in enumerate(ids)
            if sid in ids[:i]
        ]
        raise_problems("CounterConfig", problems)
        return self


#: Device settings that only one role has.
_ROLE_ONLY = {
    "counter": "staff",
    "zone": "display",
    "printer": "kiosk",
    "printer_profile": "kiosk",
    "mode": "kiosk",
    "screen_width_mm": "kiosk",
    "idle_seconds": "kiosk",
    "idle_prompt_seconds": "kiosk",
    "lease_size": "kiosk",
    "scanner": "kiosk",
}


class DeviceConfig(Section):
    """A kiosk, a staff terminal or a display board."""

    id: Slug
    """The device id; MQTT credentials and topics use it."""
    role: Role
    name: Text
    counter: Slug | None = None
    """Staff terminals only (required there): the counter it serves."""
    zone: Slug | None = None
    """Displays only: show calls for counters in this zone (default: every zone)."""
    floor: int | None = None
    """Where the device stands (0 = ground floor), for the office's alerts."""
    room: Text | None = None
    """Where the device stands (room or area, e.g. 'inkomhal'), for the office's alerts."""
    printer: PrinterUrl | None = None
    """Kiosks only: serial:/dev/ttyUSB0?baudrate=19200, tcp:host:9100, usb:vid:pid, file:…"""
    printer_profile: Text | None = None
    """Kiosks only: the python-escpos printer profile, e.g. 'TM-T88V'."""
    languages: list[Language] | None = None
    """Languages offered on this device (default: the site's)."""
    mode: KioskMode = "normal"
    """Kiosks only: 'care_home' shows one or two very large buttons and speaks."""
    large_text: bool = False
    """Start in large-text mode (visitors can still switch)."""
    high_contrast: bool = False
    """Start in high-contrast mode (visitors can still switch)."""
    messages: list[dict[Language, Text]] | None = None
    """Displays only: info messages of this display instead of the site's."""
    screen_width_mm: float | None = Field(default=None, gt=50, lt=5000)
    """Kiosks only: the screen's visible width in mm, for touch targets of real size, when
    the display does not state it (EDID) or states it wrongly; `--screen-width-mm` wins."""
    idle_seconds: float | None = Field(default=None, gt=0)
    """Kiosks only: without a touch this long, ask 'Do you need more time?' (90)."""
    idle_prompt_seconds: float | None = Field(default=None, gt=0)
    """Kiosks only: … and start again this long after asking (30)."""
    lease_size: int | None = Field(default=None, ge=1, le=999)
    """Kiosks only: ticket numbers kept per service for when the hub is away (10)."""
    scanner: Text | None = None
    """Kiosks only: a serial QR-code scanner, e.g. serial:/dev/ttyACM0?baudrate=9600."""

    @model_validator(mode="after")
    def _fits_role(self) -> Self:
        problems = [Problem((key,), message) for key, message in self._role_problems()]
        raise_problems("DeviceConfig", problems)
        return self

    def _role_problems(self) -> list[tuple[str, str]]:
        """(key, message) for each setting this device's role does not allow."""
        problems = []
        if self.role == "staff" and self.counter is None:
            problems.append(("counter", "a staff device needs the counter it serves"))
        for key, role in _ROLE_ONLY.items():
            if self.role != role and self._given(key):
                problems.append((key, f"only a {role} device has a {key}; this is a {self.role}"))
        if self.printer_profile and not self.printer:
            problems.append(("printer_profile", "a printer profile needs a printer"))
        return problems

    def _given(self, key: str) -> bool:
        """Whether the file sets `key` to a value."""
        return key in self.model_fields_set and getattr(self, key) is not None


def _join(items: Sequence[str]) -> str:
    """'nl, fr, en'."""
    return ", ".join(items)
