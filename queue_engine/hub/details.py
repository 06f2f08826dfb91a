"""`ticket_details` for staff: the full view of a counter's ticket, answered from memory."""

from __future__ import annotations

from link.protocol import messages as m
from link.protocol.replies import ErrorBody, ReplyMessage, TicketDetails, TicketDetailsResult
from queue_engine.domain.model import Ticket, TicketStatus
from queue_engine.service.state import QueueState
from queue_engine.service.views import documents, ticket_view


def _find(state: QueueState, request: m.TicketDetailsRequest, counter: str | None) -> Ticket | None:
    if request.ticket_id is not None:
        return state.tickets.get(request.ticket_id)
    if request.number is not None:
        ticket_id = state.in_use.get(request.number)
        return state.tickets.get(ticket_id) if ticket_id is not None else None
    own = request.counter_id or counter
    live = state.counters.get(own) if own else None
    return state.tickets.get(live.ticket_id) if live and live.ticket_id is not None else None


def ticket_details(
    state: QueueState, request: m.TicketDetailsRequest, counter: str | None
) -> ReplyMessage[TicketDetailsResult]:
    """The reply: the ticket's view with its transfer notes and documents, or not_found."""
    if request.counter_id not in (None, counter) and counter is not None:
        error = ErrorBody(code="forbidden", message=f"this terminal works for {counter}")
        return ReplyMessage(request_id=request.request_id, ok=False, error=error)
    ticket = _find(state, request, counter)
    if ticket is None:
        error = ErrorBody(code="not_found", message="no such ticket at the moment")
        return ReplyMessage(request_id=request.request_id, ok=False, error=error)
    waiting = list(state.waiting_by_service.get(ticket.service_id, {}).values())
    view = ticket_view(state.site, ticket, waiting, state.recent, state.counters)
    services = [ticket.service_id, *ticket.visit_services]
    waited = (
        round(((ticket.first_called_at or ticket.called_at) - ticket.queued_since).total_seconds())
        if ticket.status is not TicketStatus.WAITING and ticket.called_at
        else None
    )
    details = TicketDetails(
        **dict(view),
        documents=documents(state.site, services, ticket.language),
        waited_s=waited,
    )
    data = TicketDetailsResult(ticket=details)
    return ReplyMessage(request_id=request.request_id, ok=True, data=data)
