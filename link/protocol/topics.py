"""Every MQTT topic of a site, in one place: nothing else spells a topic by hand.

loket/v1/<site>/cmd/<device>/<verb>      a device's command (the ACL vouches for <device>)
loket/v1/<site>/reply/<device>           the hub's replies to that device
loket/v1/<site>/state/services           retained: per service waiting, wait, availability
loket/v1/<site>/state/counters/<counter> retained: a counter's status and ticket
loket/v1/<site>/state/calls              retained: the last calls
loket/v1/<site>/events/called            one call, for chime and announcement
loket/v1/<site>/events/log               every committed event of the anonymous event log
loket/v1/<site>/devices/<device>/status  retained, with a last will: online or offline
loket/v1/<site>/devices/<device>/config  retained: the device's configuration
loket/v1/<site>/devices/<device>/orders  the hub's orders to one kiosk (reprint, check printer)
loket/v1/<site>/state/info               retained: info messages for the displays
loket/v1/<site>/state/office             retained: the office's changes of the day
loket/v1/<site>/office/alerts            retained: open alerts (web and staff terminals only)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "v1"
ROOT = "loket"
#: Ids in topics: letters, digits, '-' and '_' only, so no id can smuggle '/', '+' or '#'.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
HUB_DEVICE = "hub"
#: The live ticket page's process: every hub enrols it with the role `web`.
WEB_DEVICE = "web"


def parse_events_log(topic: str) -> str | None:
    """The site id of an events/log topic, or None if it is not one."""
    parts = topic.split("/")
    if len(parts) != 5 or parts[:2] != [ROOT, VERSION] or parts[3:] != ["events", "log"]:
        return None
    return parts[2] if ID_PATTERN.match(parts[2]) else None


def check_id(kind: str, value: str) -> str:
    """Refuse an id that cannot be a topic level."""
    if not ID_PATTERN.match(value):
        raise ValueError(f"{kind} id {value!r} must be 1-64 letters, digits, '-' or '_'")
    return value


@dataclass(frozen=True)
class Topics:
    """The topics of one site."""

    site: str

    def __post_init__(self) -> None:
        check_id("site", self.site)

    @property
    def base(self) -> str:
        """The root of the site's topics."""
        return f"{ROOT}/{VERSION}/{self.site}"

    def command(self, device: str, verb: str) -> str:
        """Where `device` sends a `verb` command."""
        return f"{self.base}/cmd/{check_id('device', device)}/{check_id('verb', verb)}"

    @property
    def all_commands(self) -> str:
        """Subscription for the hub: every device's commands."""
        return f"{self.base}/cmd/+/+"

    def parse_command(self, topic: str) -> tuple[str, str] | None:
        """(device, verb) of a command topic, or None if it is not one."""
        prefix = f"{self.base}/cmd/"
        if not topic.startswith(prefix):
            return None
        parts = topic[len(prefix) :].split("/")
        if len(parts) != 2 or not all(ID_PATTERN.match(p) for p in parts):
            return None
        return parts[0], parts[1]

    def reply(self, device: str) -> str:
        """Where the hub answers `device`."""
        return f"{self.base}/reply/{check_id('device', device)}"

    @property
    def services(self) -> str:
        """Retained per-service state."""
        return f"{self.base}/state/services"

    def counter(self, counter: str) -> str:
        """Retained state of one counter."""
        return f"{self.base}/state/counters/{check_id('counter', counter)}"

    @property
    def all_counters(self) -> str:
        """Subscription for every counter's state."""
        return f"{self.base}/state/counters/+"

    @property
    def calls(self) -> str:
        """Retained list of the last calls."""
        return f"{self.base}/state/calls"

    @property
    def called(self) -> str:
        """One call, as it happens (not retained)."""
        return f"{self.base}/events/called"

    @property
    def events_log(self) -> str:
        """Every committed event of the anonymous event log, in order (not retained)."""
        return f"{self.base}/events/log"

    def device_status(self, device: str) -> str:
        """A device's retained presence, with its last will."""
        return f"{self.base}/devices/{check_id('device', device)}/status"

    @property
    def all_device_status(self) -> str:
        """Subscription for every device's presence."""
        return f"{self.base}/devices/+/status"

    def parse_device_status(self, topic: str) -> str | None:
        """The device id of a status topic, or None."""
        prefix, suffix = f"{self.base}/devices/", "/status"
        if not (topic.startswith(prefix) and topic.endswith(suffix)):
            return None
        device = topic[len(prefix) : -len(suffix)]
        return device if ID_PATTERN.match(device) else None

    def device_config(self, device: str) -> str:
        """A device's retained configuration, readable by that device only."""
        return f"{self.base}/devices/{check_id('device', device)}/config"

    def device_orders(self, device: str) -> str:
        """The hub's orders to one kiosk (reprint, check the printer), readable by it only."""
        return f"{self.base}/devices/{check_id('device', device)}/orders"

    @property
    def info(self) -> str:
        """Retained info messages for the displays."""
        return f"{self.base}/state/info"

    @property
    def office(self) -> str:
        """Retained: what the office changed for today."""
        return f"{self.base}/state/office"

    @property
    def alerts(self) -> str:
        """Retained open alerts, for the office and the staff terminals."""
        return f"{self.base}/office/alerts"
