"""Whether a service gives walk-in tickets now, and if not, why and from when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from queue_engine.domain.errors import NotAvailable, Unavailability
from queue_engine.domain.model import OpeningHours, Service, Site, utc

#: How far ahead to look for the next opening (covers long holiday closures).
HORIZON_DAYS = 60

U = Unavailability


@dataclass(frozen=True)
class Availability:
    """A service's walk-in availability at one instant."""

    available: bool
    reason: Unavailability | None = None
    next_available: datetime | None = None


def opening_ranges(site: Site, hours: OpeningHours, day: date) -> list[tuple[datetime, datetime]]:
    """The opening ranges of local `day` as UTC instants (correct across DST changes)."""
    return [(site.at_local(day, r.start), site.at_local(day, r.end)) for r in hours.ranges_on(day)]


def next_opening(site: Site, service: Service, after: datetime) -> datetime | None:
    """The first instant at or after `after` when `service` gives walk-in tickets."""
    hours = site.hours_for(service)
    cutoff = timedelta(minutes=service.last_ticket_minutes)
    day = site.local_day(after)
    for offset in range(HORIZON_DAYS + 1):
        for start, end in opening_ranges(site, hours, day + timedelta(days=offset)):
            if end - cutoff > max(start, after):
                return max(start, after)
    return None


def _next_day_opening(site: Site, service: Service, now: datetime) -> datetime | None:
    tomorrow = site.local_day(now) + timedelta(days=1)
    return next_opening(site, service, site.at_local(tomorrow, datetime.min.time()))


def availability(
    site: Site,
    service: Service,
    now: datetime,
    issued_today: int,
    *,
    wait_s: float = 0.0,
    force: bool = False,
    paused: bool = False,
    keep_open: bool = False,
) -> Availability:
    """Whether `service` can give a walk-in ticket at `now`.

    `issued_today` counts the service's walk-in tickets of the local day (for the cap);
    `wait_s` is how long a new walk-in would wait to be called (the tickets already waiting,
    the counters serving the service, its mean service time: `estimates.expected_wait`).
    When that runs past the end of the current opening, the service is full (`full_today`).
    With `force` (staff at the desk or on the phone), the last-ticket time, the daily cap
    and a full queue are waived. The front office may pause walk-ins (`paused`: until it
    resumes them; staff may still force) or keep a full service open today (`keep_open`).
    """
    now = utc(now)
    if not service.walk_in:
        return Availability(False, U.APPOINTMENTS_ONLY, None)
    ranges = opening_ranges(site, site.hours_for(service), site.local_day(now))
    if not ranges:
        return Availability(False, U.CLOSED_TODAY, next_opening(site, service, now))
    current = next(((s, e) for s, e in ranges if s <= now < e), None)
    if current is None:
        reason = U.NOT_YET_OPEN if now < ranges[0][0] else U.CLOSED_NOW
        return Availability(False, reason, next_opening(site, service, now))
    if paused and not force:
        return Availability(False, U.PAUSED, None)
    cutoff = current[1] - timedelta(minutes=service.last_ticket_minutes)
    if now >= cutoff and not force:
        return Availability(False, U.AFTER_LAST_TICKET, next_opening(site, service, current[1]))
    if service.daily_cap is not None and issued_today >= service.daily_cap and not force:
        return Availability(False, U.DAILY_CAP_REACHED, _next_day_opening(site, service, now))
    full = service.refuse_when_full and now + timedelta(seconds=wait_s) >= current[1]
    full = full and not keep_open
    if full and not force:
        return Availability(False, U.FULL_TODAY, next_opening(site, service, current[1]))
    return Availability(True)


_MESSAGES = {
    U.APPOINTMENTS_ONLY: "{name} is by appointment only",
    U.CLOSED_TODAY: "{name} is closed today",
    U.NOT_YET_OPEN: "{name} is not open yet",
    U.CLOSED_NOW: "{name} is closed at the moment",
    U.AFTER_LAST_TICKET: "the last ticket for {name} has been issued for this session",
    U.DAILY_CAP_REACHED: "{name} is full for today",
    U.FULL_TODAY: "the people waiting for {name} fill the time until closing",
    U.PAUSED: "walk-in tickets for {name} are paused by the front office",
    U.NUMBERS_EXHAUSTED: "{name} has no free ticket numbers",
}


def require_available(
    site: Site,
    service: Service,
    now: datetime,
    issued_today: int,
    *,
    wait_s: float = 0.0,
    force: bool = False,
    paused: bool = False,
    keep_open: bool = False,
) -> None:
    """Raise NotAvailable with the reason and the next opening unless a ticket can be issued."""
    state = availability(
        site,
        service,
        now,
        issued_today,
        wait_s=wait_s,
        force=force,
        paused=paused,
        keep_open=keep_open,
    )
    if state.available or state.reason is None:
        return
    message = _MESSAGES[state.reason].format(name=service.name("en"))
    if state.next_available is not None:
        local = site.local_time(state.next_available)
        message += f"; next available {local:%Y-%m-%d %H:%M} ({site.timezone})"
    raise NotAvailable(message, state.reason, state.next_available)
