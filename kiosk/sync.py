"""Keeping a lease of numbers per walk-in service, and handing offline tickets in.

While online, the kiosk keeps `lease_size` numbers of today for every walk-in service
(topped up below `low_water`). Tickets issued from them while offline are handed in, oldest
first, each with the request id it was stored with: a retry after a lost reply gets the
hub's first answer back, so each ticket counts exactly once, with its original time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.hub import HubPort, HubUnavailable
from kiosk.offline import OfflineStore
from siteconfig import SiteConfig

log = logging.getLogger(__name__)

#: Refusals that may pass (an older hub, a restart): keep the ticket and try again later.
TRANSIENT = frozenset({"unknown_verb", "unknown_device", "internal_error", "busy", "too_large"})


@dataclass
class SyncReport:
    """What one round did."""

    handed_in: int = 0
    refused: int = 0
    leased: int = 0
    unsupported: bool = False


class OfflineSync:
    """One kiosk's leases and hand-ins; `run_once` is safe to call from any thread."""

    def __init__(
        self,
        hub: HubPort,
        store: OfflineStore,
        config: SiteConfig,
        today: Callable[[], datetime],
        *,
        lease_size: int = 10,
        low_water: int = 5,
    ) -> None:
        self.hub = hub
        self.store = store
        self.config = config
        self.today = today
        self.lease_size = lease_size
        self.low_water = low_water
        self._lock = threading.Lock()
        self._warned = False

    def run_once(self) -> SyncReport:
        """Hand in what is pending, then top the leases up (when online)."""
        report = SyncReport()
        with self._lock:
            if not self.hub.online:
                return report
            try:
                self._hand_in(report)
                self._top_up(report)
            except ValueError as error:  # this Loket version's protocol lacks the verbs
                report.unsupported = True
                if not self._warned:
                    log.warning("offline leasing is not available: %s", error)
                    self._warned = True
            except HubUnavailable:
                pass  # try again on the next round
        return report

    def _hand_in(self, report: SyncReport) -> None:
        for ticket in self.store.pending():
            reply = self.hub.request(
                "submit_offline_ticket",
                request_id=ticket.request_id,
                service_id=ticket.service_id,
                number=ticket.number,
                issued_at=ticket.issued_at,
                language=ticket.language,
                priority=ticket.priority,
            )
            if reply.data is not None:
                self.store.handed_in(ticket.request_id, reply.data.ticket)
                report.handed_in += 1
                log.info("offline ticket %s handed in", ticket.number)
                continue
            error = reply.error
            code = error.code if error is not None else "unknown"
            if code in TRANSIENT:
                log.warning("offline ticket %s not taken yet: %s", ticket.number, code)
                return
            message = error.message if error is not None else code
            self.store.refused(ticket.request_id, f"{code}: {message}")
            report.refused += 1
            log.error("offline ticket %s refused by the hub: %s", ticket.number, message)

    def _top_up(self, report: SyncReport) -> None:
        day = self.today().date()
        self.store.drop_other_days(day)
        for service in self.config.services:
            if not service.walk_in:
                continue
            left = self.store.numbers_left(service.id, day)
            if left >= self.low_water:
                continue
            reply = self.hub.request(
                "lease_numbers", service_id=service.id, count=self.lease_size - left
            )
            if reply.data is not None:
                lease = self.store.add_lease(reply.data)
                report.leased += len(lease.numbers) - left
            else:
                log.info("no lease for %s: %s", service.id, _message(reply))


def _message(reply: Any) -> str:
    return reply.error.message if reply.error is not None else "refused"


class SyncLoop:
    """Runs an OfflineSync every `interval` seconds on its own thread, or when woken."""

    def __init__(
        self,
        sync: OfflineSync,
        interval: float = 15.0,
        after: Callable[[SyncReport], None] | None = None,
    ) -> None:
        self.sync = sync
        self.interval = interval
        self.after = after
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="kiosk-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Run a round now."""
        self._wake.set()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                report = self.sync.run_once()
                if self.after is not None and (report.handed_in or report.refused):
                    self.after(report)
            except Exception:  # never let the sync thread die: the next round may work
                log.exception("offline sync round failed")
            self._wake.wait(self.interval)
            self._wake.clear()
