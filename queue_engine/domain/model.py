"""The queue's vocabulary: sites, services, counters, tickets and appointments.

Everything here is a frozen dataclass. Times are timezone-aware UTC datetimes; the
site's time zone is used only to decide which local day and which opening hours apply.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LANGUAGES = ("nl", "fr", "en", "de")


class TicketStatus(enum.StrEnum):
    """Where a ticket is in its life cycle."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    HELD = "held"
    NO_SHOW = "no_show"
    DONE = "done"
    CANCELLED = "cancelled"


#: Statuses from which a ticket never comes back.
FINAL_STATUSES = frozenset({TicketStatus.DONE, TicketStatus.CANCELLED})


class TicketKind(enum.StrEnum):
    """Whether the visitor came with an appointment."""

    WALK_IN = "walk_in"
    APPOINTMENT = "appointment"


class Channel(enum.StrEnum):
    """Where the ticket was issued: digital first, never digital only."""

    KIOSK = "kiosk"
    DESK = "desk"
    PHONE = "phone"
    WEB = "web"


class PriorityClass(enum.StrEnum):
    """Priority class; the site's ratio decides how often priority goes first."""

    NORMAL = "normal"
    PRIORITY = "priority"


class CounterStatus(enum.StrEnum):
    """Whether a counter takes visitors."""

    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class CancelReason(enum.StrEnum):
    """Why a ticket was withdrawn: a fixed list, so no free text reaches the event log."""

    VISITOR_LEFT = "visitor_left"
    WITHDRAWN = "withdrawn"
    DUPLICATE = "duplicate"
    DAY_CLOSED = "day_closed"


class AppointmentStatus(enum.StrEnum):
    """Where an appointment is: booked, checked in, cancelled, or missed."""

    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    MISSED = "missed"


def utc(value: datetime) -> datetime:
    """Return `value` in UTC; refuse naive datetimes, which have no place in the engine."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} given; pass an aware datetime")
    return value.astimezone(ZoneInfo("UTC"))


def localize(texts: Mapping[str, str], language: str, fallback: str) -> str:
    """Pick the text in `language`, else in `fallback`, else any."""
    for lang in (language, fallback):
        if lang in texts:
            return texts[lang]
    return next(iter(texts.values()), "")


@dataclass(frozen=True)
class TimeRange:
    """An opening interval on one local day, [start, end)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"opening range ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class OpeningHours:
    """Opening hours per weekday (0 = Monday) with exceptions per date.

    An exception with no ranges is a closed day (a holiday); with ranges it replaces
    that day's usual hours (special closing, late opening).
    """

    weekly: Mapping[int, tuple[TimeRange, ...]] = field(default_factory=dict)
    exceptions: Mapping[date, tuple[TimeRange, ...]] = field(default_factory=dict)

    def ranges_on(self, day: date) -> tuple[TimeRange, ...]:
        """The opening ranges of a local date, exceptions first."""
        if day in self.exceptions:
            return self.exceptions[day]
        return self.weekly.get(day.weekday(), ())


@dataclass(frozen=True)
class Policy:
    """Site-wide queue rules."""

    #: An appointment ticket is "due" from this many minutes before its start.
    appointment_due_minutes: int = 5
    #: Check-in is accepted from this many minutes before the first appointment...
    checkin_early_minutes: int = 30
    #: ...until this many minutes after the last one.
    checkin_late_minutes: int = 15
    #: Ratio: at most `priority_per_cycle` priority calls, then `normal_per_cycle`
    #: normal calls while normal tickets wait. normal_per_cycle=0 means priority always first.
    priority_per_cycle: int = 1
    normal_per_cycle: int = 2
    #: A no-show can be reactivated within this many minutes.
    no_show_reactivate_minutes: int = 60
    #: Called tickets not started after this many minutes become no-shows (None: never).
    auto_no_show_minutes: int | None = None
    #: Personal data (booking codes, initials, notes, replies) is purged after this many days.
    retention_days: int = 30
    #: How many recent service times feed the wait estimate.
    estimate_sample: int = 20

    def __post_init__(self) -> None:
        if self.priority_per_cycle < 1 or self.normal_per_cycle < 0:
            raise ValueError("priority ratio needs priority_per_cycle >= 1, normal_per_cycle >= 0")


@dataclass(frozen=True)
class Service:
    """A product the front desk offers (passport, ID card, birth registration …)."""

    id: str
    names: Mapping[str, str]
    prefix: str
    quick: bool = False
    expected_minutes: float = 10.0
    walk_in: bool = True
    appointments: bool = True
    daily_cap: int | None = None
    #: Refuse walk-ins (full_today) when those waiting fill the time until closing.
    refuse_when_full: bool = True
    last_ticket_minutes: int = 0
    target_wait_minutes: int = 20
    documents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    opening_hours: OpeningHours | None = None
    booking_url: str | None = None

    def __post_init__(self) -> None:
        prefix_ok = 1 <= len(self.prefix) <= 2 and self.prefix.isascii()
        if not (prefix_ok and self.prefix.isalpha() and self.prefix.isupper()):
            raise ValueError(f"service {self.id}: prefix {self.prefix!r} must be 1-2 capitals")

    def name(self, language: str, fallback: str = "nl") -> str:
        """The service's name in `language`."""
        return localize(self.names, language, fallback) or self.id


@dataclass(frozen=True)
class CounterService:
    """One service a counter serves, with its weight in the longest-wait choice."""

    service_id: str
    weight: float = 1.0


@dataclass(frozen=True)
class Counter:
    """A desk where staff serve visitors ("Loket 3").

    With `ordered`, the counter serves its services in list order (the first service with
    someone waiting); otherwise it picks the longest wait, multiplied by the weight.
    """

    id: str
    name: str
    services: tuple[CounterService, ...]
    zone: str | None = None
    ordered: bool = False

    def serves(self, service_id: str) -> bool:
        """Whether this counter serves `service_id`."""
        return any(cs.service_id == service_id for cs in self.services)

    def weight(self, service_id: str) -> float:
        """The weight of `service_id` at this counter (0 if not served)."""
        return next((cs.weight for cs in self.services if cs.service_id == service_id), 0.0)


@dataclass(frozen=True)
class Site:
    """One front office: its services, counters, hours and rules."""

    id: str
    name: str
    services: Mapping[str, Service]
    counters: Mapping[str, Counter]
    timezone: str = "Europe/Brussels"
    languages: tuple[str, ...] = LANGUAGES
    default_language: str = "nl"
    opening_hours: OpeningHours = field(default_factory=OpeningHours)
    policy: Policy = field(default_factory=Policy)

    @property
    def tz(self) -> ZoneInfo:
        """The site's time zone."""
        return ZoneInfo(self.timezone)

    def local_day(self, now: datetime) -> date:
        """The local calendar day at `now`: numbering and caps reset on it."""
        return utc(now).astimezone(self.tz).date()

    def local_time(self, now: datetime) -> datetime:
        """`now` in the site's time zone."""
        return utc(now).astimezone(self.tz)

    def at_local(self, day: date, at: time) -> datetime:
        """The UTC instant of a local wall-clock time on `day`."""
        return datetime.combine(day, at, tzinfo=self.tz).astimezone(ZoneInfo("UTC"))

    def hours_for(self, service: Service) -> OpeningHours:
        """The opening hours of `service`: its own week if it has one, and the site's
        exceptions (holidays) unless the service has its own for that date."""
        own = service.opening_hours
        if own is None:
            return self.opening_hours
        return OpeningHours(own.weekly, {**self.opening_hours.exceptions, **own.exceptions})


@dataclass(frozen=True)
class Transfer:
    """One move of a ticket to another service or counter ("no wrong door")."""

    at: datetime
    from_service: str
    to_service: str
    from_counter: str | None
    to_counter: str | None
    note: str = ""
    by: str = ""


@dataclass(frozen=True)
class Ticket:
    """A visitor's place in the queue."""

    id: int
    number: str
    day: date
    service_id: str
    kind: TicketKind
    priority: PriorityClass
    language: str
    channel: Channel
    status: TicketStatus
    issued_at: datetime
    #: The place in the queue: the original arrival, kept across transfers and holds.
    queued_since: datetime
    first_called_at: datetime | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    no_show_at: datetime | None = None
    held_at: datetime | None = None
    hold_until: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    counter_id: str | None = None
    target_counter_id: str | None = None
    recall_count: int = 0
    transfers: tuple[Transfer, ...] = ()
    appointment_ids: tuple[str, ...] = ()
    scheduled_at: datetime | None = None
    visit_services: tuple[str, ...] = ()
    estimated_wait_s: float | None = None
    served_s: float = 0.0
    #: Unguessable key of the ticket's live-status page (the QR code); identifies no one.
    token: str = ""

    @property
    def is_final(self) -> bool:
        """Done or cancelled: the ticket will never be called again."""
        return self.status in FINAL_STATUSES

    def waited(self, now: datetime) -> timedelta:
        """How long the visitor has been in the queue."""
        return utc(now) - self.queued_since


@dataclass(frozen=True)
class Appointment:
    """A booked appointment. No name is needed: initials at most.

    The booking code is stored normalised; after the retention period it is purged ("").
    """

    id: str
    booking_code: str
    services: tuple[str, ...]
    start: datetime
    duration_minutes: int = 15
    language: str = "nl"
    status: AppointmentStatus = AppointmentStatus.BOOKED
    initials: str | None = None
    ticket_id: int | None = None
    checked_in_at: datetime | None = None

    @property
    def end(self) -> datetime:
        """When the appointment is planned to end."""
        return self.start + timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class CounterState:
    """A counter's live state: its status, its ticket and its priority-ratio streaks."""

    counter_id: str
    status: CounterStatus = CounterStatus.CLOSED
    ticket_id: int | None = None
    changed_at: datetime | None = None
    #: Priority calls in the current cycle and normal calls since the last priority call.
    priority_streak: int = 0
    normal_streak: int = 0


@dataclass(frozen=True)
class Lease:
    """Numbers reserved for one kiosk, so it can issue walk-in tickets while offline.

    The kiosk hands each ticket it issued from the lease back to the hub when it is online
    again; numbers it never used are simply skipped.
    """

    id: str
    device: str
    service_id: str
    day: date
    numbers: tuple[str, ...]
    leased_at: datetime
