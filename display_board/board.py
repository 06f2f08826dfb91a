"""What one display shows: its zone's counters and services, languages and info messages."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from i18n import LANGUAGES, Place
from siteconfig import SiteConfig


@dataclass(frozen=True)
class BoardConfig:
    """The settings of one display board."""

    site_id: str
    site_name: str
    timezone: str
    zone: str | None
    #: Counters shown (id → name), in the site file's order; calls elsewhere are ignored.
    counters: dict[str, str]
    #: Services whose waiting counts are shown (those of the zone's counters).
    services: tuple[str, ...]
    languages: tuple[str, ...] = LANGUAGES
    #: Rotating info messages, each one text per language.
    messages: tuple[dict[str, str], ...] = ()
    recent_count: int = 5
    highlight_seconds: float = 8.0
    offline_after: float = 5.0
    rotate_seconds: float = 8.0
    #: The site file's display settings: black and white only; every font 1.35 times.
    high_contrast: bool = False
    large_text: bool = False
    #: Where each counter shown is (floor, room, directions), said with its calls.
    places: Mapping[str, Place] = field(default_factory=dict)


def board_config(
    config: SiteConfig,
    device_id: str,
    *,
    messages: tuple[dict[str, str], ...] = (),
    language: str | None = None,
) -> BoardConfig:
    """The board of display `device_id` in a site file (ValueError if it is not a display)."""
    try:
        device = config.device(device_id)
    except KeyError:
        raise ValueError(f"the site file has no device {device_id!r}") from None
    if device.role != "display":
        raise ValueError(f"device {device_id!r} is a {device.role}, not a display")
    languages: list[str] = list(device.languages or config.site.languages)
    messages = messages or _configured_messages(config, device.messages)
    try:
        board = zone_board(config, device.zone, languages, messages=messages, language=language)
    except ValueError as error:
        raise ValueError(f"display {device_id!r}: {error}") from None
    return replace(board, high_contrast=device.high_contrast, large_text=device.large_text)


def enrolled_board(
    config: SiteConfig,
    device_id: str,
    zone: str | None,
    *,
    messages: tuple[dict[str, str], ...] = (),
    language: str | None = None,
) -> BoardConfig:
    """The board of a display the hub enrolled as `device_id` for `zone` (None: every
    counter); its languages from the site file when it names the device, else the site's."""
    device = next((d for d in config.devices if d.id == device_id), None)
    languages: list[str] = list((device and device.languages) or config.site.languages)
    messages = messages or _configured_messages(config, device.messages if device else None)
    board = zone_board(config, zone, languages, messages=messages, language=language)
    if device is None:
        return board
    return replace(board, high_contrast=device.high_contrast, large_text=device.large_text)


def zone_board(
    config: SiteConfig,
    zone: str | None,
    languages: list[str],
    *,
    messages: tuple[dict[str, str], ...] = (),
    language: str | None = None,
) -> BoardConfig:
    """The board that shows the counters of `zone` (None: every counter)."""
    counters = {c.id: c.name for c in config.counters if zone in (None, c.zone)}
    if not counters:
        raise ValueError(f"no counter is in zone {zone!r}")
    served = {ref.service for c in config.counters if c.id in counters for ref in c.services}
    if language is not None:
        languages = [language, *(lang for lang in languages if lang != language)]
    return BoardConfig(
        site_id=config.site.id,
        site_name=config.site.name,
        timezone=config.site.timezone,
        zone=zone,
        counters=counters,
        places={
            c.id: Place(c.floor, c.room, {str(k): v for k, v in (c.directions or {}).items()})
            for c in config.counters
            if c.id in counters
        },
        services=tuple(s.id for s in config.services if s.id in served),
        languages=tuple(languages),
        messages=messages,
    )


def _configured_messages(
    config: SiteConfig, own: Sequence[Mapping[Any, str]] | None
) -> tuple[dict[str, str], ...]:
    """The display's own info messages from the site file, else the site's."""
    chosen: Sequence[Mapping[Any, str]] = own if own is not None else config.site.messages
    return tuple({str(lang): text for lang, text in message.items()} for message in chosen)


def load_messages(path: Path) -> tuple[dict[str, str], ...]:
    """Info messages from a YAML or JSON file: a list of {language: text} mappings.

    - nl: Welkom in het stadhuis.
      fr: Bienvenue à l'hôtel de ville.
    - nl: Op donderdag zijn we open tot 19.30 uur.
    """
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of messages, each {{language: text}}")
    messages = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not item:
            raise ValueError(f"{path}: message {index + 1} must map languages to texts")
        unknown = sorted(set(item) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"{path}: message {index + 1}: unknown language {unknown[0]!r}")
        messages.append({str(k): str(v) for k, v in item.items()})
    return tuple(messages)
