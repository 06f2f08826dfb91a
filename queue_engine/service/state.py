"""The engine's in-memory view of a site's queue, loaded from the store and kept in step."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from datetime import date

from queue_engine.domain.alerts import Alert
from queue_engine.domain.events import Event
from queue_engine.domain.figures import DayFigures
from queue_engine.domain.model import (
    Appointment,
    CounterState,
    Lease,
    Site,
    Ticket,
    TicketKind,
    TicketStatus,
)
from queue_engine.ports import Change, Snapshot


def original_service(ticket: Ticket) -> str:
    """The service the ticket was issued for (before any transfer)."""
    return ticket.transfers[0].from_service if ticket.transfers else ticket.service_id


class QueueState:
    """Tickets, appointments and counters the engine needs to decide; one per engine."""

    def __init__(
        self, site: Site, snapshot: Snapshot, day: date, events: Iterable[Event] = ()
    ) -> None:
        #: The site file's site; `site` is it as the office changed it for the day.
        self.base_site = site
        self.office = snapshot.office.for_day(day)
        self.alerts: dict[str, Alert] = dict(snapshot.alerts)
        self.site = site = self.office.effective_site(site)
        self.day = day
        self.tickets: dict[int, Ticket] = {}
        self.appointments: dict[str, Appointment] = dict(snapshot.appointments)
        self.counters: dict[str, CounterState] = {
            cid: snapshot.counters.get(cid, CounterState(cid)) for cid in site.counters
        }
        self.numbering = dict(snapshot.numbering)
        self.next_ticket_id = snapshot.next_ticket_id
        self.leases: dict[str, Lease] = dict(snapshot.leases)
        #: Today's figures per counter, from today's events.
        self.figures = DayFigures()
        for event in events:
            self.figures.record(event)
        self.in_use: dict[str, int] = {}
        self.active_ids: set[int] = set()
        #: Waiting tickets by service, and those sent to one counter, for fast look-ups.
        self.waiting_by_service: dict[str, dict[int, Ticket]] = defaultdict(dict)
        self.targeted: dict[str, dict[int, Ticket]] = defaultdict(dict)
        self.walk_ins_today: dict[str, int] = defaultdict(int)
        self.recent: dict[str, deque[float]] = defaultdict(
            lambda: deque(maxlen=site.policy.estimate_sample)
        )
        done = sorted(
            (t for t in snapshot.tickets.values() if t.status is TicketStatus.DONE),
            key=lambda t: t.finished_at or t.issued_at,
        )
        for ticket in done:
            self._note_done(ticket)
        for ticket in snapshot.tickets.values():
            self._put(ticket, new=True)

    def _put(self, ticket: Ticket, new: bool) -> None:
        self._index(self.tickets.get(ticket.id), ticket)
        if ticket.is_final:
            if self.in_use.get(ticket.number) == ticket.id:
                del self.in_use[ticket.number]
            self.active_ids.discard(ticket.id)
        else:
            self.in_use[ticket.number] = ticket.id
            self.active_ids.add(ticket.id)
        if new and ticket.day == self.day and ticket.kind is TicketKind.WALK_IN:
            self.walk_ins_today[original_service(ticket)] += 1
        self.tickets[ticket.id] = ticket

    def _index(self, before: Ticket | None, after: Ticket) -> None:
        if before is not None:
            self.waiting_by_service[before.service_id].pop(before.id, None)
            if before.target_counter_id is not None:
                self.targeted[before.target_counter_id].pop(before.id, None)
        if after.status is TicketStatus.WAITING:
            self.waiting_by_service[after.service_id][after.id] = after
            if after.target_counter_id is not None:
                self.targeted[after.target_counter_id][after.id] = after

    def _note_done(self, ticket: Ticket) -> None:
        if ticket.day == self.day and ticket.served_s > 0:
            self.recent[ticket.service_id].append(ticket.served_s)

    def apply(self, change: Change) -> None:
        """Take a committed change into memory."""
        for ticket in change.tickets.values():
            before = self.tickets.get(ticket.id)
            if ticket.status is TicketStatus.DONE and (before is None or not before.is_final):
                self._note_done(ticket)
            self._put(ticket, new=before is None)
            self.next_ticket_id = max(self.next_ticket_id, ticket.id + 1)
        for appointment in change.appointments.values():
            if self.site.local_day(appointment.start) == self.day:
                self.appointments[appointment.id] = appointment
        self.counters.update(change.counters)
        self.numbering.update(change.numbering)
        self.leases.update(change.leases)
        for event in change.events:
            self.figures.record(event)
        self.alerts.update(change.alerts)
        if change.office:
            for (kind, key), record in change.office.items():
                self.office.put(kind, key, record)
            self.site = self.office.effective_site(self.base_site)
            for counter_id in self.site.counters:
                self.counters.setdefault(counter_id, CounterState(counter_id))

    def waiting(self) -> list[Ticket]:
        """Tickets waiting to be called."""
        return [t for queue in self.waiting_by_service.values() for t in queue.values()]

    def active(self) -> list[Ticket]:
        """Tickets that are not done or cancelled."""
        return [self.tickets[i] for i in self.active_ids]
