"""The plan of a simulated day: opening sessions, visitors, their appointments, staff rotas.

Everything is drawn from one `random.Random`, so a seed gives the same day every time.
The driver in `queue_engine.simulation` plays the plan through the engine.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from queue_engine.domain.availability import opening_ranges
from queue_engine.domain.model import Appointment, Channel, PriorityClass, Service, Site

#: Booking-code characters that `normalize_code` leaves alone (no O, Q, I or L).
CODE_ALPHABET = "ABCDEFGHJKMNPRSTUVWXYZ0123456789"
CODE_LENGTH = 8

#: Relative walk-in intensity by local hour, linear in between: a mid-morning peak, a lunch
#: dip, a smaller afternoon peak and an after-work bump on late evenings.
INTENSITY = (
    (8.0, 0.4),
    (9.0, 0.7),
    (10.0, 1.0),
    (11.5, 1.0),
    (12.5, 0.45),
    (13.5, 0.55),
    (14.5, 0.8),
    (16.0, 0.6),
    (17.5, 0.85),
    (19.0, 0.5),
)

LANGUAGE_WEIGHTS = {"nl": 0.72, "fr": 0.12, "en": 0.10, "de": 0.06}


class SimulationError(ValueError):
    """A day that cannot be simulated: the site never opens, or the store already has it."""


@dataclass(frozen=True)
class Shares:
    """How visitors behave, as shares of all visitors (or of a group, where noted)."""

    appointments: float = 0.25
    priority: float = 0.05
    no_show: float = 0.05
    #: Of the no-shows, the share that comes back in time to be reactivated.
    comes_back: float = 0.4
    transfer: float = 0.03
    hold: float = 0.02
    #: Of the appointment visitors: two services under one code; never turning up.
    two_services: float = 0.12
    stays_away: float = 0.03
    desk: float = 0.09
    phone: float = 0.03


@dataclass
class Visitor:
    """One person coming to the front office, what they will do, and how it ended."""

    id: int
    arrival: datetime
    language: str
    channel: Channel
    patience_s: float
    priority: PriorityClass = PriorityClass.NORMAL
    service_id: str | None = None
    booking_code: str | None = None
    stays_away: bool = False
    absent_on_call: bool = False
    returns_after_s: float | None = None
    transfer_to: str | None = None
    hold_minutes: int | None = None
    ticket_id: int | None = None
    outcome: str | None = None

    @property
    def walk_in(self) -> bool:
        """Whether the visitor takes a walk-in ticket (else checks in for an appointment)."""
        return self.booking_code is None


@dataclass(frozen=True)
class Session:
    """One opening range of the day, as UTC instants."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Break:
    """A counter's pause: from `at`, for `minutes`, within session `session`."""

    session: int
    at: datetime
    minutes: int


@dataclass(frozen=True)
class Rota:
    """When one counter opens in each session, and its breaks."""

    counter_id: str
    opens: tuple[datetime, ...]
    breaks: tuple[Break, ...]


@dataclass
class DayPlan:
    """Everything that will happen on the day, before the engine decides anything."""

    day: date
    sessions: tuple[Session, ...]
    visitors: list[Visitor]
    appointments: list[Appointment]
    rotas: list[Rota]


def opening_day(site: Site, day: date) -> date:
    """The first day on or after `day` on which the site opens."""
    for offset in range(366):
        candidate = day + timedelta(days=offset)
        if site.opening_hours.ranges_on(candidate):
            return candidate
    raise SimulationError(f"site {site.id} does not open in the year from {day}")


def sessions_of(site: Site, day: date) -> tuple[Session, ...]:
    """The site's opening sessions on `day`."""
    return tuple(Session(s, e) for s, e in opening_ranges(site, site.opening_hours, day))


def intensity(hour: float) -> float:
    """The relative walk-in intensity at a local hour of the day."""
    if hour <= INTENSITY[0][0]:
        return INTENSITY[0][1]
    for (h0, w0), (h1, w1) in itertools.pairwise(INTENSITY):
        if hour <= h1:
            return w0 + (w1 - w0) * (hour - h0) / (h1 - h0)
    return INTENSITY[-1][1]


def arrival_times(
    site: Site, sessions: Sequence[Session], n: int, rng: random.Random
) -> list[datetime]:
    """`n` walk-in arrivals spread over the sessions by the intensity curve, sorted."""
    minutes: list[datetime] = []
    for session in sessions:
        at = session.start
        while at < session.end:
            minutes.append(at)
            at += timedelta(minutes=1)
    weights = [intensity(_local_hour(site, m)) for m in minutes]
    picked = rng.choices(minutes, weights, k=n) if minutes else []
    return sorted(m + timedelta(seconds=rng.uniform(0, 60)) for m in picked)


def _local_hour(site: Site, at: datetime) -> float:
    local = site.local_time(at)
    return local.hour + local.minute / 60


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def _served(site: Site) -> list[Service]:
    """Services that some counter serves, in configuration order."""
    return [
        s for s in site.services.values() if any(c.serves(s.id) for c in site.counters.values())
    ]


def walk_in_weights(site: Site) -> dict[str, float]:
    """Walk-in services and how often visitors pick them: the quick counter is busiest."""
    return {s.id: 3.0 if s.quick else 1.0 for s in _served(site) if s.walk_in}


def appointment_weights(site: Site) -> dict[str, float]:
    """Services booked by appointment: appointment-only services are booked most."""
    return {
        s.id: 1.0 if s.walk_in else 2.0 for s in _served(site) if s.appointments and not s.quick
    }


class _Planner:
    """Draws a day's visitors, appointments and rotas from one random generator."""

    def __init__(self, site: Site, day: date, rng: random.Random, shares: Shares) -> None:
        self.site = site
        self.day = day
        self.rng = rng
        self.shares = shares
        self.sessions = sessions_of(site, day)
        self.languages = {k: v for k, v in LANGUAGE_WEIGHTS.items() if k in site.languages}
        if not self.languages:
            self.languages = {site.default_language: 1.0}
        self.codes: set[str] = set()
        self.appointments: list[Appointment] = []

    def chance(self, share: float) -> bool:
        """True with probability `share`."""
        return self.rng.random() < share

    def behaviour(self, visitor: Visitor, services: Sequence[str]) -> None:
        """Draw what a visitor does once called: stay away, get transferred, be put on hold."""
        rng, shares = self.rng, self.shares
        if self.chance(shares.no_show):
            visitor.absent_on_call = True
            if self.chance(shares.comes_back):
                visitor.returns_after_s = rng.uniform(5, 30) * 60
        others = [s for s in services if s != visitor.service_id]
        if others and self.chance(shares.transfer):
            visitor.transfer_to = rng.choice(others)
        elif self.chance(shares.hold):
            visitor.hold_minutes = rng.randint(5, 15)

    def walk_ins(self, n: int, first_id: int) -> list[Visitor]:
        """`n` walk-in visitors arriving by the intensity curve."""
        weights = walk_in_weights(self.site)
        if not weights:
            return []
        visitors = []
        for offset, at in enumerate(arrival_times(self.site, self.sessions, n, self.rng)):
            roll = self.rng.random()
            channel = Channel.DESK if roll < self.shares.desk else Channel.KIOSK
            if self.shares.desk <= roll < self.shares.desk + self.shares.phone:
                channel = Channel.PHONE
            visitor = Visitor(
                id=first_id + offset,
                arrival=at,
                language=_pick(self.rng, self.languages),
                channel=channel,
                patience_s=min(self.rng.lognormvariate(math.log(45 * 60), 0.5), 3 * 3600),
                service_id=_pick(self.rng, weights),
            )
            if self.chance(self.shares.priority):
                visitor.priority = PriorityClass.PRIORITY
            self.behaviour(visitor, list(weights))
            visitors.append(visitor)
        return visitors

    def booking_code(self) -> str:
        """A fresh random booking code, unique in the plan."""
        while True:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def slot(self, service: Service, minutes: int) -> datetime | None:
        """A random 5-minute slot in the service's hours that fits `minutes`."""
        slots = []
        for start, end in opening_ranges(self.site, self.site.hours_for(service), self.day):
            at = start
            while at + timedelta(minutes=minutes) <= end:
                slots.append(at)
                at += timedelta(minutes=5)
        return self.rng.choice(slots) if slots else None

    def second_service(self, first: Service, weights: dict[str, float]) -> str | None:
        """The other service of a two-service visit: a related one if bookable."""
        related = [s for s in first.related if s in weights]
        others = related or [s for s in weights if s != first.id]
        return self.rng.choice(others) if others else None

    def book(
        self, visitor_id: int, code: str, language: str, weights: dict[str, float]
    ) -> datetime | None:
        """Book one visitor's appointment(s) under `code`; the first start, or None."""
        service = self.site.services[_pick(self.rng, weights)]
        minutes = max(5, 5 * math.ceil(service.expected_minutes / 5))
        second = (
            self.second_service(service, weights) if self.chance(self.shares.two_services) else None
        )
        together = second is not None and self.chance(0.5)
        total = minutes * 2 if together else minutes
        start = self.slot(service, total)
        if start is None:
            return None
        services = (service.id, second) if together and second else (service.id,)
        self._add(visitor_id, code, language, services, start, total)
        if second and not together:
            self._add(
                visitor_id, code, language, (second,), start + timedelta(minutes=minutes), minutes
            )
        return start

    def _add(
        self,
        visitor_id: int,
        code: str,
        language: str,
        services: tuple[str, ...],
        start: datetime,
        minutes: int,
    ) -> None:
        self.appointments.append(
            Appointment(
                id=f"sim-{visitor_id}-{len(self.appointments)}",
                booking_code=code,
                services=services,
                start=start,
                duration_minutes=minutes,
                language=language,
            )
        )

    def check_in_offset(self) -> float:
        """Minutes from the appointment's start to check-in: mostly early, some late."""
        if self.chance(0.9):
            return max(-29.0, self.rng.gauss(-7, 4))
        return self.rng.uniform(0, 20)

    def with_appointments(self, n: int, first_id: int) -> list[Visitor]:
        """`n` visitors with appointments, booked and given a check-in time."""
        weights = appointment_weights(self.site)
        visitors: list[Visitor] = []
        if not weights:
            return visitors
        for visitor_id in range(first_id, first_id + n):
            code, language = self.booking_code(), _pick(self.rng, self.languages)
            start = self.book(visitor_id, code, language, weights)
            if start is None:
                continue
            channel = Channel.DESK if self.chance(0.05) else Channel.KIOSK
            visitor = Visitor(
                id=visitor_id,
                arrival=start + timedelta(minutes=self.check_in_offset()),
                language=language,
                channel=channel,
                patience_s=min(self.rng.lognormvariate(math.log(90 * 60), 0.4), 4 * 3600),
                booking_code=code,
                stays_away=self.chance(self.shares.stays_away),
            )
            self.behaviour(visitor, list(walk_in_weights(self.site)))
            visitors.append(visitor)
        return visitors

    def rota(self, index: int, counter_id: str) -> Rota:
        """A counter's openings (the first few on time, the others staggered) and breaks."""
        opens, breaks = [], []
        for number, session in enumerate(self.sessions):
            late = 0 if index < 2 else self.rng.choice((0, 5, 10, 15))
            opens.append(session.start + timedelta(minutes=late))
            length = (session.end - session.start).total_seconds()
            if length >= 150 * 60 and self.chance(0.6):
                at = session.start + timedelta(seconds=length * self.rng.uniform(0.35, 0.65))
                breaks.append(Break(number, at, self.rng.choice((10, 15, 15, 20))))
        return Rota(counter_id, tuple(opens), tuple(breaks))


def plan_day(
    site: Site, day: date, visitors: int, rng: random.Random, shares: Shares | None = None
) -> DayPlan:
    """Draw the whole day: first opening day on or after `day`, its visitors and rotas."""
    planner = _Planner(site, opening_day(site, day), rng, shares or Shares())
    booked = round(visitors * planner.shares.appointments) if appointment_weights(site) else 0
    people = planner.with_appointments(booked, 0)
    people += planner.walk_ins(visitors - len(people), booked)
    rotas = [planner.rota(i, cid) for i, cid in enumerate(site.counters)]
    return DayPlan(planner.day, planner.sessions, people, planner.appointments, rotas)
