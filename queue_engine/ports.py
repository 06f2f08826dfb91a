"""The storage port: what the engine needs from a store, and the change it hands over."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from queue_engine.domain.alerts import Alert
from queue_engine.domain.events import Event
from queue_engine.domain.model import Appointment, CounterState, Lease, Ticket
from queue_engine.domain.office import AuditEntry, OfficeBook, OfficeRecord


@dataclass
class Change:
    """Everything one command changes; written in one transaction."""

    tickets: dict[int, Ticket] = field(default_factory=dict)
    appointments: dict[str, Appointment] = field(default_factory=dict)
    counters: dict[str, CounterState] = field(default_factory=dict)
    #: (service id, local day) -> last sequence number used that day.
    numbering: dict[tuple[str, date], int] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    leases: dict[str, Lease] = field(default_factory=dict)
    #: Office settings by (kind, key): the new record, or None when it is removed.
    office: dict[tuple[str, str], OfficeRecord | None] = field(default_factory=dict)
    alerts: dict[str, Alert] = field(default_factory=dict)
    #: Office actions, written in the same transaction as what they did.
    audit: list[AuditEntry] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.tickets
            or self.appointments
            or self.counters
            or self.numbering
            or self.events
            or self.leases
            or self.office
            or self.alerts
            or self.audit
        )


@dataclass(frozen=True)
class RequestRecord:
    """A command's request id and the reply it got, for idempotent retries."""

    actor: str
    request_id: str
    verb: str
    at: datetime
    reply_json: str


@dataclass
class Snapshot:
    """What the engine keeps in memory, as loaded from the store."""

    tickets: dict[int, Ticket]
    appointments: dict[str, Appointment]
    counters: dict[str, CounterState]
    numbering: dict[tuple[str, date], int]
    next_ticket_id: int
    #: Number leases of offline-capable kiosks, of the loaded day.
    leases: dict[str, Lease] = field(default_factory=dict)
    #: The office's settings: pauses, info messages, and what applies on the loaded day.
    office: OfficeBook = field(default_factory=OfficeBook)
    #: Open alerts, and those closed on the loaded day.
    alerts: dict[str, Alert] = field(default_factory=dict)


@dataclass(frozen=True)
class PurgeReport:
    """How much personal data a retention run removed."""

    appointments: int
    tickets: int
    requests: int
    #: Audit entries, expired info messages and closed alerts older than the cut-off.
    audit: int = 0


class Transaction(Protocol):
    """One write transaction; the store holds the write lock while it is open."""

    #: True when another connection or process wrote since this store last looked:
    #: the engine must reload its snapshot before deciding anything.
    stale: bool

    def load(self, day: date, start: datetime, end: datetime) -> Snapshot:
        """Non-final tickets and the tickets of local `day`; appointments starting in
        [start, end) (the UTC bounds of that day); counters; numbering and leases of `day`;
        the office settings of `day`, info messages not expired by `start`, open alerts
        and those closed from `start` on."""
        ...

    def reply_for(self, actor: str, request_id: str) -> str | None:
        """The stored reply of an earlier request with this id, if any."""
        ...

    def find_appointments(self, booking_code: str) -> list[Appointment]:
        """All appointments with this normalised booking code, any day."""
        ...

    def write(self, change: Change, request: RequestRecord | None) -> None:
        """Apply `change` and record `request`; committed when the transaction ends."""
        ...


class Store(Protocol):
    """A site's durable store."""

    def transaction(self) -> AbstractContextManager[Transaction]:
        """Open a write transaction; commits on normal exit, rolls back on an exception."""
        ...

    def events(self, start: datetime | None = None, end: datetime | None = None) -> Iterator[Event]:
        """The event log in order, optionally between two instants [start, end)."""
        ...

    def purge_personal_data(self, before: datetime) -> PurgeReport:
        """Remove booking codes, initials, notes and stored replies older than `before`,
        and the office's audit entries, expired info messages and closed alerts."""
        ...

    def audit(self, since: datetime | None = None, limit: int = 100) -> list[AuditEntry]:
        """Audit entries from `since` on, newest first, at most `limit`."""
        ...

    def close(self) -> None:
        """Release the store's resources."""
        ...
