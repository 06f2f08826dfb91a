"""Who a counter calls next.

1. Checked-in appointments that are due (from `appointment_due_minutes` before their start),
   earliest scheduled first.
2. Walk-in tickets: priority and normal classes alternate by the site's ratio (at most
   `priority_per_cycle` priority calls, then `normal_per_cycle` normal calls while normal
   tickets wait), so priority goes first but never starves the normal queue.
3. Within a class, across the counter's services: the longest wait multiplied by the
   service's weight at this counter (or the counter's service order, if it is `ordered`);
   first come, first served within one service and class.
4. Appointments checked in early, when nobody else waits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from queue_engine.domain.model import (
    Counter,
    CounterState,
    Policy,
    PriorityClass,
    Ticket,
    TicketKind,
    TicketStatus,
)


@dataclass(frozen=True)
class Choice:
    """The ticket to call, why, and the counter's ratio state after the call."""

    ticket: Ticket
    tier: str
    counter_state: CounterState


def eligible(ticket: Ticket, counter: Counter) -> bool:
    """Whether `counter` may call `ticket` now."""
    if ticket.status is not TicketStatus.WAITING:
        return False
    if ticket.target_counter_id is not None:
        return ticket.target_counter_id == counter.id
    return counter.serves(ticket.service_id)


def fifo_key(ticket: Ticket) -> tuple[datetime, int]:
    """First come, first served: the original arrival, then the ticket id."""
    return (ticket.queued_since, ticket.id)


def is_due(ticket: Ticket, policy: Policy, now: datetime) -> bool:
    """Whether an appointment ticket's time has come."""
    if ticket.kind is not TicketKind.APPOINTMENT or ticket.scheduled_at is None:
        return False
    return ticket.scheduled_at - timedelta(minutes=policy.appointment_due_minutes) <= now


def _by_schedule(ticket: Ticket) -> tuple[datetime, datetime, int]:
    assert ticket.scheduled_at is not None
    return (ticket.scheduled_at, ticket.queued_since, ticket.id)


def pick_across_services(counter: Counter, tickets: Sequence[Ticket], now: datetime) -> Ticket:
    """Longest (weighted) wait first, or the counter's service order; FIFO within a service."""
    if counter.ordered:
        order = {cs.service_id: i for i, cs in enumerate(counter.services)}

        def rank(t: Ticket) -> tuple[int, datetime, int]:
            targeted = t.target_counter_id == counter.id
            return (-1 if targeted else order.get(t.service_id, len(order)), *fifo_key(t))

        return min(tickets, key=rank)

    def score(t: Ticket) -> tuple[float, float, int]:
        weight = counter.weight(t.service_id) or 1.0
        waited = (now - t.queued_since).total_seconds()
        # Highest weighted wait first; ties by earliest arrival, then lowest id.
        return (-weight * max(waited, 0.0), t.queued_since.timestamp(), t.id)

    return min(tickets, key=score)


def priority_turn(state: CounterState, policy: Policy) -> bool:
    """Whether the ratio lets this counter call a priority ticket before a waiting normal one."""
    return policy.normal_per_cycle == 0 or state.priority_streak < policy.priority_per_cycle


def after_call(state: CounterState, priority: PriorityClass, policy: Policy) -> CounterState:
    """The counter's ratio state after calling a walk-in of class `priority`."""
    if priority is PriorityClass.PRIORITY:
        return replace(state, priority_streak=state.priority_streak + 1, normal_streak=0)
    normal = state.normal_streak + 1
    if normal >= policy.normal_per_cycle:
        return replace(state, priority_streak=0, normal_streak=normal)
    return replace(state, normal_streak=normal)


def choose_next(
    counter: Counter,
    state: CounterState,
    tickets: Iterable[Ticket],
    policy: Policy,
    now: datetime,
) -> Choice | None:
    """The ticket `counter` should call next, or None if nobody waits for it."""
    candidates = [t for t in tickets if eligible(t, counter)]
    due = [t for t in candidates if is_due(t, policy, now)]
    if due:
        return Choice(min(due, key=_by_schedule), "appointment", state)
    walk_ins = [t for t in candidates if t.kind is TicketKind.WALK_IN]
    priority = [t for t in walk_ins if t.priority is PriorityClass.PRIORITY]
    normal = [t for t in walk_ins if t.priority is not PriorityClass.PRIORITY]
    if priority and (not normal or priority_turn(state, policy)):
        chosen = pick_across_services(counter, priority, now)
        return Choice(chosen, "priority", after_call(state, PriorityClass.PRIORITY, policy))
    if normal:
        chosen = pick_across_services(counter, normal, now)
        return Choice(chosen, "normal", after_call(state, PriorityClass.NORMAL, policy))
    early = [t for t in candidates if t.kind is TicketKind.APPOINTMENT]
    if early:
        return Choice(min(early, key=_by_schedule), "early_appointment", state)
    return None
