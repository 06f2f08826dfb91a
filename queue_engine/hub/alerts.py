"""The hub's alerts: what it observes (queues, devices' presence and printers, its own
health), turned into stored alerts by `queue_engine.domain.alerts.reconcile`, published
retained on office/alerts for the web process and the staff terminals.

Time is passed in (`now`); the hub calls `AlertMonitor.check(state, now)` about once a
second and at once when a device's status changes, so a help press or a paper-out shows
within a second. Alerts the store could not take yet are kept and published anyway.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from link.protocol.office import AlertsState, AlertView
from link.protocol.roles import Role
from queue_engine.domain.alerts import Alert, AlertKind, Condition, reconcile
from queue_engine.hub.devices import DeviceRegistry, Presence
from queue_engine.service.state import QueueState

#: How long a store error, a slow commit or a broker reconnect keeps hub_trouble open.
TROUBLE_WINDOW = timedelta(minutes=5)
#: A commit slower than this is trouble (a healthy one takes milliseconds).
SLOW_COMMIT_S = 1.0
#: A device counts as offline after this long (a restart is not an alert).
OFFLINE_GRACE = timedelta(seconds=10)
#: Devices whose absence is an alert.
WATCHED_ROLES = frozenset({Role.KIOSK, Role.STAFF, Role.DISPLAY})
PRINTER_ALERTS = {"paper_low": AlertKind.PAPER_LOW, "paper_out": AlertKind.PAPER_OUT}


class HubHealth:
    """The hub's own trouble: store errors, slow commits, broker reconnects (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._store_errors: deque[datetime] = deque(maxlen=100)
        self._slow: deque[tuple[datetime, float]] = deque(maxlen=100)
        self._reconnects: deque[datetime] = deque(maxlen=100)
        self._connected_once = False

    def store_failed(self, now: datetime) -> None:
        """The store refused a commit."""
        with self._lock:
            self._store_errors.append(now)

    def committed(self, seconds: float, now: datetime) -> None:
        """A group commit took `seconds`."""
        if seconds >= SLOW_COMMIT_S:
            with self._lock:
                self._slow.append((now, seconds))

    def broker_up(self, now: datetime) -> None:
        """Connected to the broker; every connection after the first is a reconnect."""
        with self._lock:
            if self._connected_once:
                self._reconnects.append(now)
            self._connected_once = True

    def conditions(self, now: datetime) -> list[Condition]:
        """hub_trouble conditions of the last TROUBLE_WINDOW."""
        since = now - TROUBLE_WINDOW
        with self._lock:
            errors = [t for t in self._store_errors if t >= since]
            slow = [s for t, s in self._slow if t >= since]
            reconnects = [t for t in self._reconnects if t >= since]
        found = []
        if errors:
            found.append(_trouble("store", f"{len(errors)} store error(s) in 5 min"))
        if slow:
            found.append(_trouble("commits", f"slowest commit {max(slow):.1f} s in 5 min"))
        if reconnects:
            found.append(_trouble("broker", f"{len(reconnects)} broker reconnect(s) in 5 min"))
        return found


def _trouble(subject: str, detail: str) -> Condition:
    return Condition(AlertKind.HUB_TROUBLE, subject, detail=detail)


def queue_conditions(state: QueueState, now: datetime) -> list[Condition]:
    """A service whose longest wait is over its target."""
    found = []
    for service in state.site.services.values():
        waiting = state.waiting_by_service.get(service.id, {}).values()
        oldest = min((t.queued_since for t in waiting), default=None)
        target = timedelta(minutes=service.target_wait_minutes)
        if oldest is not None and now - oldest > target:
            detail = f"target {service.target_wait_minutes} min"
            found.append(
                Condition(
                    AlertKind.WAIT_OVER_TARGET, service.id, service_id=service.id, detail=detail
                )
            )
    return found


def device_conditions(devices: DeviceRegistry, now: datetime) -> list[Condition]:
    """Printers low or out of paper, help presses, devices gone, offline tickets."""
    found = []
    for device, presence in devices.listing():
        if presence is None or device.role not in WATCHED_ROLES:
            continue
        found += _of_device(device.id, presence, now)
    return found


def _of_device(device_id: str, presence: Presence, now: datetime) -> list[Condition]:
    found = []
    kind = PRINTER_ALERTS.get(presence.printer or "")
    if kind is not None:
        found.append(Condition(kind, device_id, device_id=device_id))
    if presence.help_since is not None:
        subject = f"{device_id}@{presence.help_since.isoformat()}"
        found.append(Condition(AlertKind.HELP_REQUESTED, subject, device_id=device_id))
    if not presence.online and now - presence.last_seen >= OFFLINE_GRACE:
        found.append(Condition(AlertKind.DEVICE_OFFLINE, device_id, device_id=device_id))
    if presence.offline_tickets > 0:
        detail = f"{presence.offline_tickets} offline ticket(s) not handed in"
        found.append(
            Condition(AlertKind.OFFLINE_TICKETS, device_id, device_id=device_id, detail=detail)
        )
    return found


@dataclass
class AlertMonitor:
    """Observes, reconciles and keeps the alerts the store has not taken yet."""

    devices: DeviceRegistry
    health: HubHealth

    def __post_init__(self) -> None:
        self.unsaved: dict[str, Alert] = {}
        self.due = threading.Event()

    def changes(self, state: QueueState, now: datetime) -> list[Alert]:
        """The alert changes at `now` (to store with ApplyAlerts)."""
        self.due.clear()
        conditions = queue_conditions(state, now)
        conditions += device_conditions(self.devices, now)
        conditions += self.health.conditions(now)
        return reconcile(self.known(state), conditions, now)

    def known(self, state: QueueState) -> dict[str, Alert]:
        """Stored alerts with the unsaved ones over them."""
        return {**state.alerts, **self.unsaved}

    def stored(self, alerts: list[Alert] | None = None) -> None:
        """The store took the changes (None: took everything unsaved)."""
        if alerts is None:
            self.unsaved.clear()
        for alert in alerts or ():
            self.unsaved.pop(alert.id, None)

    def keep(self, alerts: list[Alert]) -> None:
        """The store could not take these: keep them to publish and retry."""
        self.unsaved.update((a.id, a) for a in alerts)

    def message(self, state: QueueState, now: datetime) -> AlertsState:
        """office/alerts: the open alerts with their devices' names and places."""
        alerts = open_alerts(self.known(state))
        return AlertsState(at=now, alerts=[self.view(a) for a in alerts])

    def view(self, alert: Alert) -> AlertView:
        """An alert as published."""
        device = self.devices.device(alert.device_id) if alert.device_id else None
        return AlertView(
            id=alert.id,
            kind=alert.kind,
            since=alert.since,
            active=alert.active,
            device_id=alert.device_id,
            device_name=(device.name or device.id) if device else None,
            zone=device.zone if device else None,
            floor=device.floor if device else None,
            room=device.room if device else None,
            service_id=alert.service_id,
            detail=alert.detail,
            acknowledged_by=alert.acknowledged_by,
            acknowledged_at=alert.acknowledged_at,
        )


def open_alerts(alerts: Mapping[str, Alert]) -> list[Alert]:
    """The open ones, oldest first."""
    return sorted((a for a in alerts.values() if a.open), key=lambda a: (a.since, a.id))
