"""Counter commands: call, recall, start, finish, no-show, hold, transfer, cancel, status."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from link.protocol.replies import CallResult, CounterStatusResult, TicketReply
from queue_engine.domain import commands as c
from queue_engine.domain import events as ev
from queue_engine.domain import lifecycle
from queue_engine.domain.errors import InvalidCommand, InvalidTransition
from queue_engine.domain.model import (
    CancelReason,
    CounterState,
    CounterStatus,
    Ticket,
    TicketStatus,
)
from queue_engine.domain.policy import choose_next
from queue_engine.service.handlers.common import release_counter, view
from queue_engine.service.work import Work


def _open_counter(work: Work, counter_id: str) -> CounterState:
    state = work.counter_state(counter_id)
    if state.status is not CounterStatus.OPEN:
        name = work.counter(counter_id).name
        raise InvalidTransition(
            f"{name} is {state.status.value}; open it before calling a ticket",
            counter=counter_id,
        )
    return state


def _current(work: Work, counter_id: str) -> Ticket:
    state = work.counter_state(counter_id)
    if state.ticket_id is None:
        name = work.counter(counter_id).name
        raise InvalidTransition(f"{name} has no ticket at the moment", counter=counter_id)
    return work.ticket(state.ticket_id)


def _finish(work: Work, ticket: Ticket, counter_id: str) -> Ticket:
    """Finish at this counter; a visit with more services continues, keeping its place."""
    if ticket.status is TicketStatus.CALLED:
        ticket = work.put(
            lifecycle.start(ticket, work.now),
            ev.ServiceStarted(at=work.now, ticket_id=ticket.id, counter_id=counter_id),
        )
    finished = ev.TicketFinished(
        at=work.now,
        ticket_id=ticket.id,
        service_id=ticket.service_id,
        counter_id=counter_id,
        continues=bool(ticket.visit_services),
    )
    release_counter(work, counter_id, ticket.id)
    if not ticket.visit_services:
        return work.put(lifecycle.finish(ticket, work.now), finished)
    following, *rest = ticket.visit_services
    moved = lifecycle.transfer(ticket, work.now, following, None, by=counter_id)
    moved = replace(moved, visit_services=tuple(rest))
    transferred = ev.TicketTransferred(
        at=work.now,
        ticket_id=ticket.id,
        from_service=ticket.service_id,
        to_service=following,
        from_counter=counter_id,
        to_counter=None,
    )
    return work.put(moved, finished, transferred)


def _free_for_call(work: Work, counter_id: str) -> CounterState:
    """Make the counter ready for a new call: a ticket being served is finished first."""
    state = _open_counter(work, counter_id)
    if state.ticket_id is None:
        return state
    current = work.ticket(state.ticket_id)
    if current.status is TicketStatus.CALLED:
        name = work.counter(counter_id).name
        raise InvalidTransition(
            f"{name} still has {current.number} called; start it, recall it or mark it "
            "no-show first",
            counter=counter_id,
            ticket=current.number,
        )
    if current.status is TicketStatus.SERVING:
        _finish(work, current, counter_id)
    return work.counter_state(counter_id)


def _called(work: Work, ticket: Ticket, counter_id: str, specific: bool) -> Ticket:
    ticket = lifecycle.call(ticket, counter_id, work.now)
    return work.put(
        ticket,
        ev.TicketCalled(
            at=work.now,
            ticket_id=ticket.id,
            service_id=ticket.service_id,
            counter_id=counter_id,
            specific=specific,
        ),
    )


def call_next(work: Work, cmd: c.CallNext) -> CallResult:
    """Call the next visitor by the site's policy."""
    state = _free_for_call(work, cmd.counter_id)
    counter = work.counter(cmd.counter_id)
    services = [cs.service_id for cs in counter.services]
    waiting = work.waiting_in(services, counter.id)
    choice = choose_next(counter, state, waiting, work.site.policy, work.now)
    if choice is None:
        return CallResult(message=f"nobody is waiting for {counter.name}")
    ticket = _called(work, choice.ticket, counter.id, specific=False)
    work.put_counter(replace(choice.counter_state, ticket_id=ticket.id))
    return CallResult(ticket=view(work, ticket), tier=choice.tier)


def call_ticket(work: Work, cmd: c.CallTicket) -> TicketReply:
    """Call one particular ticket."""
    state = _free_for_call(work, cmd.counter_id)
    ticket = _called(work, work.ticket(cmd.ticket_id), cmd.counter_id, specific=True)
    work.put_counter(replace(state, ticket_id=ticket.id))
    return TicketReply(ticket=view(work, ticket))


def recall(work: Work, cmd: c.Recall) -> TicketReply:
    """Call the counter's ticket again."""
    ticket = lifecycle.recall(_current(work, cmd.counter_id), work.now)
    work.put(
        ticket,
        ev.TicketRecalled(
            at=work.now,
            ticket_id=ticket.id,
            counter_id=cmd.counter_id,
            recall_count=ticket.recall_count,
        ),
    )
    return TicketReply(ticket=view(work, ticket))


def start(work: Work, cmd: c.StartService) -> TicketReply:
    """The visitor reached the counter."""
    ticket = lifecycle.start(_current(work, cmd.counter_id), work.now)
    work.put(ticket, ev.ServiceStarted(at=work.now, ticket_id=ticket.id, counter_id=cmd.counter_id))
    return TicketReply(ticket=view(work, ticket))


def finish(work: Work, cmd: c.Finish) -> TicketReply:
    """Done at this counter."""
    ticket = _finish(work, _current(work, cmd.counter_id), cmd.counter_id)
    return TicketReply(ticket=view(work, ticket))


def no_show(work: Work, cmd: c.MarkNoShow) -> TicketReply:
    """The called visitor did not come."""
    current = _current(work, cmd.counter_id)
    ticket = lifecycle.no_show(current, work.now)
    release_counter(work, cmd.counter_id, ticket.id)
    work.put(
        ticket,
        ev.TicketNoShow(
            at=work.now,
            ticket_id=ticket.id,
            service_id=ticket.service_id,
            counter_id=cmd.counter_id,
        ),
    )
    return TicketReply(ticket=view(work, ticket))


def reactivate(work: Work, cmd: c.Reactivate) -> TicketReply:
    """A no-show who turned up, or a held ticket, goes back to its place."""
    window = timedelta(minutes=work.site.policy.no_show_reactivate_minutes)
    ticket = lifecycle.reactivate(work.ticket(cmd.ticket_id), work.now, window)
    work.put(ticket, ev.TicketReactivated(at=work.now, ticket_id=ticket.id))
    return TicketReply(ticket=view(work, ticket))


def _target(work: Work, counter_id: str | None, ticket_id: int | None) -> Ticket:
    if (counter_id is None) == (ticket_id is None):
        raise InvalidCommand("name either the counter whose ticket it is, or the ticket id")
    if counter_id is not None:
        return _current(work, counter_id)
    assert ticket_id is not None
    return work.ticket(ticket_id)


def hold(work: Work, cmd: c.Hold) -> TicketReply:
    """Put a ticket aside; it keeps its place."""
    if cmd.minutes is not None and not 1 <= cmd.minutes <= 24 * 60:
        raise InvalidCommand(f"hold minutes must be between 1 and 1440, got {cmd.minutes}")
    current = _target(work, cmd.counter_id, cmd.ticket_id)
    until = work.now + timedelta(minutes=cmd.minutes) if cmd.minutes else None
    ticket = lifecycle.hold(current, work.now, until)
    release_counter(work, current.counter_id, ticket.id)
    work.put(
        ticket,
        ev.TicketHeld(at=work.now, ticket_id=ticket.id, counter_id=current.counter_id, until=until),
    )
    return TicketReply(ticket=view(work, ticket))


MAX_NOTE = 500


def transfer(work: Work, cmd: c.Transfer) -> TicketReply:
    """Move a ticket to another service or counter: no wrong door."""
    if cmd.to_service_id is None and cmd.to_counter_id is None:
        raise InvalidCommand("a transfer needs a service or a counter to go to")
    if len(cmd.note) > MAX_NOTE:
        raise InvalidCommand(f"the transfer note is {len(cmd.note)} characters; at most {MAX_NOTE}")
    current = _target(work, cmd.counter_id, cmd.ticket_id)
    to_service = work.service(cmd.to_service_id or current.service_id).id
    if cmd.to_counter_id is not None:
        work.counter(cmd.to_counter_id)
    if to_service == current.service_id and cmd.to_counter_id in (None, current.counter_id):
        raise InvalidCommand(f"ticket {current.number} is already with that service")
    ticket = lifecycle.transfer(
        current, work.now, to_service, cmd.to_counter_id, cmd.note, by=cmd.actor
    )
    release_counter(work, current.counter_id, ticket.id)
    work.put(
        ticket,
        ev.TicketTransferred(
            at=work.now,
            ticket_id=ticket.id,
            from_service=current.service_id,
            to_service=to_service,
            from_counter=current.counter_id,
            to_counter=cmd.to_counter_id,
            has_note=bool(cmd.note),
        ),
    )
    return TicketReply(ticket=view(work, ticket))


def cancel(work: Work, cmd: c.CancelTicket) -> TicketReply:
    """Withdraw a ticket."""
    current = work.ticket(cmd.ticket_id)
    try:
        reason = CancelReason(cmd.reason)
    except ValueError:
        known = ", ".join(r.value for r in CancelReason)
        raise InvalidCommand(f"unknown cancel reason {cmd.reason!r} (one of {known})") from None
    ticket = lifecycle.cancel(current, work.now, reason.value)
    release_counter(work, current.counter_id, ticket.id)
    work.put(
        ticket,
        ev.TicketCancelled(
            at=work.now, ticket_id=ticket.id, service_id=ticket.service_id, reason=reason.value
        ),
    )
    return TicketReply(ticket=view(work, ticket))


def set_counter_status(work: Work, cmd: c.SetCounterStatus) -> CounterStatusResult:
    """Open, pause or close a counter."""
    state = work.counter_state(cmd.counter_id)
    status = CounterStatus(cmd.status)
    if status is CounterStatus.CLOSED and state.ticket_id is not None:
        current = work.ticket(state.ticket_id)
        raise InvalidTransition(
            f"{work.counter(cmd.counter_id).name} still has {current.number}; finish, hold or "
            "transfer it before closing",
            counter=cmd.counter_id,
        )
    if status is not state.status:
        work.put_counter(
            replace(state, status=status, changed_at=work.now),
            ev.CounterStatusChanged(at=work.now, counter_id=cmd.counter_id, status=status),
        )
    return CounterStatusResult(counter_id=cmd.counter_id, status=status)
