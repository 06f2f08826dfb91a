"""Helpers every command handler uses: the reply view, new tickets, freeing a counter."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime

from link.protocol.replies import ReplyData, TicketView
from queue_engine.domain import events as ev
from queue_engine.domain.errors import InvalidCommand
from queue_engine.domain.model import (
    Channel,
    PriorityClass,
    Service,
    Ticket,
    TicketKind,
    TicketStatus,
)
from queue_engine.domain.numbering import next_number
from queue_engine.service.views import ticket_view
from queue_engine.service.work import Work

#: What a handler returns: the reply's data, one model per verb.
Data = ReplyData

STAFF_CHANNELS = frozenset({Channel.DESK, Channel.PHONE})


def view(work: Work, ticket: Ticket) -> TicketView:
    """The reply view of `ticket` as the command leaves it."""
    counters = {cid: work.counter_state(cid) for cid in work.site.counters}
    waiting = work.waiting_in([ticket.service_id])
    busy = work.busy_services()
    return ticket_view(work.site, ticket, waiting, work.state.recent, counters, busy)


def check_language(work: Work, language: str) -> None:
    """Refuse a language the site does not offer."""
    if language not in work.site.languages:
        offered = ", ".join(work.site.languages)
        raise InvalidCommand(f"language {language!r} is not offered here ({offered})")


def new_ticket(
    work: Work,
    service: Service,
    kind: TicketKind,
    language: str,
    channel: Channel,
    priority: PriorityClass = PriorityClass.NORMAL,
    *,
    number: str | None = None,
    at: datetime | None = None,
) -> Ticket:
    """A fresh waiting ticket, issued `at` (default now), with the next free number of
    its local day unless it already has one (a kiosk's leased number)."""
    at = at or work.now
    day = work.site.local_day(at)
    if number is None:
        sequence, number = next_number(
            service.prefix, work.last_sequence(service.id, day), work.in_use()
        )
        work.change.numbering[(service.id, day)] = sequence
    return Ticket(
        id=work.new_ticket_id(),
        number=number,
        day=day,
        service_id=service.id,
        kind=kind,
        priority=priority,
        language=language,
        channel=channel,
        status=TicketStatus.WAITING,
        issued_at=at,
        queued_since=at,
        token=secrets.token_urlsafe(16),
    )


def issued(ticket: Ticket) -> ev.TicketIssued:
    """The event of a newly issued ticket."""
    return ev.TicketIssued(
        at=ticket.issued_at,
        ticket_id=ticket.id,
        number=ticket.number,
        service_id=ticket.service_id,
        kind=ticket.kind,
        priority=ticket.priority,
        channel=ticket.channel,
        language=ticket.language,
        queued_since=ticket.queued_since,
        estimated_wait_s=ticket.estimated_wait_s,
        scheduled_at=ticket.scheduled_at,
    )


def release_counter(work: Work, counter_id: str | None, ticket_id: int) -> None:
    """Free the counter that had `ticket_id`."""
    if counter_id is None:
        return
    state = work.counter_state(counter_id)
    if state.ticket_id == ticket_id:
        work.put_counter(replace(state, ticket_id=None))
