"""What one staff terminal needs from the site file: its counter, the services, the others."""

from __future__ import annotations

from dataclasses import dataclass

from siteconfig import SiteConfig


@dataclass(frozen=True)
class ServiceInfo:
    """A service as the terminal shows it."""

    id: str
    prefix: str
    names: dict[str, str]
    documents: dict[str, list[str]]

    def name(self, language: str) -> str:
        """Its name in `language` (else Dutch, else any)."""
        return self.names.get(language) or self.names.get("nl") or next(iter(self.names.values()))


@dataclass(frozen=True)
class DeskConfig:
    """The settings of one staff terminal."""

    site_id: str
    device_id: str
    counter_id: str
    counter_name: str
    timezone: str
    languages: tuple[str, ...]
    #: Every service of the site, in the site file's order.
    services: tuple[ServiceInfo, ...]
    #: The services this counter serves.
    own_services: tuple[str, ...]
    #: The other counters (id, name), for transfers.
    counters: tuple[tuple[str, str], ...]

    def service(self, service_id: str) -> ServiceInfo | None:
        """A service by id."""
        return next((s for s in self.services if s.id == service_id), None)

    def service_of(self, number: str) -> ServiceInfo | None:
        """The service a ticket number belongs to, by its prefix ('ID012' → eid)."""
        prefix = number.rstrip("0123456789")
        return next((s for s in self.services if s.prefix == prefix), None)


def desk_config(
    config: SiteConfig, counter_id: str, device_id: str | None = None, *, enrolled: bool = False
) -> DeskConfig:
    """The terminal of `counter_id` (its staff device from the site file unless given).

    `enrolled`: `device_id` is what the hub issued when it approved the terminal, which
    need not be in the site file."""
    counter = next((c for c in config.counters if c.id == counter_id), None)
    if counter is None:
        known = ", ".join(c.id for c in config.counters)
        raise ValueError(f"the site has no counter {counter_id!r} (it has {known})")
    devices = [d for d in config.devices if d.role == "staff" and d.counter == counter_id]
    if device_id is None:
        if not devices:
            raise ValueError(f"no staff device in the site file works for {counter_id!r}")
        device_id = devices[0].id
    elif not enrolled and device_id not in {d.id for d in devices}:
        raise ValueError(f"{device_id!r} is not a staff terminal of {counter_id!r}")
    languages = [config.site.default_language]
    languages += [lang for lang in config.site.languages if lang not in languages]
    return DeskConfig(
        site_id=config.site.id,
        device_id=device_id,
        counter_id=counter_id,
        counter_name=counter.name,
        timezone=config.site.timezone,
        languages=tuple(languages),
        services=tuple(
            ServiceInfo(
                s.id,
                s.prefix,
                {str(k): v for k, v in s.names.items()},
                {str(k): list(v) for k, v in s.documents.items()},
            )
            for s in config.services
        ),
        own_services=tuple(ref.service for ref in counter.services),
        counters=tuple((c.id, c.name) for c in config.counters if c.id != counter_id),
    )
