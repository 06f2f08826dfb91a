"""JSON-ready dicts for the office's records (settings of the day, alerts, audit entries),
and back; the same rules as `codec`: exact round trips, missing keys take the default."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from queue_engine.adapters.codec import _datetime, _Decoders, _from_dict, _opt_datetime, _strings
from queue_engine.adapters.codec import _to_dict as to_dict
from queue_engine.domain.alerts import Alert, AlertKind
from queue_engine.domain.office import (
    AuditEntry,
    CounterAssignment,
    FullOverride,
    InfoMessage,
    OfficeRecord,
    ServicePause,
    TemporaryCounter,
)

#: Each kind of office record (a table of OfficeBook): its class and its decoders.
KINDS: dict[str, tuple[type[Any], _Decoders]] = {
    "pauses": (ServicePause, {"since": _datetime, "message": dict}),
    "overrides": (FullOverride, {"day": date.fromisoformat, "since": _datetime}),
    "temporary": (
        TemporaryCounter,
        {"day": date.fromisoformat, "services": _strings, "opened_at": _datetime},
    ),
    "assignments": (
        CounterAssignment,
        {"day": date.fromisoformat, "services": _strings, "since": _datetime},
    ),
    "info": (
        InfoMessage,
        {"since": _datetime, "until": _datetime, "zones": _strings, "devices": _strings},
    ),
}

_ALERT: _Decoders = {
    "kind": AlertKind,
    "since": _datetime,
    "acknowledged_at": _opt_datetime,
    "closed_at": _opt_datetime,
}


def day_of(record: OfficeRecord) -> date | None:
    """The one day a record applies on, or None (pauses and info messages)."""
    day: date | None = getattr(record, "day", None)
    return day


def office_from_dict(kind: str, data: Mapping[str, Any]) -> OfficeRecord:
    """An office record of `kind` from `to_dict`'s output."""
    cls, decoders = KINDS[kind]
    record: OfficeRecord = _from_dict(cls, data, decoders)
    return record


def alert_from_dict(data: Mapping[str, Any]) -> Alert:
    """An alert from `to_dict`'s output."""
    return _from_dict(Alert, data, _ALERT)


def audit_from_row(seq: int, data: Mapping[str, Any]) -> AuditEntry:
    """An audit entry from its stored fields."""
    entry: AuditEntry = _from_dict(AuditEntry, {**data, "seq": seq}, {"at": _datetime})
    return entry


__all__ = [
    "KINDS",
    "OfficeRecord",
    "alert_from_dict",
    "audit_from_row",
    "day_of",
    "office_from_dict",
    "to_dict",
]
