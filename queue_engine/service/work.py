"""One command's working view: the state as the command sees it, plus what it changed."""

from __future__ import annotations

from collections.abc import Collection, Container
from datetime import date, datetime

from queue_engine.domain.alerts import Alert
from queue_engine.domain.errors import NotFound
from queue_engine.domain.events import Event
from queue_engine.domain.model import (
    Appointment,
    Counter,
    CounterState,
    Service,
    Ticket,
    TicketStatus,
)
from queue_engine.domain.office import AuditEntry, AuditValue, OfficeRecord, slot
from queue_engine.ports import Change, Transaction
from queue_engine.service.state import QueueState


class Work:
    """Reads go through the pending change first; writes go only into the change.

    The engine commits the change and then applies it to the state, so a command that
    fails halfway leaves the state as it was.
    """

    def __init__(self, state: QueueState, tx: Transaction, now: datetime) -> None:
        self.state = state
        self.site = state.site
        self.tx = tx
        self.now = now
        self.change = Change()
        self._active: dict[int, Ticket] | None = None

    def service(self, service_id: str) -> Service:
        """A configured service, or NotFound."""
        try:
            return self.site.services[service_id]
        except KeyError:
            raise NotFound(f"unknown service {service_id!r}", service=service_id) from None

    def counter(self, counter_id: str) -> Counter:
        """A configured counter, or NotFound."""
        try:
            return self.site.counters[counter_id]
        except KeyError:
            raise NotFound(f"unknown counter {counter_id!r}", counter=counter_id) from None

    def counter_state(self, counter_id: str) -> CounterState:
        """A counter's live state."""
        self.counter(counter_id)
        return self.change.counters.get(counter_id) or self.state.counters[counter_id]

    def ticket(self, ticket_id: int) -> Ticket:
        """A ticket by id, or NotFound."""
        found = self.change.tickets.get(ticket_id) or self.state.tickets.get(ticket_id)
        if found is None:
            raise NotFound(f"no ticket with id {ticket_id}", ticket_id=ticket_id)
        return found

    def tickets(self) -> list[Ticket]:
        """Every active ticket, as changed so far."""
        if self._active is None:
            self._active = {t.id: t for t in self.state.active()}
            for ticket in self.change.tickets.values():
                self._track(ticket)
        return list(self._active.values())

    def _track(self, ticket: Ticket) -> None:
        assert self._active is not None
        if ticket.is_final:
            self._active.pop(ticket.id, None)
        else:
            self._active[ticket.id] = ticket

    def waiting_in(self, services: Collection[str], counter_id: str | None = None) -> list[Ticket]:
        """Waiting tickets of these services (and those sent to `counter_id`), as changed."""
        found: dict[int, Ticket] = {}
        for service_id in services:
            found.update(self.state.waiting_by_service.get(service_id, {}))
        if counter_id is not None:
            found.update(self.state.targeted.get(counter_id, {}))
        for ticket in self.change.tickets.values():
            wanted = ticket.service_id in services or (
                counter_id is not None and ticket.target_counter_id == counter_id
            )
            if ticket.status is TicketStatus.WAITING and wanted:
                found[ticket.id] = ticket
            else:
                found.pop(ticket.id, None)
        return list(found.values())

    def busy_services(self) -> set[str]:
        """Services with someone waiting, as changed."""
        busy = {s for s, queue in self.state.waiting_by_service.items() if queue}
        touched = {t.service_id for t in self.change.tickets.values()}
        touched |= {
            self.state.tickets[i].service_id for i in self.change.tickets if i in self.state.tickets
        }
        for service_id in touched:
            if self.waiting_in([service_id]):
                busy.add(service_id)
            else:
                busy.discard(service_id)
        return busy

    def put(self, ticket: Ticket, *events: Event) -> Ticket:
        """Record a new version of `ticket` and what happened to it."""
        self.change.tickets[ticket.id] = ticket
        self.change.events.extend(events)
        if self._active is not None:
            self._track(ticket)
        return ticket

    def put_counter(self, state: CounterState, *events: Event) -> None:
        """Record a counter's new live state."""
        self.change.counters[state.counter_id] = state
        self.change.events.extend(events)

    def put_appointment(self, appointment: Appointment) -> None:
        """Record a new version of an appointment."""
        self.change.appointments[appointment.id] = appointment

    def put_office(self, record: OfficeRecord, *events: Event) -> None:
        """Record a new or changed office setting."""
        self.change.office[slot(record)] = record
        self.change.events.extend(events)

    def remove_office(self, kind: str, key: str, *events: Event) -> None:
        """Remove an office setting ("pauses", "info" … and its key)."""
        self.change.office[(kind, key)] = None
        self.change.events.extend(events)

    def office_record(self, kind: str, key: str) -> OfficeRecord | None:
        """An office setting as the command sees it."""
        if (kind, key) in self.change.office:
            return self.change.office[(kind, key)]
        table: dict[str, OfficeRecord] = getattr(self.state.office, kind)
        return table.get(key)

    def put_alert(self, alert: Alert) -> None:
        """Record a new version of an alert."""
        self.change.alerts[alert.id] = alert

    def alert(self, alert_id: str) -> Alert:
        """An alert by id, or NotFound."""
        found = self.change.alerts.get(alert_id) or self.state.alerts.get(alert_id)
        if found is None:
            raise NotFound(f"no alert {alert_id!r}", alert_id=alert_id)
        return found

    def audit(self, by: str, actor: str, action: str, **detail: AuditValue) -> None:
        """Record an office action in the audit log, in this command's transaction."""
        self.change.audit.append(AuditEntry(self.now, by, actor, action, detail))

    def emit(self, *events: Event) -> None:
        """Record events that change no entity."""
        self.change.events.extend(events)

    def new_ticket_id(self) -> int:
        """A ticket id never used before."""
        used = [i for i in self.change.tickets if i >= self.state.next_ticket_id]
        return max(used, default=self.state.next_ticket_id - 1) + 1

    def last_sequence(self, service_id: str, day: date) -> int:
        """The last number sequence of `service_id` on `day` (0 before the first ticket)."""
        key = (service_id, day)
        return self.change.numbering.get(key, self.state.numbering.get(key, 0))

    def leased_numbers(self) -> set[str]:
        """Numbers leased to kiosks on the loaded day: nobody else may take them."""
        leases = {**self.state.leases, **self.change.leases}
        return {number for lease in leases.values() for number in lease.numbers}

    def in_use(self) -> Container[str]:
        """Numbers of tickets that are not done or cancelled."""
        return _InUse(self)


class _InUse(Container[str]):
    """Numbers in use as the command sees them, without copying the state's index."""

    def __init__(self, work: Work) -> None:
        self.work = work
        self._leased: set[str] | None = None

    def __contains__(self, number: object) -> bool:
        pending = [t for t in self.work.change.tickets.values() if t.number == number]
        if pending:
            return any(not t.is_final for t in pending)
        if number in self.work.state.in_use:
            return True
        if self._leased is None:
            self._leased = self.work.leased_numbers()
        return number in self._leased
