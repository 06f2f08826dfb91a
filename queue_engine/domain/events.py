"""Events: what happened, in the past tense. Anonymous by construction.

Events go to the append-only event log, which KPIs are computed from and which is kept
after personal data is purged and which every display, terminal and the central collector
can read. So no event carries a booking code, initials, a note, an appointment's id (it may
be the booking system's), or anything derived from them.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from queue_engine.domain.model import Channel, CounterStatus, PriorityClass, TicketKind


@dataclass(frozen=True)
class Event:
    """Base of all events: when it happened."""

    at: datetime
    registry: ClassVar[dict[str, type[Event]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Event.registry[cls.__name__] = cls

    @property
    def type_name(self) -> str:
        """The event's type name, as stored in the log."""
        return type(self).__name__


@dataclass(frozen=True)
class TicketIssued(Event):
    ticket_id: int
    number: str
    service_id: str
    kind: TicketKind
    priority: PriorityClass
    channel: Channel
    language: str
    queued_since: datetime
    estimated_wait_s: float | None = None
    scheduled_at: datetime | None = None
    #: Issued by a kiosk from its lease while the hub was out of reach.
    offline: bool = False


@dataclass(frozen=True)
class TicketCalled(Event):
    ticket_id: int
    service_id: str
    counter_id: str
    specific: bool = False


@dataclass(frozen=True)
class TicketRecalled(Event):
    ticket_id: int
    counter_id: str
    recall_count: int


@dataclass(frozen=True)
class ServiceStarted(Event):
    ticket_id: int
    counter_id: str


@dataclass(frozen=True)
class TicketFinished(Event):
    ticket_id: int
    service_id: str
    counter_id: str
    #: The visit goes on to another of its services (a transfer follows at the same instant).
    continues: bool = False


@dataclass(frozen=True)
class TicketNoShow(Event):
    ticket_id: int
    service_id: str
    counter_id: str | None
    automatic: bool = False


@dataclass(frozen=True)
class TicketReactivated(Event):
    ticket_id: int


@dataclass(frozen=True)
class TicketTransferred(Event):
    ticket_id: int
    from_service: str
    to_service: str
    from_counter: str | None
    to_counter: str | None
    has_note: bool = False


@dataclass(frozen=True)
class TicketHeld(Event):
    ticket_id: int
    counter_id: str | None
    until: datetime | None = None


@dataclass(frozen=True)
class TicketReleased(Event):
    ticket_id: int


@dataclass(frozen=True)
class TicketCancelled(Event):
    ticket_id: int
    service_id: str
    reason: str


@dataclass(frozen=True)
class VisitServiceAdded(Event):
    ticket_id: int
    service_id: str


@dataclass(frozen=True)
class CounterStatusChanged(Event):
    counter_id: str
    status: CounterStatus


@dataclass(frozen=True)
class AppointmentCheckedIn(Event):
    ticket_id: int
    service_ids: tuple[str, ...]


@dataclass(frozen=True)
class AppointmentMissed(Event):
    service_ids: tuple[str, ...] = ()
    scheduled_at: datetime | None = None


@dataclass(frozen=True)
class NumbersLeased(Event):
    device: str
    service_id: str
    count: int


@dataclass(frozen=True)
class AppointmentsImported(Event):
    count: int


# --- the front office's actions (who did it is in the audit log, never here) -----------


@dataclass(frozen=True)
class WalkInsPaused(Event):
    service_id: str


@dataclass(frozen=True)
class WalkInsResumed(Event):
    service_id: str


@dataclass(frozen=True)
class KeptOpenToday(Event):
    service_id: str
    keep_open: bool


@dataclass(frozen=True)
class TemporaryCounterOpened(Event):
    counter_id: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class TemporaryCounterClosed(Event):
    counter_id: str


@dataclass(frozen=True)
class CounterAssigned(Event):
    counter_id: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class InfoPosted(Event):
    info_id: str
    until: datetime


@dataclass(frozen=True)
class InfoWithdrawn(Event):
    info_id: str


@dataclass(frozen=True)
class ReprintOrdered(Event):
    ticket_id: int
    kiosk_id: str


@dataclass(frozen=True)
class AlertAcknowledged(Event):
    alert_id: str
    kind: str


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def event_to_json(event: Event) -> str:
    """Serialise an event's fields (without its type name) to JSON."""
    fields = {f.name: _encode(getattr(event, f.name)) for f in dataclasses.fields(event)}
    return json.dumps(fields, separators=(",", ":"), sort_keys=True)


def event_from_json(kind: str, payload: str) -> Event:
    """Rebuild an event from its type name and JSON fields (fields it no longer has, such as
    an older Loket's appointment_id, are left out)."""
    cls = Event.registry[kind]
    raw = json.loads(payload)
    hints = {f.name: f.type for f in dataclasses.fields(cls)}
    values = {name: _decode(raw[name], str(hints[name])) for name in raw.keys() & hints.keys()}
    return cls(**values)


def _decode(value: Any, hint: str) -> Any:
    if value is None:
        return None
    if "datetime" in hint:
        return datetime.fromisoformat(value)
    if isinstance(value, list):
        return tuple(value)
    if hint in _ENUMS:
        return _ENUMS[hint](value)
    return value


_ENUMS: dict[str, type[Any]] = {
    "TicketKind": TicketKind,
    "PriorityClass": PriorityClass,
    "Channel": Channel,
    "CounterStatus": CounterStatus,
}
