"""The kiosk's link to its hub: requests, the services state, and whether the hub is there.

"Online" means connected to the broker *and* the hub says it is up (its retained status,
with a last will). While either is away the kiosk sends nothing, so no command is left
waiting in a queue to be acted on later, unseen. A request that gets no answer marks the
hub as silent for a while, so the next visitor is not kept waiting too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from link.client import HubUnavailable, LoketClient
from link.mqtt import Broker
from link.protocol import messages as m
from link.protocol.orders import KioskOrder
from link.protocol.replies import ReplyMessage
from link.protocol.topics import HUB_DEVICE

log = logging.getLogger(__name__)

__all__ = ["HubLink", "HubPort", "HubUnavailable"]


class HubPort(Protocol):
    """What the kiosk needs from its hub (LoketClient-backed, or a fake in tests)."""

    @property
    def online(self) -> bool:
        """Whether requests can be sent now."""
        ...

    def request(
        self, verb: str, *, request_id: str | None = None, **fields: Any
    ) -> ReplyMessage[Any]:
        """Send a command; its typed reply (`replies.REPLIES[verb]`), or HubUnavailable."""
        ...

    def publish_status(self, **fields: Any) -> None:
        """Publish the device status (printer state …), if connected."""
        ...


class HubLink:
    """A LoketClient plus the hub's presence; callbacks run on the network thread."""

    def __init__(
        self,
        site_id: str,
        device_id: str,
        broker: Broker,
        *,
        version: str | None = None,
        timeout: float = 3.0,
        silent_seconds: float = 20.0,
    ) -> None:
        self.timeout = timeout
        self.silent_seconds = silent_seconds
        self._hub_up: bool | None = None
        self._silent_until = 0.0
        self._lock = threading.Lock()
        self._listeners: list[Callable[[bool], None]] = []
        self._status_fields: dict[str, Any] = {}
        self.client = LoketClient(
            site_id, device_id, broker, role="kiosk", version=version, on_online=self._changed
        )
        self.client.on_device_status(self._device_status)

    def start(self) -> None:
        """Connect in the background."""
        self.client.start()

    def close(self) -> None:
        """Say offline and disconnect."""
        self.client.close()

    def on_change(self, callback: Callable[[bool], None]) -> None:
        """Call `callback(online)` whenever the link goes up or down."""
        self._listeners.append(callback)

    def on_services(self, callback: Callable[[m.ServicesState], None]) -> None:
        """The retained per-service state, as it changes."""
        self.client.on_services(callback)

    def on_orders(self, callback: Callable[[KioskOrder], None]) -> None:
        """The office's orders for this kiosk (reprint a ticket, check the printer)."""
        self.client.on_orders(callback)

    @property
    def online(self) -> bool:
        """Connected, the hub up (or not heard of yet), and not silent lately."""
        with self._lock:
            hub_up, silent = self._hub_up, time.monotonic() < self._silent_until
        return self.client.online and hub_up is not False and not silent

    def request(
        self, verb: str, *, request_id: str | None = None, **fields: Any
    ) -> ReplyMessage[Any]:
        """Send a command when online; HubUnavailable when offline or unanswered."""
        if not self.online:
            raise HubUnavailable(f"{verb}: the hub is not reachable")
        try:
            return self.client.request(verb, timeout=self.timeout, request_id=request_id, **fields)
        except HubUnavailable:
            with self._lock:
                self._silent_until = time.monotonic() + self.silent_seconds
            self._notify()
            raise

    def publish_status(self, **fields: Any) -> None:
        """Publish this kiosk's status (kept, and sent again on every reconnect)."""
        self._status_fields.update(fields)
        if self.client.online:
            self.client.publish_status(True, **self._status_fields)

    def _device_status(self, status: m.DeviceStatus) -> None:
        if status.device != HUB_DEVICE:
            return
        with self._lock:
            self._hub_up = status.online
            if status.online:
                self._silent_until = 0.0
        self._notify()

    def _changed(self, up: bool) -> None:
        if up and self._status_fields:
            self.client.publish_status(True, **self._status_fields)
        self._notify()

    def _notify(self) -> None:
        online = self.online
        for callback in list(self._listeners):
            try:
                callback(online)
            except Exception:  # a view's bug must not stop the network thread
                log.exception("online listener failed")
