"""What the hub publishes: retained state and call events, built from the engine's state."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from datetime import datetime

from link.protocol import messages as m
from link.protocol.topics import Topics
from queue_engine.domain.events import Event, TicketCalled, TicketRecalled
from queue_engine.domain.model import Site, Ticket
from queue_engine.service.state import QueueState
from queue_engine.service.views import counter_status, service_status

#: How many calls state/calls keeps.
CALLS_KEPT = 10


def call_of(site: Site, ticket: Ticket, counter_id: str, at: datetime, recall: int) -> m.Call:
    """A call as displays see it: number and counter, nothing else about the visitor."""
    counter = site.counters[counter_id]
    return m.Call(
        ticket_id=ticket.id,
        number=ticket.number,
        service_id=ticket.service_id,
        counter_id=counter_id,
        counter_name=counter.name,
        zone=counter.zone,
        language=ticket.language,
        at=at,
        recall=recall,
    )


class Snapshotter:
    """Builds the retained messages and remembers what was last published, to skip repeats."""

    def __init__(self, site: Site, topics: Topics) -> None:
        self.site = site
        self.topics = topics
        self.calls: deque[m.Call] = deque(maxlen=CALLS_KEPT)
        self._published: dict[str, str] = {}

    def restore_calls(self, events: Iterable[Event], state: QueueState) -> None:
        """Rebuild the recent calls from today's event log (after a restart)."""
        for event in events:
            if isinstance(event, TicketCalled | TicketRecalled):
                ticket = state.tickets.get(event.ticket_id)
                if ticket is not None and event.counter_id in state.site.counters:
                    recall = event.recall_count if isinstance(event, TicketRecalled) else 0
                    self.calls.appendleft(
                        call_of(state.site, ticket, event.counter_id, event.at, recall)
                    )

    def add_call(self, call: m.Call) -> None:
        """Remember a new call (newest first)."""
        self.calls.appendleft(call)

    def messages(self, state: QueueState, now: datetime) -> list[tuple[str, m.Message]]:
        """Every retained (topic, message) pair as it should be now."""
        services = service_status(state.site, state, now)
        out: list[tuple[str, m.Message]] = [
            (self.topics.services, m.ServicesState(at=now, services=services))
        ]
        for counter in counter_status(state.site, state, now):
            out.append((self.topics.counter(counter.id), counter))
        out.append((self.topics.calls, m.CallsState(at=now, calls=list(self.calls))))
        return out

    def changed(self, state: QueueState, now: datetime) -> list[tuple[str, str]]:
        """The retained messages whose content (apart from the time stamp) changed."""
        fresh = []
        for topic, message in self.messages(state, now):
            key = message.model_dump_json(exclude={"at"})
            if self._published.get(topic) != key:
                self._published[topic] = key
                fresh.append((topic, message.model_dump_json()))
        return fresh

    def forget(self) -> None:
        """Publish everything again next time (after a reconnect)."""
        self._published.clear()
