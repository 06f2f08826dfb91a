"""The hub's copy of its event log on MQTT (events/log), for a central collector.

Each committed event goes out once, in order, with QoS 1. `seq` starts at the hub's start
time in microseconds and grows by one per event, so it stays unique per site across
restarts without reading the store; a collector drops what QoS 1 delivers twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence

from link.protocol import messages as m
from link.protocol.topics import Topics
from queue_engine.domain.events import Event, event_to_json


def first_seq() -> int:
    """Where a hub starting now numbers its events from: the time in microseconds."""
    return time.time_ns() // 1000


def entry(site: str, seq: int, event: Event) -> m.EventLogEntry:
    """The events/log message of one event."""
    return m.EventLogEntry(
        site=site, seq=seq, type=event.type_name, event=json.loads(event_to_json(event))
    )


class EventLogPublisher:
    """Publishes committed events on the site's events/log topic, numbering them."""

    def __init__(
        self, topics: Topics, publish: Callable[[str, bytes], object], start: int | None = None
    ) -> None:
        self.topics = topics
        self._publish = publish
        self.next_seq = first_seq() if start is None else start

    def __call__(self, events: Sequence[Event]) -> None:
        """Publish `events` in order (the engine calls this after each commit)."""
        for event in events:
            message = entry(self.topics.site, self.next_seq, event)
            self.next_seq += 1
            self._publish(self.topics.events_log, message.model_dump_json().encode())
