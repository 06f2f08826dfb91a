"""The live page's line to the hub: one MQTT client (device `web`) that knows how the
tickets of the open pages stand, and says when that knowledge is not live.

It listens to what the hub publishes for everyone (services, counters, calls, the hub's
presence); each time something changes it asks the hub, in one `ticket_status` request per
200 tokens, about every ticket that has a page open, a burst of changes coalesced into one
question. Views that changed are handed to `on_views`; `on_live` hears when the page's data
stops or starts being live. Both are called from this object's threads.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Any

from link.client import HubUnavailable, LoketClient
from link.mqtt import Broker
from link.protocol import messages as m
from link.protocol.replies import LiveTicket, ReplyMessage, TicketReply, UnknownTicket
from link.protocol.topics import HUB_DEVICE, WEB_DEVICE
from live_page.render import View, is_final

log = logging.getLogger(__name__)

#: Unknown tokens remembered, so that guessing does not turn into questions to the hub.
UNKNOWN_KEPT = 10_000


class HubLink:
    """Ticket views by token, kept up to date from the hub."""

    def __init__(
        self,
        site_id: str,
        broker: Broker,
        *,
        on_views: Callable[[dict[str, View]], None] = lambda _: None,
        on_live: Callable[[bool], None] = lambda _: None,
        coalesce: float = 0.01,
        refresh_every: float = 30.0,
        timeout: float = 2.0,
        version: str | None = None,
    ) -> None:
        self.on_views = on_views
        self.on_live = on_live
        self.coalesce = coalesce
        self.refresh_every = refresh_every
        self.timeout = timeout
        self.client = LoketClient(
            site_id, WEB_DEVICE, broker, role="web", version=version, on_online=self._online
        )
        self.client.on_services(self._changed)
        self.client.on_counter(self._changed)
        self.client.on_called(self._changed)
        self.client.on_device_status(self._presence)
        self._lock = threading.Lock()
        self._watched: Counter[str] = Counter()
        self._views: dict[str, View] = {}
        self._unknown: OrderedDict[str, None] = OrderedDict()
        self._hub_online: bool | None = None
        self._answering = True
        self._live = False
        self._urgent: set[str] = set()
        #: How many full refreshes, and how long the last one took (for /healthz).
        self.refreshes = 0
        self.refresh_seconds = 0.0
        self._poke = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-page-refresh", daemon=True)

    # --- life cycle -------------------------------------------------------------------

    def start(self) -> None:
        """Connect and start keeping the views fresh."""
        self.client.start()
        self._thread.start()

    def close(self) -> None:
        """Stop refreshing and disconnect."""
        self._stop.set()
        self._poke.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self.client.close()

    @property
    def live(self) -> bool:
        """Connected, the hub online and answering: what the pages show is current."""
        return self._live

    # --- what the pages ask -----------------------------------------------------------

    def watch(self, token: str) -> None:
        """A page for `token` opened: keep its view fresh."""
        with self._lock:
            self._watched[token] += 1

    def unwatch(self, token: str) -> None:
        """A page for `token` closed."""
        with self._lock:
            self._watched[token] -= 1
            if self._watched[token] <= 0:
                del self._watched[token]
                self._views.pop(token, None)

    def watched(self) -> int:
        """How many distinct tickets have a page open."""
        with self._lock:
            return len(self._watched)

    def known(self, token: str) -> View | None:
        """The last view of `token`, without asking the hub."""
        with self._lock:
            if token in self._unknown:
                return UnknownTicket()
            return self._views.get(token)

    def lookup(self, token: str) -> View | None:
        """The view of `token`: remembered, else asked (None when the hub does not answer)."""
        view = self.known(token)
        if view is not None:
            return view
        views = self._ask([token])
        return None if views is None else views.get(token)

    def delay(self, token: str, minutes: int) -> ReplyMessage[TicketReply] | None:
        """Ask the hub to hold the ticket for `minutes`; None when it does not answer."""
        try:
            reply = self.client.request(
                "delay_request", token=token, minutes=minutes, timeout=self.timeout
            )
        except HubUnavailable:
            return None
        self._poke.set()
        return reply

    # --- the hub's side ---------------------------------------------------------------

    def _changed(self, message: Any) -> None:
        if isinstance(message, m.CalledEvent):  # the called ticket's page first, at once
            number = message.call.number
            with self._lock:
                self._urgent.update(
                    t
                    for t, v in self._views.items()
                    if isinstance(v, LiveTicket) and v.number == number
                )
        self._poke.set()

    def _presence(self, status: m.DeviceStatus) -> None:
        if status.device == HUB_DEVICE:
            self._hub_online = status.online
            if status.online:
                self._answering = True
                self._poke.set()
            self._update_live()

    def _online(self, up: bool) -> None:
        if up:
            self._poke.set()
        self._update_live()

    def _update_live(self) -> None:
        if self._stop.is_set():
            return  # closing: not news
        live = self.client.online and self._hub_online is not False and self._answering
        if live != self._live:
            self._live = live
            log.info("the live page's data is %s", "live" if live else "NOT live")
            self.on_live(live)

    def _ask(self, tokens: list[str]) -> dict[str, View] | None:
        """Views of `tokens` from the hub (200 per request); None if it did not answer."""
        found: dict[str, View] = {}
        for start in range(0, len(tokens), m.MAX_STATUS_TOKENS):
            chunk = tokens[start : start + m.MAX_STATUS_TOKENS]
            try:
                reply = self.client.request(
                    "ticket_status",
                    tokens=chunk,
                    timeout=self.timeout,
                    retries=1,
                    request_id=f"status-{uuid.uuid4().hex}",
                )
            except HubUnavailable:
                self._answering = False
                self._update_live()
                return None
            if reply.data is None:
                log.warning("the hub refused ticket_status: %s", reply.error)
                return None
            found.update(reply.data.tickets)
        self._answering = True
        self._update_live()
        with self._lock:
            for token, view in found.items():
                if isinstance(view, UnknownTicket):
                    self._unknown[token] = None
                    while len(self._unknown) > UNKNOWN_KEPT:
                        self._unknown.popitem(last=False)
                elif token in self._watched:
                    self._views[token] = view
        return found

    def _run(self) -> None:
        while not self._stop.is_set():
            self._poke.wait(self.refresh_every)
            if self._stop.is_set():
                return
            if not self._urgent:
                self._stop.wait(self.coalesce)  # let a burst of changes arrive first
            self._poke.clear()
            try:
                self._refresh()
            except Exception:
                log.exception("refreshing the live pages failed; trying again later")

    def _refresh(self) -> None:
        with self._lock:
            before = {t: self._views.get(t) for t in self._watched}
            urgent = [t for t in self._urgent if t in before]
            self._urgent.clear()
        if not before or not self.client.online:
            return
        started = time.perf_counter()
        if urgent:
            self._push(before, urgent)
        self._push(before, [t for t, view in before.items() if not is_final(view)])
        self.refreshes += 1
        self.refresh_seconds = time.perf_counter() - started

    def _push(self, before: dict[str, View | None], tokens: list[str]) -> None:
        """Ask about `tokens`; hand on the views that differ from `before` (then updated)."""
        views = self._ask(tokens) if tokens else None
        if views is None:
            return
        changed = {t: v for t, v in views.items() if before.get(t) != v}
        before.update(changed)
        if changed:
            self.on_views(changed)
