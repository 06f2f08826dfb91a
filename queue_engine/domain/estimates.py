"""Position and expected wait, from the counters open for a service and recent service times."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
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
    busy_services: Collection[str] = (),
) -> float:
    """How many counters' worth of work goes to `service_id`.

    A counter shares its time among its services that have people waiting, by weight; a
    counter on a break counts (it comes back). When no counter serving the service is open
    or paused (before opening, or all closed), assume the configured ones will open.
    """
    serving = [c for c in counters.values() if c.serves(service_id)]
    staffed = [c for c in serving if _staffed(states.get(c.id))]
    return sum(_share(c, service_id, busy_services) for c in (staffed or serving))


def _staffed(state: CounterState | None) -> bool:
    return state is not None and state.status is not CounterStatus.CLOSED


def _share(counter: Counter, service_id: str, busy_services: Collection[str]) -> float:
    competing = [
        cs.weight
        for cs in counter.services
        if cs.service_id == service_id or cs.service_id in busy_services
    ]
    return counter.weight(service_id) / (sum(competing) or 1.0)


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
    busy: Collection[str] | None = None,
) -> Estimate:
    """Position (1 = next) and expected wait in seconds for a waiting ticket.

    `busy` is the set of services with someone waiting (default: those in `waiting`).
    """
    waiting = list(waiting)
    ahead = len(ahead_of(ticket, waiting))
    if busy is None:
        busy = {t.service_id for t in waiting}
    return Estimate(ahead + 1, expected_wait(ahead, service, recent, counters, states, busy))


def expected_wait(
    ahead: int,
    service: Service,
    recent: Sequence[float],
    counters: Mapping[str, Counter],
    states: Mapping[str, CounterState],
    busy_services: Collection[str] = (),
) -> float:
    """Seconds until a ticket with `ahead` tickets before it is called.

    Counters that are busy finish their current visitor in half a service time on average.
    """
    per_visit = mean_service_seconds(service, recent)
    share = capacity(service.id, counters, states, busy_services)
    if share <= 0:
        return float(ahead + 1) * per_visit
    serving_now = sum(
        _share(counters[cid], service.id, busy_services)
        for cid, st in states.items()
        if cid in counters and st.ticket_id is not None and counters[cid].serves(service.id)
    )
    if ahead == 0 and share - serving_now > 0:
        return 0.0
    return (ahead * per_visit + serving_now * per_visit / 2) / share
