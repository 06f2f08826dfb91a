"""The front office's settings of the day: paused services, full_today overrides, temporary
counters, counters assigned to other services, and info messages for the displays.

Pure: the hub stores them (with the audit entry of the action that made them) and the
engine reads the site through `effective_site`, so a temporary counter or a reassigned
counter is a counter like any other for the rest of the day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from queue_engine.domain.model import Counter, CounterService, Site

#: A scalar in an audit entry's detail.
AuditValue = str | int | float | bool | None


@dataclass(frozen=True)
class ServicePause:
    """Walk-ins of a service paused until resumed, with what the kiosk tells visitors."""

    service_id: str
    since: datetime
    message: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FullOverride:
    """A service keeps giving walk-in tickets today even when the queue fills the day."""

    service_id: str
    day: date
    since: datetime


@dataclass(frozen=True)
class TemporaryCounter:
    """A counter opened for one day only (e.g. birth registrations in a ward)."""

    id: str
    day: date
    name: str
    services: tuple[str, ...]
    opened_at: datetime
    zone: str | None = None
    floor: int | None = None
    room: str | None = None

    def counter(self) -> Counter:
        """The counter the engine serves with."""
        services = tuple(CounterService(s) for s in self.services)
        return Counter(self.id, self.name, services, zone=self.zone)


@dataclass(frozen=True)
class CounterAssignment:
    """A configured counter serving other services than the site file says, for one day."""

    counter_id: str
    day: date
    services: tuple[str, ...]
    since: datetime


@dataclass(frozen=True)
class InfoMessage:
    """A message for all displays, or for some zones or devices, until it expires."""

    id: str
    texts: Mapping[str, str]
    since: datetime
    until: datetime
    zones: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()

    def live(self, now: datetime) -> bool:
        """Shown at `now`: posted and not yet expired."""
        return self.since <= now < self.until

    def for_display(self, device_id: str, zone: str | None) -> bool:
        """Whether a display (its id and zone) shows it: all, its zone, or itself."""
        if not self.zones and not self.devices:
            return True
        return device_id in self.devices or (zone is not None and zone in self.zones)


#: A setting of the office, as the store keeps it.
OfficeRecord = ServicePause | FullOverride | TemporaryCounter | CounterAssignment | InfoMessage


def slot(record: OfficeRecord) -> tuple[str, str]:
    """Where a record lives in the book: its kind (a table of OfficeBook) and its key."""
    if isinstance(record, ServicePause):
        return "pauses", record.service_id
    if isinstance(record, FullOverride):
        return "overrides", record.service_id
    if isinstance(record, CounterAssignment):
        return "assignments", record.counter_id
    if isinstance(record, TemporaryCounter):
        return "temporary", record.id
    return "info", record.id


@dataclass(frozen=True)
class AuditEntry:
    """One office action: who (the account), through which device, what, when, detail."""

    at: datetime
    by: str
    actor: str
    action: str
    detail: Mapping[str, AuditValue] = field(default_factory=dict)
    seq: int | None = None


@dataclass
class OfficeBook:
    """The office settings that apply on the loaded day (and the alerts, see alerts.py)."""

    pauses: dict[str, ServicePause] = field(default_factory=dict)
    overrides: dict[str, FullOverride] = field(default_factory=dict)
    temporary: dict[str, TemporaryCounter] = field(default_factory=dict)
    assignments: dict[str, CounterAssignment] = field(default_factory=dict)
    info: dict[str, InfoMessage] = field(default_factory=dict)

    def for_day(self, day: date) -> OfficeBook:
        """Only what applies on `day` (pauses and info messages have no day)."""
        return OfficeBook(
            pauses=dict(self.pauses),
            overrides={k: v for k, v in self.overrides.items() if v.day == day},
            temporary={k: v for k, v in self.temporary.items() if v.day == day},
            assignments={k: v for k, v in self.assignments.items() if v.day == day},
            info=dict(self.info),
        )

    def put(self, kind: str, key: str, record: OfficeRecord | None) -> None:
        """Take a stored record (None: removed) of `kind` ("pauses", "info" …)."""
        table: dict[str, OfficeRecord] = getattr(self, kind)
        if record is None:
            table.pop(key, None)
        else:
            table[key] = record

    def paused(self, service_id: str) -> ServicePause | None:
        """The pause of a service, if its walk-ins are paused."""
        return self.pauses.get(service_id)

    def keeps_open(self, service_id: str) -> bool:
        """Whether full_today is overridden for the service on the loaded day."""
        return service_id in self.overrides

    def live_info(self, now: datetime) -> list[InfoMessage]:
        """Info messages shown at `now`, oldest first."""
        return sorted((i for i in self.info.values() if i.live(now)), key=lambda i: i.since)

    def effective_site(self, base: Site) -> Site:
        """The site as the office changed it: temporary counters added, assignments applied."""
        if not self.temporary and not self.assignments:
            return base
        counters = dict(base.counters)
        for assignment in self.assignments.values():
            counter = counters.get(assignment.counter_id)
            if counter is not None:
                weights = {cs.service_id: cs.weight for cs in counter.services}
                services = tuple(
                    CounterService(s, weights.get(s, 1.0)) for s in assignment.services
                )
                counters[counter.id] = replace(counter, services=services)
        for temporary in self.temporary.values():
            counters.setdefault(temporary.id, temporary.counter())
        return replace(base, counters=counters)
