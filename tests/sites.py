"""A small site built from the domain types, for engine tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from link.protocol.replies import TicketView
from queue_engine.domain import commands as c
from queue_engine.domain.model import (
    Counter,
    CounterService,
    CounterStatus,
    OpeningHours,
    Policy,
    Service,
    Site,
    TimeRange,
)
from queue_engine.service.engine import Engine, Reply

BRUSSELS = ZoneInfo("Europe/Brussels")
UTC = ZoneInfo("UTC")


def local(text: str) -> datetime:
    """A Brussels wall-clock time as an aware UTC datetime: local('2026-12-01 10:00')."""
    return datetime.fromisoformat(text).replace(tzinfo=BRUSSELS).astimezone(UTC)


def _service(sid: str, prefix: str, **kw: Any) -> Service:
    names = {"nl": sid.capitalize(), "en": sid.capitalize(), "fr": sid, "de": sid}
    return Service(id=sid, names=names, prefix=prefix, **kw)


WEEKDAY_HOURS = (TimeRange(time(9), time(12, 30)), TimeRange(time(13, 30), time(16)))


def make_site(**policy: Any) -> Site:
    """Town hall in miniature: a quick counter, passports, ID cards, births, civil registry."""
    services = [
        _service("quick", "Q", quick=True, expected_minutes=4),
        _service("passport", "P", expected_minutes=12, last_ticket_minutes=15),
        _service("eid", "E", expected_minutes=10, daily_cap=50),
        _service(
            "births",
            "B",
            expected_minutes=20,
            related=("childcare",),
            documents={"nl": ("Identiteitskaart van de ouders",), "en": ("Parents' ID cards",)},
        ),
        _service("childcare", "K", expected_minutes=10),
        _service("marriage", "M", walk_in=False, expected_minutes=30),
    ]
    counters = [
        Counter("c1", "Loket 1", (CounterService("quick"),), zone="ground"),
        Counter(
            "c2", "Loket 2", (CounterService("passport"), CounterService("eid")), zone="ground"
        ),
        Counter(
            "c3",
            "Loket 3",
            (CounterService("passport"), CounterService("eid"), CounterService("births", 2.0)),
            zone="first",
        ),
        Counter(
            "c4",
            "Loket 4",
            (CounterService("marriage"), CounterService("births"), CounterService("childcare")),
            zone="first",
            ordered=True,
        ),
    ]
    weekly = {d: WEEKDAY_HOURS for d in range(5)}
    weekly[3] = (TimeRange(time(9), time(12, 30)), TimeRange(time(13, 30), time(19)))
    hours = OpeningHours(
        weekly=weekly,
        exceptions={
            datetime(2026, 12, 25).date(): (),
            datetime(2026, 12, 24).date(): WEEKDAY_HOURS[:1],
        },
    )
    return Site(
        id="testhall",
        name="Testhall",
        services={s.id: s for s in services},
        counters={k.id: k for k in counters},
        opening_hours=hours,
        policy=Policy(**policy),
    )


@dataclass
class Desk:
    """Runs commands against an engine with fresh request ids and a movable clock."""

    engine: Engine
    now: datetime
    prefix: str = "r"
    ids: itertools.count[int] = field(default_factory=itertools.count)

    def run(self, command: type[c.Command], **kw: Any) -> Reply[Any]:
        kw.setdefault("request_id", f"{self.prefix}{next(self.ids)}")
        return self.engine.execute(command(**kw), self.now)

    def ok(self, command: type[c.Command], **kw: Any) -> Any:
        """The typed data of a command that must work."""
        reply = self.run(command, **kw)
        assert reply.ok, reply.error
        return reply.data

    def issue(self, service: str = "passport", **kw: Any) -> TicketView:
        ticket: TicketView = self.ok(c.IssueTicket, service_id=service, **kw).ticket
        return ticket

    def open(self, *counters: str) -> None:
        for counter in counters:
            self.ok(c.SetCounterStatus, counter_id=counter, status=CounterStatus.OPEN)

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)
