"""An in-memory store for fast tests; behaves like SqliteStore from the engine's side."""

from __future__ import annotations

import dataclasses
from collections import ChainMap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from queue_engine.domain.alerts import Alert
from queue_engine.domain.checkin import new_appointment_id
from queue_engine.domain.events import Event
from queue_engine.domain.model import Appointment, CounterState, Lease, Ticket, utc
from queue_engine.domain.office import AuditEntry, InfoMessage, OfficeBook, OfficeRecord
from queue_engine.ports import Change, PurgeReport, RequestRecord, Snapshot


@dataclass
class _Tables:
    """The store's rows, or a transaction's pending writes."""

    tickets: dict[int, Ticket] = field(default_factory=dict)
    appointments: dict[str, Appointment] = field(default_factory=dict)
    counters: dict[str, CounterState] = field(default_factory=dict)
    numbering: dict[tuple[str, date], int] = field(default_factory=dict)
    requests: dict[tuple[str, str], RequestRecord] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    leases: dict[str, Lease] = field(default_factory=dict)
    office: dict[tuple[str, str], OfficeRecord | None] = field(default_factory=dict)
    alerts: dict[str, Alert] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    last_audit_seq: int = 0

    def absorb(self, pending: _Tables) -> None:
        """Apply a committed transaction's writes."""
        self.tickets.update(pending.tickets)
        self.appointments.update(pending.appointments)
        self.counters.update(pending.counters)
        self.numbering.update(pending.numbering)
        self.requests.update(pending.requests)
        self.events.extend(pending.events)
        self.leases.update(pending.leases)
        for key, record in pending.office.items():
            if record is None:
                self.office.pop(key, None)
            else:
                self.office[key] = record
        self.alerts.update(pending.alerts)
        for entry in pending.audit:
            self.last_audit_seq += 1
            self.audit.append(dataclasses.replace(entry, seq=self.last_audit_seq))


def _office(
    records: ChainMap[tuple[str, str], OfficeRecord | None], day: date, start: datetime
) -> OfficeBook:
    """The settings a load returns, as SqliteStore selects them."""
    book = OfficeBook()
    for (kind, key), record in sorted(records.items()):
        if record is None or getattr(record, "day", day) != day:
            continue
        if isinstance(record, InfoMessage) and record.until <= start:
            continue
        book.put(kind, key, record)
    return book


def _by_start(appointments: Iterator[Appointment]) -> list[Appointment]:
    """Appointments ordered by start, then id, as the SQLite store returns them."""
    return sorted(appointments, key=lambda a: (a.start, a.id))


class MemoryTransaction:
    """One transaction: reads see committed rows plus its own buffered writes."""

    def __init__(self, committed: _Tables, *, stale: bool) -> None:
        self.stale = stale
        self.pending = _Tables()
        self._open = True
        self._tickets = ChainMap(self.pending.tickets, committed.tickets)
        self._appointments = ChainMap(self.pending.appointments, committed.appointments)
        self._counters = ChainMap(self.pending.counters, committed.counters)
        self._numbering = ChainMap(self.pending.numbering, committed.numbering)
        self._requests = ChainMap(self.pending.requests, committed.requests)
        self._leases = ChainMap(self.pending.leases, committed.leases)
        self._office = ChainMap(self.pending.office, committed.office)
        self._alerts = ChainMap(self.pending.alerts, committed.alerts)

    def _check_open(self) -> None:
        """Refuse use after the transaction has ended."""
        if not self._open:
            raise RuntimeError("this transaction has ended")

    def end(self) -> None:
        """Refuse further use: the transaction has committed or rolled back."""
        self._open = False

    def load(self, day: date, start: datetime, end: datetime) -> Snapshot:
        """Non-final tickets and `day`'s tickets; appointments in [start, end); the rest."""
        self._check_open()
        start, end = utc(start), utc(end)
        tickets = sorted(self._tickets.items())
        appointments = (a for a in self._appointments.values() if start <= a.start < end)
        return Snapshot(
            tickets={i: t for i, t in tickets if not t.is_final or t.day == day},
            appointments={a.id: a for a in _by_start(appointments)},
            counters=dict(sorted(self._counters.items())),
            numbering={k: v for k, v in sorted(self._numbering.items()) if k[1] == day},
            next_ticket_id=max(self._tickets, default=0) + 1,
            leases={k: v for k, v in sorted(self._leases.items()) if v.day == day},
            office=_office(self._office, day, start),
            alerts={
                a.id: a
                for a in sorted(self._alerts.values(), key=lambda a: (a.since, a.id))
                if a.closed_at is None or a.closed_at >= start
            },
        )

    def reply_for(self, actor: str, request_id: str) -> str | None:
        """The stored reply of an earlier request with this id, if any."""
        self._check_open()
        record = self._requests.get((actor, request_id))
        return None if record is None else record.reply_json

    def find_appointments(self, booking_code: str) -> list[Appointment]:
        """All appointments with this normalised booking code, any day, by start."""
        self._check_open()
        if not booking_code:
            return []
        return _by_start(a for a in self._appointments.values() if a.booking_code == booking_code)

    def write(self, change: Change, request: RequestRecord | None) -> None:
        """Buffer the change and the request; applied when the transaction commits."""
        self._check_open()
        self.pending.tickets.update((t.id, t) for t in change.tickets.values())
        self.pending.appointments.update((a.id, a) for a in change.appointments.values())
        self.pending.counters.update((c.counter_id, c) for c in change.counters.values())
        self.pending.numbering.update(change.numbering)
        self.pending.events.extend(change.events)
        self.pending.leases.update((x.id, x) for x in change.leases.values())
        self.pending.office.update(change.office)
        self.pending.alerts.update(change.alerts)
        self.pending.audit.extend(change.audit)
        if request is not None:
            # A retried request id keeps its first reply.
            self._requests.setdefault((request.actor, request.request_id), request)


def _purge_office(tables: _Tables, cutoff: datetime) -> int:
    """Audit entries, expired info messages and closed alerts older than `cutoff`."""
    kept = [e for e in tables.audit if e.at >= cutoff]
    alerts = [
        k for k, a in tables.alerts.items() if a.closed_at is not None and a.closed_at < cutoff
    ]
    info = [k for k, r in tables.office.items() if isinstance(r, InfoMessage) and r.until < cutoff]
    gone = len(tables.audit) - len(kept) + len(alerts) + len(info)
    tables.audit[:] = kept
    for key in alerts:
        del tables.alerts[key]
    for slot in info:
        del tables.office[slot]
    return gone


class MemoryStore:
    """The Store port in dicts; for the domain's tests, not for production."""

    def __init__(self) -> None:
        self._tables = _Tables()
        self._stale = True
        self._active = False
        self._closed = False

    def _check_open(self) -> None:
        """Refuse use after close()."""
        if self._closed:
            raise RuntimeError("store is closed")

    @contextmanager
    def transaction(self) -> Iterator[MemoryTransaction]:
        """A transaction; stale on the first one, after a rollback and after a purge."""
        self._check_open()
        if self._active:
            raise RuntimeError("store transactions do not nest")
        tx = MemoryTransaction(self._tables, stale=self._stale)
        self._active = True
        try:
            yield tx
        except BaseException:
            self._stale = True
            raise
        else:
            self._tables.absorb(tx.pending)
            self._stale = False
        finally:
            tx.end()
            self._active = False

    def events(self, start: datetime | None = None, end: datetime | None = None) -> Iterator[Event]:
        """The event log in order, optionally with `at` in [start, end)."""
        self._check_open()
        low = None if start is None else utc(start)
        high = None if end is None else utc(end)
        log, index = self._tables.events, 0
        while index < len(log):  # like SQLite's pages, sees events appended meanwhile
            event, index = log[index], index + 1
            if (low is None or event.at >= low) and (high is None or event.at < high):
                yield event

    def purge_personal_data(self, before: datetime) -> PurgeReport:
        """Clear booking codes, initials and notes, and drop replies, older than `before`;
        purged appointments get new random ids."""
        self._check_open()
        if self._active:
            raise RuntimeError("store transactions do not nest")
        cutoff = utc(before)
        tables = self._tables
        purged = [
            a
            for a in tables.appointments.values()
            if a.start < cutoff and (a.booking_code or a.initials is not None)
        ]
        renamed = {a.id: new_appointment_id() for a in purged}
        appointments = {
            renamed[a.id]: dataclasses.replace(a, id=renamed[a.id], booking_code="", initials=None)
            for a in purged
        }
        tickets = {
            t.id: dataclasses.replace(
                t, transfers=tuple(dataclasses.replace(tr, note="") for tr in t.transfers)
            )
            for t in tables.tickets.values()
            if t.issued_at < cutoff and any(tr.note for tr in t.transfers)
        }
        requests = [key for key, r in tables.requests.items() if r.at < cutoff]
        for old in renamed:
            del tables.appointments[old]
        tables.appointments.update(appointments)
        tables.tickets.update(tickets)
        for ticket in list(tables.tickets.values()):
            if any(i in renamed for i in ticket.appointment_ids):
                ids = tuple(renamed.get(i, i) for i in ticket.appointment_ids)
                tables.tickets[ticket.id] = dataclasses.replace(ticket, appointment_ids=ids)
        for key in requests:
            del tables.requests[key]
        office = _purge_office(tables, cutoff)
        self._stale = True
        return PurgeReport(len(appointments), len(tickets), len(requests), office)

    def audit(self, since: datetime | None = None, limit: int = 100) -> list[AuditEntry]:
        """Audit entries from `since` on, newest first, at most `limit`."""
        self._check_open()
        low = None if since is None else utc(since)
        found = [e for e in reversed(self._tables.audit) if low is None or e.at >= low]
        return found[: max(0, limit)]

    def close(self) -> None:
        """Mark the store closed."""
        self._closed = True
