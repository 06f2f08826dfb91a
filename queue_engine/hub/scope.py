"""Which tickets a staff terminal may name: its counter's own, and those waiting for it.

A counter's terminal may act on (hold, cancel, reactivate, add a service to, read the
details of) a ticket that is at its counter or sent to it, or one that is at no counter
and is for a service the counter serves (waiting, held or a no-show). It transfers only a
ticket at its counter or sent to it. Another counter's tickets and other services' tickets
are refused: a terminal cannot read a transfer note meant for someone else, nor cancel a
ticket it was never going to serve. A command that names no ticket acts on the counter's
own and needs no check.
"""

from __future__ import annotations

from link.protocol import messages as m
from link.protocol.roles import Device
from queue_engine.domain.model import Counter, Ticket
from queue_engine.hub.dispatch import Refused
from queue_engine.service.state import QueueState

#: Verbs that name a ticket, and whether a ticket waiting for the counter may be named too.
SCOPED: dict[str, bool] = {
    "hold": True,
    "cancel": True,
    "reactivate": True,
    "add_visit_service": True,
    "ticket_details": True,
    "transfer": False,
}


def check_scope(device: Device, verb: str, request: m.Request, state: QueueState) -> None:
    """Raise Refused when a counter's terminal names a ticket that is not its to act on."""
    if device.counter is None or verb not in SCOPED:
        return
    ticket = _named(request, state)
    counter = state.site.counters.get(device.counter)
    if ticket is None or counter is None:
        return  # nothing named (the counter's own ticket), or unknown: the engine says so
    if not _own(ticket, counter) and not (SCOPED[verb] and _waiting_for(ticket, counter)):
        message = f"ticket {ticket.number} is not at {counter.id} nor waiting for it"
        raise Refused(request.request_id, "forbidden", message)


def _named(request: m.Request, state: QueueState) -> Ticket | None:
    """The ticket a request names by id or number, if it names one the state knows."""
    ticket_id: int | None = getattr(request, "ticket_id", None)
    number: str | None = getattr(request, "number", None)
    if ticket_id is None and number is not None:
        ticket_id = state.in_use.get(number)
    return state.tickets.get(ticket_id) if ticket_id is not None else None


def _own(ticket: Ticket, counter: Counter) -> bool:
    """At the counter (called or being served), or sent to it by a transfer."""
    return counter.id in (ticket.counter_id, ticket.target_counter_id)


def _waiting_for(ticket: Ticket, counter: Counter) -> bool:
    """At no counter, sent to no other counter, and for a service the counter serves."""
    free = ticket.counter_id is None and ticket.target_counter_id is None
    return free and counter.serves(ticket.service_id)
