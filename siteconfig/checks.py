"""Checks across a site file's sections: ids, prefixes, references, coverage.

They run on whatever parts of the file are valid, so that one broken service does not hide
a counter that names an unknown one: ids are read leniently from the raw data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .fields import suggest
from .problems import Problem
from .sections import CounterConfig, DeviceConfig, ServiceConfig, SiteSection

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Parts:
    """The valid parts of a site file (with their list index) and every id it declares."""

    site: SiteSection | None
    services: Sequence[tuple[int, ServiceConfig]]
    counters: Sequence[tuple[int, CounterConfig]]
    devices: Sequence[tuple[int, DeviceConfig]]
    service_ids: frozenset[str]
    counter_ids: frozenset[str]
    zones: frozenset[str]
    served: frozenset[str]

    @classmethod
    def of(
        cls,
        site: SiteSection,
        services: Sequence[ServiceConfig],
        counters: Sequence[CounterConfig],
        devices: Sequence[DeviceConfig],
    ) -> Parts:
        """The parts of a file whose every section is valid."""
        return cls(
            site=site,
            services=list(enumerate(services)),
            counters=list(enumerate(counters)),
            devices=list(enumerate(devices)),
            service_ids=frozenset(s.id for s in services),
            counter_ids=frozenset(c.id for c in counters),
            zones=frozenset(c.zone for c in counters if c.zone),
            served=frozenset(ref.service for c in counters for ref in c.services),
        )

    @classmethod
    def salvage(cls, data: object) -> Parts:
        """The valid parts of raw data that failed validation, and the ids it mentions."""
        raw = data if isinstance(data, Mapping) else {}
        counters = _mappings(raw.get("counters"))
        return cls(
            site=_valid(SiteSection, raw.get("site")),
            services=_valid_items(ServiceConfig, raw.get("services")),
            counters=_valid_items(CounterConfig, raw.get("counters")),
            devices=_valid_items(DeviceConfig, raw.get("devices")),
            service_ids=_strings(item.get("id") for item in _mappings(raw.get("services"))),
            counter_ids=_strings(item.get("id") for item in counters),
            zones=_strings(item.get("zone") for item in counters),
            served=_strings(
                _raw_ref(ref) for item in counters for ref in _list(item.get("services"))
            ),
        )


def _list(value: object) -> list[Any]:
    """`value` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def _mappings(value: object) -> list[Mapping[str, Any]]:
    """The mappings in a raw list."""
    return [item for item in _list(value) if isinstance(item, Mapping)]


def _strings(values: Iterator[object]) -> frozenset[str]:
    """The strings among `values`."""
    return frozenset(value for value in values if isinstance(value, str))


def _raw_ref(ref: object) -> object:
    """The service id in a raw counter entry (an id or {service, weight})."""
    return ref.get("service") if isinstance(ref, Mapping) else ref


def _valid(model: type[M], value: object) -> M | None:
    """`value` as `model`, or None when it is not valid."""
    try:
        return model.model_validate(value)
    except ValidationError:
        return None


def _valid_items(model: type[M], value: object) -> list[tuple[int, M]]:
    """The valid items of a raw list, with their index."""
    items = ((i, _valid(model, item)) for i, item in enumerate(_list(value)))
    return [(i, item) for i, item in items if item is not None]


def cross_check(parts: Parts) -> list[Problem]:
    """Every problem that involves more than one item of the file."""
    checks: list[Callable[[Parts], Iterator[Problem]]] = [
        _unique_ids,
        _unique_prefixes,
        _service_references,
        _default_language_names,
        _counter_references,
        _services_served,
        _device_references,
    ]
    return [problem for check in checks for problem in check(parts)]


def _unique_ids(parts: Parts) -> Iterator[Problem]:
    """Service, counter and device ids are unique within their list."""
    sections: list[tuple[str, Sequence[tuple[int, Any]]]] = [
        ("services", parts.services),
        ("counters", parts.counters),
        ("devices", parts.devices),
    ]
    for section, items in sections:
        yield from _duplicates(section, "id", [(i, item.id) for i, item in items])


def _unique_prefixes(parts: Parts) -> Iterator[Problem]:
    """No two services share a ticket prefix."""
    yield from _duplicates("services", "prefix", [(i, s.prefix) for i, s in parts.services])


def _duplicates(section: str, key: str, values: list[tuple[int, str]]) -> Iterator[Problem]:
    """A problem for each value already used by an earlier item."""
    first: dict[str, int] = {}
    for i, value in values:
        if value in first:
            message = f"{key} {value!r} is already used by {section}[{first[value]}]"
            yield Problem((section, i, key), message)
        first.setdefault(value, i)


def _unknown(kind: str, value: str, known: frozenset[str]) -> str:
    """'unknown service 'pasport' (did you mean 'passport'?)'."""
    return f"unknown {kind} {value!r}{suggest(value, known)}"


def _service_references(parts: Parts) -> Iterator[Problem]:
    """Related services exist."""
    for i, service in parts.services:
        for j, other in enumerate(service.related):
            if other not in parts.service_ids:
                yield Problem(
                    ("services", i, "related", j), _unknown("service", other, parts.service_ids)
                )


def _default_language_names(parts: Parts) -> Iterator[Problem]:
    """Every service has a name in the site's default language."""
    if parts.site is None:
        return
    lang = parts.site.default_language
    for i, service in parts.services:
        if lang not in service.names:
            yield Problem(
                ("services", i, "names"), f"needs a name in the default language {lang!r}"
            )


def _counter_references(parts: Parts) -> Iterator[Problem]:
    """Counters serve services that exist."""
    for i, counter in parts.counters:
        for j, ref in enumerate(counter.services):
            if ref.service not in parts.service_ids:
                yield Problem(
                    ("counters", i, "services", j),
                    _unknown("service", ref.service, parts.service_ids),
                )


def _services_served(parts: Parts) -> Iterator[Problem]:
    """Every service is served by some counter, else its tickets are never called."""
    for i, service in parts.services:
        if service.id not in parts.served:
            kind = "walk-in service" if service.walk_in else "service"
            message = f"no counter serves {kind} {service.id!r}: its tickets would never be called"
            yield Problem(("services", i), f"{message}; add it to a counter")


def _device_references(parts: Parts) -> Iterator[Problem]:
    """Devices name counters and zones that exist, and languages the site offers."""
    for i, device in parts.devices:
        if device.counter and device.counter not in parts.counter_ids:
            yield Problem(
                ("devices", i, "counter"), _unknown("counter", device.counter, parts.counter_ids)
            )
        if device.zone and device.zone not in parts.zones:
            message = f"no counter is in zone {device.zone!r}{suggest(device.zone, parts.zones)}"
            yield Problem(("devices", i, "zone"), message)
        if parts.site is not None:
            yield from _device_languages(i, device, parts.site.languages)


def _device_languages(
    i: int, device: DeviceConfig, site_languages: Sequence[str]
) -> Iterator[Problem]:
    """A device offers only languages the site offers."""
    for j, lang in enumerate(device.languages or ()):
        if lang not in site_languages:
            yield Problem(
                ("devices", i, "languages", j), f"{lang!r} is not one of the site's languages"
            )
