"""Commands: what a device asks the queue to do, in the imperative.

Every command carries the asking device (`actor`) and a client `request_id`; a retried
request id returns the first reply and changes nothing.
"""

from __future__ import annotations

import enum
import typing
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from queue_engine.domain.model import (
    Appointment,
    CancelReason,
    Channel,
    CounterStatus,
    PriorityClass,
)


@dataclass(frozen=True, kw_only=True)
class Command:
    """Base of all commands."""

    request_id: str
    actor: str = "system"
    verb: ClassVar[str] = "command"
    #: Whether its request id and reply are kept, so a retry gets the first reply.
    recorded: ClassVar[bool] = True

    def __post_init__(self) -> None:
        for name, kind in _enum_fields(type(self)).items():
            value = getattr(self, name)
            if value is not None and not isinstance(value, kind):
                try:
                    object.__setattr__(self, name, kind(value))
                except ValueError:
                    allowed = ", ".join(m.value for m in kind)
                    raise ValueError(
                        f"{self.verb}: {name} {value!r} is not one of {allowed}"
                    ) from None


_ENUM_FIELDS: dict[type, dict[str, type[enum.Enum]]] = {}


def _enum_fields(cls: type[Command]) -> dict[str, type[enum.Enum]]:
    """The fields of a command class that hold an enum, for coercing plain values."""
    if cls not in _ENUM_FIELDS:
        hints: dict[str, Any] = typing.get_type_hints(cls)
        _ENUM_FIELDS[cls] = {
            name: hint
            for name, hint in hints.items()
            if isinstance(hint, type) and issubclass(hint, enum.Enum)
        }
    return _ENUM_FIELDS[cls]


@dataclass(frozen=True, kw_only=True)
class IssueTicket(Command):
    """A walk-in ticket, from the kiosk or (digital first, never digital only) the desk or phone."""

    service_id: str
    language: str = "nl"
    channel: Channel = Channel.KIOSK
    priority: PriorityClass = PriorityClass.NORMAL
    #: Staff at the desk or on the phone may issue past the last-ticket time or the daily cap.
    force: bool = False
    verb: ClassVar[str] = "issue_ticket"


@dataclass(frozen=True, kw_only=True)
class CheckIn(Command):
    """Check in all of today's appointments with this booking code; one ticket."""

    booking_code: str
    language: str | None = None
    channel: Channel = Channel.KIOSK
    verb: ClassVar[str] = "check_in"


@dataclass(frozen=True, kw_only=True)
class AddVisitService(Command):
    """The visitor accepted a related service offered at check-in (nudging)."""

    ticket_id: int
    service_id: str
    verb: ClassVar[str] = "add_visit_service"


@dataclass(frozen=True, kw_only=True)
class CallNext(Command):
    """The counter calls the next visitor by the site's call-next policy."""

    counter_id: str
    verb: ClassVar[str] = "call_next"


@dataclass(frozen=True, kw_only=True)
class CallTicket(Command):
    """The counter calls one particular waiting (or held) ticket."""

    counter_id: str
    ticket_id: int
    verb: ClassVar[str] = "call_ticket"


@dataclass(frozen=True, kw_only=True)
class Recall(Command):
    """Call the counter's ticket again (the visitor did not come yet)."""

    counter_id: str
    verb: ClassVar[str] = "recall"


@dataclass(frozen=True, kw_only=True)
class StartService(Command):
    """The visitor arrived at the counter."""

    counter_id: str
    verb: ClassVar[str] = "start"


@dataclass(frozen=True, kw_only=True)
class Finish(Command):
    """The counter is done with its ticket (or moves it on to the next service of the visit)."""

    counter_id: str
    verb: ClassVar[str] = "finish"


@dataclass(frozen=True, kw_only=True)
class MarkNoShow(Command):
    """The called visitor did not come."""

    counter_id: str
    verb: ClassVar[str] = "no_show"


@dataclass(frozen=True, kw_only=True)
class Reactivate(Command):
    """A no-show or held ticket goes back to its place in the queue."""

    ticket_id: int
    verb: ClassVar[str] = "reactivate"


@dataclass(frozen=True, kw_only=True)
class Hold(Command):
    """Put a ticket aside ("call me back later"); by counter or by ticket id."""

    counter_id: str | None = None
    ticket_id: int | None = None
    minutes: int | None = None
    verb: ClassVar[str] = "hold"


@dataclass(frozen=True, kw_only=True)
class Transfer(Command):
    """Move a ticket to another service and/or counter; it keeps its place in the queue."""

    to_service_id: str | None = None
    to_counter_id: str | None = None
    counter_id: str | None = None
    ticket_id: int | None = None
    note: str = ""
    verb: ClassVar[str] = "transfer"


@dataclass(frozen=True, kw_only=True)
class CancelTicket(Command):
    """The visitor left, or staff withdrew the ticket."""

    ticket_id: int
    reason: CancelReason = CancelReason.WITHDRAWN
    verb: ClassVar[str] = "cancel"


@dataclass(frozen=True, kw_only=True)
class SetCounterStatus(Command):
    """Open, pause or close a counter."""

    counter_id: str
    status: CounterStatus
    verb: ClassVar[str] = "counter_status"


@dataclass(frozen=True, kw_only=True)
class ImportAppointments(Command):
    """Add or update booked appointments (from a booking system export)."""

    appointments: tuple[Appointment, ...] = field(default_factory=tuple)
    verb: ClassVar[str] = "import_appointments"


@dataclass(frozen=True, kw_only=True)
class LeaseNumbers(Command):
    """Reserve numbers for a kiosk, so it can issue walk-in tickets while offline."""

    service_id: str
    count: int = 10
    verb: ClassVar[str] = "lease_numbers"


@dataclass(frozen=True, kw_only=True)
class SubmitOfflineTicket(Command):
    """A ticket a kiosk issued from its lease while offline; it keeps its original time."""

    service_id: str
    number: str
    issued_at: datetime
    language: str = "nl"
    priority: PriorityClass = PriorityClass.NORMAL
    verb: ClassVar[str] = "submit_offline_ticket"


@dataclass(frozen=True, kw_only=True)
class Tick(Command):
    """Periodic housekeeping: auto no-shows, hold expiry, missed appointments, day rollover."""

    verb: ClassVar[str] = "tick"
    recorded: ClassVar[bool] = False
