"""A whole site file, and its conversion into the domain's `Site`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Self

from pydantic import Field, model_validator

from queue_engine.domain.model import (
    Counter,
    CounterService,
    OpeningHours,
    Policy,
    Service,
    Site,
    TimeRange,
)

from .checks import Parts, cross_check
from .fields import WEEKDAYS, parse_range
from .problems import raise_problems
from .sections import (
    CounterConfig,
    DeviceConfig,
    OpeningHoursConfig,
    Section,
    ServiceConfig,
    SiteSection,
)


class SiteConfig(Section):
    """A site file: the front office, its services, counters and devices."""

    site: SiteSection
    services: list[ServiceConfig] = Field(min_length=1)
    counters: list[CounterConfig] = Field(min_length=1)
    devices: list[DeviceConfig] = []

    @model_validator(mode="after")
    def _cross_check(self) -> Self:
        parts = Parts.of(self.site, self.services, self.counters, self.devices)
        raise_problems("SiteConfig", cross_check(parts))
        return self

    def device(self, device_id: str) -> DeviceConfig:
        """The device with id `device_id`; KeyError if the site has none."""
        for device in self.devices:
            if device.id == device_id:
                return device
        raise KeyError(device_id)

    def to_site(self) -> Site:
        """The domain's view of this site."""
        hours = _opening_hours(self.site.opening_hours)
        services = {
            s.id: _service(s, hours.exceptions, self.site.booking_url) for s in self.services
        }
        return Site(
            id=self.site.id,
            name=self.site.name,
            services=services,
            counters={c.id: _counter(c) for c in self.counters},
            timezone=self.site.timezone,
            languages=tuple(self.site.languages),
            default_language=self.site.default_language,
            opening_hours=hours,
            policy=Policy(**self.site.policy.model_dump()),
        )


def _ranges(texts: list[str]) -> tuple[TimeRange, ...]:
    """'HH:MM-HH:MM' texts as sorted TimeRanges."""
    return tuple(sorted((parse_range(text) for text in texts), key=lambda r: r.start))


def _opening_hours(
    config: OpeningHoursConfig, inherited: Mapping[date, tuple[TimeRange, ...]] | None = None
) -> OpeningHours:
    """Weekday names become 0..6; the exceptions extend (and override) `inherited`."""
    weekly = {WEEKDAYS.index(day): _ranges(texts) for day, texts in config.days().items() if texts}
    exceptions = {**(inherited or {}), **{day: _ranges(t) for day, t in config.exceptions.items()}}
    return OpeningHours(weekly=weekly, exceptions=exceptions)


def _service(
    config: ServiceConfig,
    site_exceptions: Mapping[date, tuple[TimeRange, ...]],
    site_booking_url: str | None,
) -> Service:
    """A domain Service; its own hours keep the site's holidays."""
    hours = config.opening_hours
    return Service(
        id=config.id,
        names={lang: text for lang, text in config.names.items()},
        prefix=config.prefix,
        quick=config.quick,
        expected_minutes=config.expected_minutes,
        walk_in=config.walk_in,
        appointments=config.appointments,
        daily_cap=config.daily_cap,
        refuse_when_full=config.refuse_when_full,
        last_ticket_minutes=config.last_ticket_minutes,
        target_wait_minutes=config.target_wait_minutes,
        documents={lang: tuple(items) for lang, items in config.documents.items()},
        related=tuple(config.related),
        opening_hours=_opening_hours(hours, site_exceptions) if hours else None,
        booking_url=config.booking_url or site_booking_url,
    )


def _counter(config: CounterConfig) -> Counter:
    """A domain Counter."""
    return Counter(
        id=config.id,
        name=config.name,
        services=tuple(CounterService(ref.service, ref.weight) for ref in config.services),
        zone=config.zone,
        ordered=config.ordered,
    )
