"""Front-office KPIs, computed from the anonymous event log.

The log is folded into one `TicketFacts` per ticket, and the facts into `KpiRow`s per
day, service, counter and channel. Times are seconds; tables show minutes.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from queue_engine.domain.events import (
    Event,
    ServiceStarted,
    TicketCalled,
    TicketCancelled,
    TicketFinished,
    TicketHeld,
    TicketIssued,
    TicketNoShow,
    TicketReactivated,
    TicketReleased,
    TicketTransferred,
)
from queue_engine.domain.model import Channel, PriorityClass, Site, TicketKind, TicketStatus


class Outcome(enum.StrEnum):
    """How a ticket ended, as far as the log goes."""

    SERVED = "served"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    OPEN = "open"


class Grouping(enum.StrEnum):
    """What a KPI table is broken down by."""

    OVERALL = "overall"
    DAY = "day"
    SERVICE = "service"
    COUNTER = "counter"
    CHANNEL = "channel"
    KIND = "kind"
    PRIORITY = "priority"


@dataclass(frozen=True)
class TicketFacts:
    """What the log tells about one ticket, with no personal data."""

    ticket_id: int
    day: date
    service_at_issue: str
    service_at_end: str
    channel: Channel
    kind: TicketKind
    priority: PriorityClass
    queued_since: datetime
    first_called_at: datetime | None
    #: The counter of the first call; of the last finished service; of the last call,
    #: start, finish or no-show (where the ticket is, or ended).
    first_counter: str | None
    final_counter: str | None
    last_counter: str | None
    wait_s: float | None
    #: Time at a counter: the sum of the intervals from each start to the finish, transfer,
    #: hold, no-show or cancel that ended it; None when service never started.
    service_s: float | None
    outcome: Outcome
    transfers: int
    within_target: bool | None


@dataclass
class _Track:
    """A ticket's running state while the log is folded."""

    issued: TicketIssued
    service_id: str
    status: TicketStatus = TicketStatus.WAITING
    first_called_at: datetime | None = None
    first_service: str | None = None
    first_counter: str | None = None
    final_counter: str | None = None
    last_counter: str | None = None
    started_at: datetime | None = None
    service_s: float | None = None
    transfers: int = 0


def _stop_clock(track: _Track, at: datetime) -> None:
    """Close a running service interval, if any (as the engine counts `served_s`)."""
    if track.started_at is not None:
        track.service_s = (track.service_s or 0.0) + (at - track.started_at).total_seconds()
        track.started_at = None


def _on_called(track: _Track, event: TicketCalled) -> None:
    if track.first_called_at is None:
        track.first_called_at = event.at
        track.first_service = event.service_id
        track.first_counter = event.counter_id
    track.last_counter = event.counter_id
    track.status = TicketStatus.CALLED


def _on_started(track: _Track, event: ServiceStarted) -> None:
    track.started_at = event.at
    track.last_counter = event.counter_id
    track.status = TicketStatus.SERVING


def _on_finished(track: _Track, event: TicketFinished) -> None:
    _stop_clock(track, event.at)
    track.service_id = event.service_id
    track.final_counter = track.last_counter = event.counter_id
    track.status = TicketStatus.DONE


def _on_transferred(track: _Track, event: TicketTransferred) -> None:
    _stop_clock(track, event.at)
    track.service_id = event.to_service
    track.transfers += 1
    track.status = TicketStatus.WAITING


def _on_no_show(track: _Track, event: TicketNoShow) -> None:
    _stop_clock(track, event.at)
    track.last_counter = event.counter_id or track.last_counter
    track.status = TicketStatus.NO_SHOW


def _on_held(track: _Track, event: TicketHeld) -> None:
    _stop_clock(track, event.at)
    track.status = TicketStatus.HELD


def _on_cancelled(track: _Track, event: TicketCancelled) -> None:
    _stop_clock(track, event.at)
    track.status = TicketStatus.CANCELLED


def _on_back_in_queue(track: _Track, event: TicketReactivated | TicketReleased) -> None:
    track.status = TicketStatus.WAITING


_HANDLERS: dict[type[Event], Callable[[_Track, Any], None]] = {
    TicketCalled: _on_called,
    ServiceStarted: _on_started,
    TicketFinished: _on_finished,
    TicketTransferred: _on_transferred,
    TicketNoShow: _on_no_show,
    TicketHeld: _on_held,
    TicketCancelled: _on_cancelled,
    TicketReactivated: _on_back_in_queue,
    TicketReleased: _on_back_in_queue,
}

_OUTCOMES = {
    TicketStatus.DONE: Outcome.SERVED,
    TicketStatus.NO_SHOW: Outcome.NO_SHOW,
    TicketStatus.CANCELLED: Outcome.CANCELLED,
}


def _fold(events: Iterable[Event]) -> dict[int, _Track]:
    """Replay the log (in log order) into one track per ticket issued in it."""
    tracks: dict[int, _Track] = {}
    for event in events:
        if isinstance(event, TicketIssued):
            tracks[event.ticket_id] = _Track(issued=event, service_id=event.service_id)
            continue
        handler = _HANDLERS.get(type(event))
        track = tracks.get(getattr(event, "ticket_id", -1))
        if handler is not None and track is not None:
            handler(track, event)
    return tracks


def _within_target(track: _Track, wait_s: float | None, site: Site) -> bool | None:
    """Whether the first call came within the target wait of the service it waited for."""
    service = site.services.get(track.first_service or "")
    if wait_s is None or service is None:
        return None
    return wait_s <= service.target_wait_minutes * 60


def _facts(track: _Track, site: Site) -> TicketFacts:
    """Freeze a folded track into the ticket's facts."""
    issued = track.issued
    called = track.first_called_at
    wait_s = None if called is None else (called - issued.queued_since).total_seconds()
    return TicketFacts(
        ticket_id=issued.ticket_id,
        day=site.local_day(issued.at),
        service_at_issue=issued.service_id,
        service_at_end=track.service_id,
        channel=issued.channel,
        kind=issued.kind,
        priority=issued.priority,
        queued_since=issued.queued_since,
        first_called_at=called,
        first_counter=track.first_counter,
        final_counter=track.final_counter,
        last_counter=track.last_counter,
        wait_s=wait_s,
        service_s=track.service_s,
        outcome=_OUTCOMES.get(track.status, Outcome.OPEN),
        transfers=track.transfers,
        within_target=_within_target(track, wait_s, site),
    )


def ticket_facts(events: Iterable[Event], site: Site) -> list[TicketFacts]:
    """One `TicketFacts` per ticket issued in the log, in order of issue.

    Events of tickets issued before the log starts are ignored. A ticket is served when
    its last state is done: a finish followed by a transfer puts it back in the queue.
    """
    return [_facts(track, site) for track in _fold(events).values()]


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) by linear interpolation between closest ranks.

    Same as numpy's default ("linear") and `statistics.quantiles(method="inclusive")`:
    rank (n - 1) * q / 100 over the sorted values. None for no values.
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class KpiRow:
    """The figures of one group of tickets; durations in seconds, None without data."""

    group: str
    issued: int
    served: int
    no_shows: int
    cancelled: int
    open: int
    transfers: int
    wait_mean_s: float | None
    wait_median_s: float | None
    wait_p90_s: float | None
    service_mean_s: float | None
    service_median_s: float | None
    service_p90_s: float | None
    #: Share (0..1) of called tickets first called within their service's target wait.
    within_target: float | None


def _spread(values: list[float]) -> tuple[float | None, float | None, float | None]:
    """Mean, median and 90th percentile, or Nones for no values."""
    if not values:
        return None, None, None
    return statistics.fmean(values), statistics.median(values), percentile(values, 90)


def _share(flags: list[bool]) -> float | None:
    """The share of True flags, or None for none."""
    return sum(flags) / len(flags) if flags else None


def _row(group: str, facts: Sequence[TicketFacts]) -> KpiRow:
    """Sum up one group of tickets."""
    outcomes = [f.outcome for f in facts]
    waits = [f.wait_s for f in facts if f.wait_s is not None]
    services = [f.service_s for f in facts if f.service_s is not None]
    return KpiRow(
        group,
        len(facts),
        outcomes.count(Outcome.SERVED),
        outcomes.count(Outcome.NO_SHOW),
        outcomes.count(Outcome.CANCELLED),
        outcomes.count(Outcome.OPEN),
        sum(f.transfers for f in facts),
        *_spread(waits),
        *_spread(services),
        _share([f.within_target for f in facts if f.within_target is not None]),
    )


#: The group key of a ticket per grouping. A visit counts for the service it was issued
#: for, and for the counter that last called, served or marked it ("-": never called).
_KEYS: dict[Grouping, Callable[[TicketFacts], str]] = {
    Grouping.OVERALL: lambda f: "all",
    Grouping.DAY: lambda f: f.day.isoformat(),
    Grouping.SERVICE: lambda f: f.service_at_issue,
    Grouping.COUNTER: lambda f: f.last_counter or "-",
    Grouping.CHANNEL: lambda f: f.channel.value,
    Grouping.KIND: lambda f: f.kind.value,
    Grouping.PRIORITY: lambda f: f.priority.value,
}


def _group(facts: Sequence[TicketFacts], grouping: Grouping) -> tuple[KpiRow, ...]:
    """One row per group key, sorted by key."""
    buckets: dict[str, list[TicketFacts]] = {}
    for fact in facts:
        buckets.setdefault(_KEYS[grouping](fact), []).append(fact)
    if grouping is Grouping.OVERALL and not buckets:
        buckets["all"] = []
    return tuple(_row(key, buckets[key]) for key in sorted(buckets))


_COLUMNS = (
    ("issued", "issued"),
    ("served", "served"),
    ("no_shows", "no-show"),
    ("cancelled", "cancel"),
    ("open", "open"),
    ("transfers", "transf"),
    ("wait_mean_s", "wait avg"),
    ("wait_median_s", "wait med"),
    ("wait_p90_s", "wait p90"),
    ("service_mean_s", "svc avg"),
    ("service_median_s", "svc med"),
    ("service_p90_s", "svc p90"),
    ("within_target", "in target"),
)


def _cell(name: str, value: object) -> str:
    """A figure as shown in the table: counts, minutes with one decimal, a percentage."""
    if value is None:
        return "-"
    if isinstance(value, float) and name == "within_target":
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value / 60:.1f}"
    return str(value)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    """One table line: the first cell left-aligned, the figures right-aligned."""
    figures = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
    return "  ".join([cells[0].ljust(widths[0]), *figures])


def _table(header: list[str], body: list[list[str]]) -> str:
    """Align a header, a rule and the rows into columns."""
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    rule = "  ".join("-" * width for width in widths)
    return "\n".join([_line(header, widths), rule, *(_line(line, widths) for line in body)])


@dataclass(frozen=True)
class KpiReport:
    """KPIs of a log: the per-ticket facts and one table per grouping."""

    facts: tuple[TicketFacts, ...]
    tables: Mapping[Grouping, tuple[KpiRow, ...]]

    def rows(self, grouping: Grouping | str) -> list[dict[str, Any]]:
        """The rows of one grouping as plain dicts (durations in seconds)."""
        return [dataclasses.asdict(row) for row in self.tables[Grouping(grouping)]]

    def overall(self) -> KpiRow:
        """The one row over all tickets."""
        return self.tables[Grouping.OVERALL][0]

    def format_table(self, grouping: Grouping | str) -> str:
        """A plain-text table for the terminal; durations in minutes."""
        grouping = Grouping(grouping)
        header = [grouping.value, *(title for _, title in _COLUMNS)]
        body = [
            [row["group"], *(_cell(name, row[name]) for name, _ in _COLUMNS)]
            for row in self.rows(grouping)
        ]
        return _table(header, body)


def compute_kpis(events: Iterable[Event], site: Site, day: date | None = None) -> KpiReport:
    """Fold the log into KPIs; with `day`, only tickets issued on that local day count."""
    facts = tuple(f for f in ticket_facts(events, site) if day is None or f.day == day)
    return kpis_of_facts(facts)


def kpis_of_facts(facts: Iterable[TicketFacts]) -> KpiReport:
    """KPIs of tickets already folded, e.g. of several sites together."""
    kept = tuple(facts)
    return KpiReport(kept, {grouping: _group(kept, grouping) for grouping in Grouping})
