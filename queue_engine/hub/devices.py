"""The devices of a site: who they are (from the configuration) and how they are (presence)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from pydantic import ValidationError

from link.protocol import messages as m
from link.protocol.roles import Device


@dataclass(frozen=True)
class Presence:
    """A device's last reported status."""

    online: bool
    last_seen: datetime
    version: str | None = None
    printer: str | None = None
    detail: str | None = None
    help_since: datetime | None = None
    offline_tickets: int = 0


class DeviceRegistry:
    """Enrolled devices and their last status; safe to use from several threads."""

    def __init__(self, devices: Iterable[Device]) -> None:
        self._devices = {d.id: d for d in devices}
        self._presence: dict[str, Presence] = {}
        self._lock = threading.Lock()

    def device(self, device_id: str) -> Device | None:
        """An enrolled device, or None."""
        with self._lock:
            return self._devices.get(device_id)

    def enrol(self, device: Device) -> None:
        """Add or replace a device."""
        with self._lock:
            self._devices[device.id] = device

    def revoke(self, device_id: str) -> None:
        """Forget a device: its commands are refused from now on."""
        with self._lock:
            self._devices.pop(device_id, None)
            self._presence.pop(device_id, None)

    def update(self, device_id: str, payload: bytes, now: datetime) -> bool:
        """Take a status message; False (and ignored) if it is not a valid status."""
        try:
            status = m.DeviceStatus.model_validate_json(payload) if payload else None
        except ValidationError:
            return False
        with self._lock:
            if status is None:  # a cleared retained status
                self._presence.pop(device_id, None)
                return True
            self._presence[device_id] = Presence(
                status.online,
                status.at or now,
                status.version,
                status.printer,
                status.detail,
                status.help_since,
                status.offline_tickets or 0,
            )
        return True

    def forget_printer(self, device_id: str) -> None:
        """Take no printer status of the device for true until it reports again."""
        with self._lock:
            presence = self._presence.get(device_id)
            if presence is not None:
                self._presence[device_id] = replace(presence, printer=None)

    def presence(self, device_id: str) -> Presence | None:
        """The device's last status."""
        with self._lock:
            return self._presence.get(device_id)

    def online_count(self) -> int:
        """How many enrolled devices say they are online."""
        with self._lock:
            return sum(1 for d, p in self._presence.items() if p.online and d in self._devices)

    def listing(self) -> list[tuple[Device, Presence | None]]:
        """Every enrolled device with its presence."""
        with self._lock:
            return [(d, self._presence.get(d.id)) for d in self._devices.values()]
