"""The SQLite rows of the front office: its settings, alerts and audit log.

Called by the SQLite store inside its transactions; times are UTC text like every column
of the store, so text order is time order.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from typing import Any

from queue_engine.adapters.office_codec import (
    alert_from_dict,
    audit_from_row,
    day_of,
    office_from_dict,
    to_dict,
)
from queue_engine.domain.alerts import Alert
from queue_engine.domain.model import utc
from queue_engine.domain.office import AuditEntry, InfoMessage, OfficeBook
from queue_engine.ports import Change


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def _text(value: datetime) -> str:
    """UTC text in the store's one format (as `sqlite_store.utc_text`)."""
    return utc(value).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def load_office(db: sqlite3.Connection, day: date, start: datetime) -> OfficeBook:
    """The settings of `day` (and those without a day), info messages live after `start`."""
    book = OfficeBook()
    rows = db.execute(
        "SELECT kind, key, data FROM office WHERE day IS NULL OR day = ? ORDER BY kind, key",
        (day.isoformat(),),
    )
    for kind, key, data in rows:
        record = office_from_dict(kind, json.loads(data))
        if isinstance(record, InfoMessage) and record.until <= start:
            continue
        book.put(kind, key, record)
    return book


def load_alerts(db: sqlite3.Connection, start: datetime) -> dict[str, Alert]:
    """Open alerts and those closed from `start` on."""
    rows = db.execute(
        "SELECT data FROM alerts WHERE closed_at IS NULL OR closed_at >= ? ORDER BY since, id",
        (_text(start),),
    )
    return {a.id: a for a in (alert_from_dict(json.loads(d)) for (d,) in rows)}


def write_office(db: sqlite3.Connection, change: Change) -> None:
    """Upsert or remove the change's settings and alerts; append its audit entries."""
    for (kind, key), record in change.office.items():
        if record is None:
            db.execute("DELETE FROM office WHERE kind = ? AND key = ?", (kind, key))
            continue
        day = day_of(record)
        db.execute(
            "INSERT INTO office (kind, key, day, data) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (kind, key) DO UPDATE SET day = excluded.day, data = excluded.data",
            (kind, key, day.isoformat() if day else None, _dumps(to_dict(record))),
        )
    db.executemany(
        "INSERT INTO alerts (id, since, closed_at, data) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET closed_at = excluded.closed_at, data = excluded.data",
        [
            (a.id, _text(a.since), _text(a.closed_at) if a.closed_at else None, _dumps(to_dict(a)))
            for a in change.alerts.values()
        ],
    )
    db.executemany(
        "INSERT INTO audit (at, by, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
        [(_text(e.at), e.by, e.actor, e.action, _dumps(dict(e.detail))) for e in change.audit],
    )


def read_audit(db: sqlite3.Connection, since: datetime | None, limit: int) -> list[AuditEntry]:
    """Audit entries from `since` on, newest first."""
    where, params = ("WHERE at >= ?", [_text(since)]) if since else ("", [])
    rows = db.execute(
        f"SELECT seq, at, by, actor, action, detail FROM audit {where} ORDER BY seq DESC LIMIT ?",
        [*params, int(limit)],
    )
    return [
        audit_from_row(
            seq,
            {"at": at, "by": by, "actor": actor, "action": action, "detail": json.loads(detail)},
        )
        for seq, at, by, actor, action, detail in rows
    ]


def purge_office(db: sqlite3.Connection, cutoff: str) -> int:
    """Drop audit entries, info messages that expired and alerts closed before `cutoff`."""
    audit = db.execute("DELETE FROM audit WHERE at < ?", (cutoff,)).rowcount
    alerts = db.execute("DELETE FROM alerts WHERE closed_at < ?", (cutoff,)).rowcount
    rows = db.execute("SELECT key, data FROM office WHERE kind = 'info'").fetchall()
    expired = [
        (key,)
        for key, data in rows
        if _text(datetime.fromisoformat(json.loads(data)["until"])) < cutoff
    ]
    db.executemany("DELETE FROM office WHERE kind = 'info' AND key = ?", expired)
    return int(audit) + int(alerts) + len(expired)
