"""Today's figures per counter, folded from the day's events as they happen."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from queue_engine.domain.events import (
    Event,
    ServiceStarted,
    TicketCalled,
    TicketFinished,
    TicketNoShow,
    TicketTransferred,
)


@dataclass
class CounterDay:
    """One counter's figures of one local day."""

    called: int = 0
    served: int = 0
    no_shows: int = 0
    transferred_out: int = 0
    service_s: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The figures as published in the counter's state."""
        return {
            "called": self.called,
            "served": self.served,
            "no_shows": self.no_shows,
            "transferred_out": self.transferred_out,
            "service_time_mean_s": round(statistics.fmean(self.service_s))
            if self.service_s
            else None,
            "service_time_median_s": round(statistics.median(self.service_s))
            if self.service_s
            else None,
        }


@dataclass
class DayFigures:
    """Every counter's figures of the day, and what is needed to fold the next event."""

    counters: dict[str, CounterDay] = field(default_factory=dict)
    _started: dict[int, tuple[str, datetime]] = field(default_factory=dict)
    _continuing: set[int] = field(default_factory=set)

    def of(self, counter_id: str) -> CounterDay:
        """A counter's figures (zero before its first event)."""
        return self.counters.setdefault(counter_id, CounterDay())

    def record(self, event: Event) -> None:
        """Fold one event in."""
        if isinstance(event, TicketCalled):
            self.of(event.counter_id).called += 1
        elif isinstance(event, ServiceStarted):
            self._started[event.ticket_id] = (event.counter_id, event.at)
        elif isinstance(event, TicketFinished):
            self._finished(event)
        elif isinstance(event, TicketNoShow) and event.counter_id is not None:
            self.of(event.counter_id).no_shows += 1
        elif isinstance(event, TicketTransferred) and event.from_counter is not None:
            if event.ticket_id in self._continuing:
                self._continuing.discard(event.ticket_id)  # the visit's next service
            else:
                self.of(event.from_counter).transferred_out += 1

    def _finished(self, event: TicketFinished) -> None:
        day = self.of(event.counter_id)
        day.served += 1
        started = self._started.pop(event.ticket_id, None)
        if started is not None and started[0] == event.counter_id:
            day.service_s.append(max(0.0, (event.at - started[1]).total_seconds()))
        if event.continues:
            self._continuing.add(event.ticket_id)
