"""The ticket life cycle: each transition returns a new ticket or says why it cannot.

waiting → called → serving → done
called → called (recall)          called → no_show → waiting (reactivate, within a window)
waiting/called/serving/held → waiting in another service or counter (transfer, keeps its place)
waiting/called/serving → held → waiting (release)         any but done → cancelled
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from queue_engine.domain.errors import InvalidTransition
from queue_engine.domain.model import Ticket, TicketStatus
from queue_engine.domain.model import Transfer as TransferRecord

S = TicketStatus


def _require(ticket: Ticket, action: str, allowed: set[TicketStatus]) -> None:
    if ticket.status not in allowed:
        wanted = " or ".join(sorted(s.value for s in allowed))
        raise InvalidTransition(
            f"cannot {action} ticket {ticket.number}: it is {ticket.status.value}, not {wanted}",
            ticket=ticket.number,
            status=ticket.status.value,
            action=action,
        )


def call(ticket: Ticket, counter_id: str, now: datetime) -> Ticket:
    """The counter calls the ticket."""
    _require(ticket, "call", {S.WAITING, S.HELD})
    return replace(
        ticket,
        status=S.CALLED,
        counter_id=counter_id,
        called_at=now,
        first_called_at=ticket.first_called_at or now,
        recall_count=0,
        held_at=None,
        hold_until=None,
        target_counter_id=None,
    )


def recall(ticket: Ticket, now: datetime) -> Ticket:
    """Call the same ticket again."""
    _require(ticket, "recall", {S.CALLED})
    return replace(ticket, called_at=now, recall_count=ticket.recall_count + 1)


def start(ticket: Ticket, now: datetime) -> Ticket:
    """The visitor reached the counter."""
    _require(ticket, "start serving", {S.CALLED})
    return replace(ticket, status=S.SERVING, started_at=now)


def _served(ticket: Ticket, now: datetime) -> float:
    """Service seconds including the current serving period."""
    if ticket.status is S.SERVING and ticket.started_at is not None:
        return ticket.served_s + max(0.0, (now - ticket.started_at).total_seconds())
    return ticket.served_s


def finish(ticket: Ticket, now: datetime) -> Ticket:
    """Service is complete."""
    _require(ticket, "finish", {S.SERVING})
    return replace(ticket, status=S.DONE, finished_at=now, served_s=_served(ticket, now))


def no_show(ticket: Ticket, now: datetime) -> Ticket:
    """The called visitor did not come."""
    _require(ticket, "mark as no-show", {S.CALLED})
    return replace(ticket, status=S.NO_SHOW, no_show_at=now, counter_id=None)


def reactivate(ticket: Ticket, now: datetime, window: timedelta) -> Ticket:
    """A late no-show or a held ticket returns to its place in the queue."""
    _require(ticket, "reactivate", {S.NO_SHOW, S.HELD})
    if ticket.status is S.NO_SHOW and ticket.no_show_at and now - ticket.no_show_at > window:
        minutes = int(window.total_seconds() // 60)
        raise InvalidTransition(
            f"cannot reactivate ticket {ticket.number}: it was marked no-show more than "
            f"{minutes} minutes ago; issue a new ticket",
            ticket=ticket.number,
            action="reactivate",
        )
    return replace(ticket, status=S.WAITING, no_show_at=None, held_at=None, hold_until=None)


def hold(ticket: Ticket, now: datetime, until: datetime | None) -> Ticket:
    """Put the ticket aside ("call me back later"); it keeps its place."""
    _require(ticket, "hold", {S.WAITING, S.CALLED, S.SERVING})
    return replace(
        ticket,
        status=S.HELD,
        held_at=now,
        hold_until=until,
        counter_id=None,
        served_s=_served(ticket, now),
    )


def transfer(
    ticket: Ticket,
    now: datetime,
    to_service: str,
    to_counter: str | None,
    note: str = "",
    by: str = "",
) -> Ticket:
    """Move the ticket to another service or counter; `queued_since` stays: no wrong door."""
    _require(ticket, "transfer", {S.WAITING, S.CALLED, S.SERVING, S.HELD})
    record = TransferRecord(
        at=now,
        from_service=ticket.service_id,
        to_service=to_service,
        from_counter=ticket.counter_id,
        to_counter=to_counter,
        note=note,
        by=by,
    )
    return replace(
        ticket,
        status=S.WAITING,
        service_id=to_service,
        counter_id=None,
        target_counter_id=to_counter,
        held_at=None,
        hold_until=None,
        served_s=_served(ticket, now),
        started_at=None,
        recall_count=0,
        transfers=(*ticket.transfers, record),
    )


def cancel(ticket: Ticket, now: datetime, reason: str) -> Ticket:
    """Withdraw the ticket for good."""
    _require(ticket, "cancel", {S.WAITING, S.CALLED, S.SERVING, S.HELD, S.NO_SHOW})
    return replace(
        ticket,
        status=S.CANCELLED,
        cancelled_at=now,
        cancel_reason=reason,
        counter_id=None,
        served_s=_served(ticket, now),
    )
