"""Alerts for the front office: what is wrong now, since when, and who took it.

The hub observes conditions (a wait over its target, a printer out of paper, a visitor
asking for help, a device gone, a kiosk issuing offline tickets, trouble with the store or
the broker) and `reconcile` turns them into alerts: a new condition opens an alert, a
condition that is gone closes it. A help request and paper-out are different: they stay
until a person acknowledges them (`acknowledge`), so nobody misses one that came and went.
A help request is taken by the acknowledgement; paper-out closes once the paper is back.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime


class AlertKind(enum.StrEnum):
    """What an alert is about."""

    WAIT_OVER_TARGET = "wait_over_target"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    HELP_REQUESTED = "help_requested"
    DEVICE_OFFLINE = "device_offline"
    OFFLINE_TICKETS = "offline_tickets"
    HUB_TROUBLE = "hub_trouble"


#: Kinds that stay open until a person acknowledges them, even when the condition is gone.
STICKY = frozenset({AlertKind.HELP_REQUESTED, AlertKind.PAPER_OUT})
#: Kinds an acknowledgement closes at once (the person takes it).
TAKEN_BY_ACK = frozenset({AlertKind.HELP_REQUESTED})


@dataclass(frozen=True)
class Condition:
    """Something wrong now. `subject` tells one condition from another of the same kind
    (a device id, a service id, a device id and the time of a help press)."""

    kind: AlertKind
    subject: str
    device_id: str | None = None
    service_id: str | None = None
    #: A short fact for people, no personal data (e.g. "longest wait 34 min").
    detail: str = ""


@dataclass(frozen=True)
class Alert:
    """One alert: open from `since` until `closed_at`; acknowledged by a person or not."""

    id: str
    kind: AlertKind
    subject: str
    since: datetime
    device_id: str | None = None
    service_id: str | None = None
    detail: str = ""
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    closed_at: datetime | None = None
    #: Whether the condition still holds (a sticky alert may outlive it).
    active: bool = True

    @property
    def open(self) -> bool:
        """Not closed yet."""
        return self.closed_at is None


def alert_id(kind: AlertKind, subject: str, since: datetime, taken: Container[str] = ()) -> str:
    """A short id, the same for the same alert however often it is computed, and not one
    of `taken` (an earlier alert of the same subject opened at the same instant)."""
    for n in range(1000):
        seed = f"{kind.value}|{subject}|{since.isoformat()}|{n}".encode()
        found = "a" + hashlib.sha1(seed).hexdigest()[:11]
        if found not in taken:
            return found
    raise ValueError(f"no free alert id for {kind.value} {subject}")


def reconcile(
    alerts: Mapping[str, Alert], conditions: Iterable[Condition], now: datetime
) -> list[Alert]:
    """The alerts that change at `now`, given the conditions observed: new ones, ones
    whose condition is gone (closed, or still open if sticky and not acknowledged), and
    ones whose detail changed. An alert a person closed while its condition held keeps
    that condition from opening a new alert until the condition has gone once."""
    current = {(c.kind, c.subject): c for c in conditions}
    by_subject: dict[tuple[AlertKind, str], Alert] = {}
    for alert in alerts.values():
        key = (alert.kind, alert.subject)
        if alert.open or (alert.active and key not in by_subject):
            by_subject[key] = alert
    changed: list[Alert] = []
    for key, condition in current.items():
        known = by_subject.get(key)
        if known is None:
            changed.append(_opened(condition, now, alerts))
        elif known.open and (not known.active or known.detail != condition.detail):
            changed.append(replace(known, active=True, detail=condition.detail))
    for key, alert in by_subject.items():
        if key not in current:
            changed.append(_gone(alert, now) if alert.open else replace(alert, active=False))
    return [a for a in changed if a != alerts.get(a.id)]


def _opened(condition: Condition, now: datetime, taken: Container[str]) -> Alert:
    """A new alert for a condition first seen at `now`."""
    return Alert(
        id=alert_id(condition.kind, condition.subject, now, taken),
        kind=condition.kind,
        subject=condition.subject,
        since=now,
        device_id=condition.device_id,
        service_id=condition.service_id,
        detail=condition.detail,
    )


def _gone(alert: Alert, now: datetime) -> Alert:
    """The condition of an open alert is gone: closed, unless it must wait for a person."""
    if alert.kind in STICKY and alert.acknowledged_at is None:
        return replace(alert, active=False)
    return replace(alert, active=False, closed_at=now)


def acknowledge(alert: Alert, by: str, now: datetime) -> Alert:
    """A person took the alert: a help request closes; any other closes when it is gone."""
    taken = replace(alert, acknowledged_by=by, acknowledged_at=now)
    if alert.kind in TAKEN_BY_ACK or not alert.active:
        return replace(taken, closed_at=now)
    return taken


def resolve(alert: Alert, by: str, now: datetime) -> Alert:
    """A person says it is fixed (paper refilled): acknowledged and closed now."""
    acknowledged = alert.acknowledged_by or by
    return replace(
        alert,
        acknowledged_by=acknowledged,
        acknowledged_at=alert.acknowledged_at or now,
        active=False,
        closed_at=now,
    )
