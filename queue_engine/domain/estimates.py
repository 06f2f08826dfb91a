"""Position and expected wait, from the counters open for a service and recent service times."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from queue_engine.domain.model import (
    Counter,
    CounterState,
    CounterStatus,
    PriorityClass,
    Service,
    Ticket,
    TicketStatus,
)
from queue_engine.domain.policy import fifo_key

#: Weight of the configured expected minutes against measured samples (a prior of N samples).
PRIOR_SAMPLES = 3


@dataclass(frozen=True)
class Estimate:
    """Where a ticket stands: how many go before it and roughly how long that takes."""

    position: int
    expected_wait_s: float


def mean_service_seconds(service: Service, recent: Sequence[float]) -> float:
    """Recent service times blended with the configured expectation (few samples don't swing it)."""
    prior = service.expected_minutes * 60.0
    return (prior * PRIOR_SAMPLES + sum(recent)) / (PRIOR_SAMPLES + len(recent))


def capacity(
    service_id: str,
    counters: Mapping[str, Counter],
    states: Mapping[str, CounterState],
) -> float:
    """How many counters' worth of work goes to `service_id`.

    Each open counter gives the service its share by weight. When no counter serving
    it is open (before opening, or all paused), assume the configured ones will open.
    """
    serving = [c for c in counters.values() if c.serves(service_id)]
    open_ = [c for c in serving if _is_open(states.get(c.id))]
    share = sum(_share(c, service_id) for c in (open_ or serving))
    return share


def _is_open(state: CounterState | None) -> bool:
    return state is not None and state.status is CounterStatus.OPEN


def _share(counter: Counter, service_id: str) -> float:
    total = sum(cs.weight for cs in counter.services) or 1.0
    return counter.weight(service_id) / total


def ahead_of(ticket: Ticket, waiting: Iterable[Ticket]) -> list[Ticket]:
    """Tickets of the same service that will be called before `ticket` (FIFO, priority first)."""
    key = fifo_key(ticket)
    normal = ticket.priority is not PriorityClass.PRIORITY
    return [
        t
        for t in waiting
        if t.id != ticket.id
        and t.service_id == ticket.service_id
        and t.status is TicketStatus.WAITING
        and (fifo_key(t) < key or (normal and t.priority is PriorityClass.PRIORITY))
    ]


def estimate(
    ticket: Ticket,
    waiting: Iterable[Ticket],
    service: Service,
    recent: Sequence[float],
    counters: Mapping[str, Counter],
    states: Mapping[str, CounterState],
) -> Estimate:
    """Position (1 = next) and expected wait in seconds for a waiting ticket."""
    ahead = len(ahead_of(ticket, waiting))
    return Estimate(ahead + 1, expected_wait(ahead, service, recent, counters, states))


def expected_wait(
    ahead: int,
    service: Service,
    recent: Sequence[float],
    counters: Mapping[str, Counter],
    states: Mapping[str, CounterState],
) -> float:
    """Seconds until a ticket with `ahead` tickets before it is called.

    Counters that are busy finish their current visitor in half a service time on average.
    """
    per_visit = mean_service_seconds(service, recent)
    share = capacity(service.id, counters, states)
    if share <= 0:
        return float(ahead + 1) * per_visit
    busy = sum(
        _share(counters[cid], service.id)
        for cid, st in states.items()
        if cid in counters and st.ticket_id is not None and _is_open(st)
    )
    free_slots = max(share - busy, 0.0)
    queue_work = ahead * per_visit + busy * per_visit / 2
    if ahead == 0 and free_slots > 0:
        return 0.0
    return queue_work / share
