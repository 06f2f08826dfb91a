"""What the presenter works with: the site, its ports (hub, printer, store, speech) and settings.

Built once by the composition root (`kiosk.bootstrap`) or by a test with fakes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from apps.runner import InlineRunner
from kiosk.hub import HubPort
from kiosk.offline import OfflineStore
from kiosk.printing import PrinterPort
from queue_engine.domain.model import Site
from siteconfig import DeviceConfig, SiteConfig

T = TypeVar("T")


class SpeakerPort(Protocol):
    """Spoken prompts (apps.speech.Speaker, or a fake)."""

    def say(self, text: str, language: str, *, replace: bool = False) -> None:
        """Queue `text` in `language` (with `replace`: instead of what is still queued)."""
        ...


class Background(Protocol):
    """Runs slow work (the hub, the printer) off the UI thread, then `done` on the UI thread
    (`apps.runner.Runner.then`)."""

    def __call__(self, job: Callable[[], T], done: Callable[[T], None]) -> None: ...


@dataclass(frozen=True)
class Settings:
    """Timings and the screen (kiosk/bootstrap.py: the command line, the site file, the EDID)."""

    idle_seconds: float = 90.0
    """Without a touch this long, ask 'Do you need more time?'."""
    idle_prompt_seconds: float = 30.0
    """… and start again this long after asking."""
    ticket_seconds: float = 25.0
    """A printed ticket stays on screen this long."""
    screen_width_mm: float = 476.0
    """Visible width of the screen (a 21.5-inch 16:9 panel is 476 mm wide)."""
    printer_poll_seconds: float = 120.0
    """Ask the printer for its status this often while nobody uses the kiosk."""


@dataclass
class Deps:
    """The presenter's collaborators."""

    config: SiteConfig
    device: DeviceConfig
    hub: HubPort
    printer: PrinterPort
    store: OfflineStore
    speaker: SpeakerPort
    clock: Callable[[], datetime]
    """Aware 'now' (any zone)."""
    background: Background = field(default_factory=lambda: InlineRunner().then)
    settings: Settings = field(default_factory=Settings)
    monotonic: Callable[[], float] = time.monotonic
    """Seconds for idle and screen timeouts (a fake in tests)."""
    wake_sync: Callable[[], None] = lambda: None
    """Ask the offline sync to run now (after an offline ticket, on reconnect)."""
    site: Site = field(init=False)
    zone: ZoneInfo = field(init=False)

    def __post_init__(self) -> None:
        self.site = self.config.to_site()
        self.zone = ZoneInfo(self.config.site.timezone)

    def now(self) -> datetime:
        """Now, in the site's time zone."""
        return self.clock().astimezone(self.zone)

    @property
    def languages(self) -> list[str]:
        """The languages this kiosk offers, default first."""
        offered = self.device.languages or self.config.site.languages
        default = self.default_language
        return [default, *(lang for lang in offered if lang != default)]

    @property
    def default_language(self) -> str:
        """The language a new visitor starts in."""
        offered = self.device.languages or self.config.site.languages
        site_default = self.config.site.default_language
        return site_default if site_default in offered else offered[0]
