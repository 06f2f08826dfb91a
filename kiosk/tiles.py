"""The walk-in tiles: which services, in what order, with their wait or why not, and when.

Pure: built from the site file, the hub's last services state (None when there is none)
and, while offline, what the kiosk can still do on its own (open now, leased numbers left).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from kiosk.i18n import describe_when, t, wait_text
from kiosk.pictograms import pictogram_name
from link.protocol import messages as m
from queue_engine.domain.availability import availability
from queue_engine.domain.model import Site
from siteconfig import ServiceConfig, SiteConfig

T = TypeVar("T")

#: Reasons that say "come back another time" rather than "book".
FULL = ("daily_cap_reached", "after_last_ticket", "numbers_exhausted")


@dataclass(frozen=True)
class Tile:
    """One service as a big button."""

    id: str
    name: str
    pictogram: str
    quick: bool
    available: bool
    wait_text: str
    reason: str | None = None
    """A reason code (appointments_only, closed_now … or offline), when not available."""
    reason_text: str = ""
    next_text: str = ""
    booking_url: str | None = None
    offline: bool = False
    """Issued from this kiosk's leased numbers (the hub is away)."""
    expected_wait_s: int | None = None
    notice: str = ""
    """The front office's message while walk-ins are paused, in the visitor's language."""


def service_name(service: ServiceConfig, language: str, default: str) -> str:
    """A service's name in `language`, else in the site's default language."""
    return localized(service.names, language, default) or service.id


def localized(values: Mapping[Any, T], language: str, default: str) -> T | None:
    """The value for `language`, else for the site's `default` language."""
    return values.get(language) or values.get(default)


def build_tiles(
    config: SiteConfig,
    site: Site,
    state: m.ServicesState | None,
    language: str,
    now: datetime,
    *,
    online: bool,
    numbers_left: Callable[[str], int],
) -> list[Tile]:
    """Every service as a tile: quick services first, then the others, unavailable last."""
    zone = ZoneInfo(config.site.timezone)
    live = {s.id: s for s in state.services} if state is not None and online else {}
    tiles = []
    for service in config.services:
        if service.id in live:
            tile = _live_tile(config, service, live[service.id], language, now, zone)
        else:
            left = numbers_left if not online else None
            tile = _local_tile(config, site, service, language, now, zone, left)
        tiles.append(tile)
    order = {s.id: i for i, s in enumerate(config.services)}
    return sorted(
        tiles,
        key=lambda x: (not x.available, x.reason == "appointments_only", not x.quick, order[x.id]),
    )


def _base(config: SiteConfig, service: ServiceConfig, language: str) -> dict[str, object]:
    return {
        "id": service.id,
        "name": service_name(service, language, config.site.default_language),
        "pictogram": pictogram_name(service.pictogram),
        "quick": service.quick,
        "booking_url": service.booking_url or config.site.booking_url,
    }


def _why(
    reason: str | None, when: datetime | None, language: str, now: datetime, zone: ZoneInfo
) -> dict[str, object]:
    if reason is None:
        return {}
    next_text = ""
    if when is not None and reason != "appointments_only":
        next_text = t("next_available", language, when=describe_when(when, now, language, zone))
    return {
        "reason": reason,
        "reason_text": t(f"reason_{reason}", language),
        "next_text": next_text,
    }


def _live_tile(
    config: SiteConfig,
    service: ServiceConfig,
    live: m.ServiceState,
    language: str,
    now: datetime,
    zone: ZoneInfo,
) -> Tile:
    reason = None if live.available else (live.reason or "closed_now")
    why = _why(reason, live.next_available, language, now, zone)
    notice = ""
    if reason == "paused":
        notice = localized(live.notice, language, config.site.default_language) or ""
        why["reason_text"] = notice or why["reason_text"]
    return Tile(
        **_base(config, service, language),  # type: ignore[arg-type]
        available=live.available,
        wait_text=wait_text(live.expected_wait_s, language) if live.available else "",
        expected_wait_s=live.expected_wait_s,
        notice=notice,
        **why,  # type: ignore[arg-type]
    )


def _local_tile(
    config: SiteConfig,
    site: Site,
    service: ServiceConfig,
    language: str,
    now: datetime,
    zone: ZoneInfo,
    numbers_left: Callable[[str], int] | None,
) -> Tile:
    """What the kiosk can say without the hub's state: opening hours from the site file,
    and, while offline (`numbers_left` given), whether it still has leased numbers."""
    state = availability(site, site.services[service.id], now, 0)
    reason: str | None = state.reason.value if state.reason else None
    when = state.next_available
    if state.available and numbers_left is not None and numbers_left(service.id) <= 0:
        reason, when = "offline", None
    return Tile(
        **_base(config, service, language),  # type: ignore[arg-type]
        available=reason is None,
        wait_text=wait_text(None, language) if reason is None else "",
        offline=numbers_left is not None,
        **_why(reason, when, language, now, zone),  # type: ignore[arg-type]
    )
