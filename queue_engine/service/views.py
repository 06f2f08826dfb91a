"""Read-only views of the queue for replies and retained state, as the contract's types:
numbers and counters, no personal data."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime

from link.protocol.messages import CounterFigures, CounterStateMessage, ServiceState
from link.protocol.replies import Documents, Offer, TicketView
from queue_engine.domain.availability import availability
from queue_engine.domain.estimates import estimate, expected_wait
from queue_engine.domain.model import (
    CounterState,
    PriorityClass,
    Service,
    Site,
    Ticket,
    TicketKind,
    TicketStatus,
    localize,
)
from queue_engine.service.state import QueueState


def ticket_view(
    site: Site,
    ticket: Ticket,
    waiting: Iterable[Ticket],
    recent: Mapping[str, Sequence[float]],
    counters: Mapping[str, CounterState],
    busy: Collection[str] | None = None,
) -> TicketView:
    """A ticket as devices see it: number, service, status, place in the queue, counter."""
    service = site.services[ticket.service_id]
    position = expected = None
    if ticket.status is TicketStatus.WAITING:
        est = estimate(
            ticket, waiting, service, recent.get(service.id, ()), site.counters, counters, busy
        )
        position, expected = est.position, round(est.expected_wait_s)
    return TicketView(
        id=ticket.id,
        number=ticket.number,
        service_id=ticket.service_id,
        service_name=service.name(ticket.language, site.default_language),
        status=ticket.status,
        kind=ticket.kind,
        priority=ticket.priority,
        language=ticket.language,
        channel=ticket.channel,
        issued_at=ticket.issued_at,
        queued_since=ticket.queued_since,
        scheduled_at=ticket.scheduled_at,
        called_at=ticket.called_at,
        recall_count=ticket.recall_count,
        counter_id=ticket.counter_id,
        counter_name=site.counters[ticket.counter_id].name if ticket.counter_id else None,
        target_counter_id=ticket.target_counter_id,
        visit_services=list(ticket.visit_services),
        transfers=len(ticket.transfers),
        transfer_notes=[t.note for t in ticket.transfers if t.note],
        position=position,
        expected_wait_s=expected,
        token=ticket.token,
    )


def service_status(site: Site, state: QueueState, now: datetime) -> list[ServiceState]:
    """Per service: waiting count, expected wait for a new walk-in, and availability."""
    busy = {sid for sid, queue in state.waiting_by_service.items() if queue}
    rows = []
    for service in site.services.values():
        mine = list(state.waiting_by_service.get(service.id, {}).values())
        wait = new_ticket_wait(site, state, service, busy)
        pause = state.office.paused(service.id)
        avail = availability(
            site,
            service,
            now,
            state.walk_ins_today[service.id],
            wait_s=wait,
            paused=pause is not None,
            keep_open=state.office.keeps_open(service.id),
        )
        longest = (now - min(t.queued_since for t in mine)).total_seconds() if mine else 0
        rows.append(
            ServiceState(
                id=service.id,
                names=dict(service.names),
                prefix=service.prefix,
                quick=service.quick,
                walk_in=service.walk_in,
                waiting=len(mine),
                waiting_priority=sum(1 for t in mine if t.priority is PriorityClass.PRIORITY),
                longest_wait_s=round(max(longest, 0)),
                expected_wait_s=round(wait),
                available=avail.available,
                reason=avail.reason,
                next_available=avail.next_available,
                notice=dict(pause.message) if pause else {},
            )
        )
    return rows


def new_ticket_wait(
    site: Site, state: QueueState, service: Service, busy: set[str] | None = None
) -> float:
    """Seconds a new walk-in for `service` would wait to be called (`busy`: the services
    with someone waiting, default from `state`)."""
    if busy is None:
        busy = {sid for sid, queue in state.waiting_by_service.items() if queue}
    mine = state.waiting_by_service.get(service.id, {}).values()
    ahead = sum(1 for t in mine if t.kind is TicketKind.WALK_IN)
    recent = state.recent.get(service.id, ())
    return expected_wait(ahead, service, recent, site.counters, state.counters, busy)


def counter_status(site: Site, state: QueueState, now: datetime) -> list[CounterStateMessage]:
    """Per counter at `now`: status, the number it is serving, and its figures of the day."""
    rows = []
    for counter in site.counters.values():
        live = state.counters[counter.id]
        ticket = state.tickets.get(live.ticket_id) if live.ticket_id is not None else None
        rows.append(
            CounterStateMessage(
                at=now,
                id=counter.id,
                name=counter.name,
                zone=counter.zone,
                status=live.status,
                ticket=ticket.number if ticket else None,
                ticket_status=ticket.status if ticket else None,
                services=[cs.service_id for cs in counter.services],
                figures=CounterFigures(**state.figures.of(counter.id).as_dict()),
            )
        )
    return rows


def documents(site: Site, service_ids: Iterable[str], language: str) -> list[Documents]:
    """The documents to bring for each service, in the visitor's language."""
    out = []
    for sid in service_ids:
        service = site.services[sid]
        docs = service.documents.get(language) or service.documents.get(site.default_language)
        if docs:
            out.append(
                Documents(service_id=sid, service_name=service.name(language), items=list(docs))
            )
    return out


def offers(site: Site, visit: Sequence[str], language: str) -> list[Offer]:
    """Related services to offer at check-in (nudging), not already part of the visit."""
    seen = set(visit)
    out = []
    for sid in visit:
        for related in site.services[sid].related:
            if related not in seen and related in site.services:
                seen.add(related)
                service = site.services[related]
                name = localize(service.names, language, site.default_language)
                out.append(Offer(service_id=related, service_name=name, because_of=sid))
    return out
