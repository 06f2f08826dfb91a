"""The SQLite store's schema, as ordered steps; step N brings a file to `user_version` N.

Never edit a released step: add a new one. Each step is a tuple of single statements
so that it can run inside the caller's transaction (executescript would commit).
Times are UTC text in one fixed format, so text order is time order.
"""

from __future__ import annotations

import sqlite3

STEPS: tuple[tuple[str, ...], ...] = (
    # v1: the tables.
    (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE tickets (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,
            number TEXT NOT NULL,
            service_id TEXT NOT NULL,
            status TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            data TEXT NOT NULL
        )""",
        """CREATE TABLE appointments (
            id TEXT PRIMARY KEY,
            booking_code TEXT,
            start TEXT NOT NULL,
            data TEXT NOT NULL
        )""",
        "CREATE TABLE counters (id TEXT PRIMARY KEY, data TEXT NOT NULL)",
        """CREATE TABLE numbering (
            service_id TEXT NOT NULL,
            day TEXT NOT NULL,
            last INTEGER NOT NULL,
            PRIMARY KEY (service_id, day)
        )""",
        """CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            type TEXT NOT NULL,
            payload TEXT NOT NULL
        )""",
        """CREATE TABLE requests (
            actor TEXT NOT NULL,
            request_id TEXT NOT NULL,
            verb TEXT NOT NULL,
            at TEXT NOT NULL,
            reply TEXT NOT NULL,
            PRIMARY KEY (actor, request_id)
        )""",
    ),
    # v2: indexes for loading a day, check-in by code, KPI time ranges and retention.
    (
        "CREATE INDEX tickets_by_day ON tickets (day)",
        "CREATE INDEX tickets_open ON tickets (status) WHERE status NOT IN ('done', 'cancelled')",
        "CREATE INDEX tickets_by_issued_at ON tickets (issued_at)",
        "CREATE INDEX appointments_by_start ON appointments (start)",
        "CREATE INDEX appointments_by_code ON appointments (booking_code, start)"
        " WHERE booking_code IS NOT NULL",
        "CREATE INDEX events_by_at ON events (at)",
        "CREATE INDEX requests_by_at ON requests (at)",
    ),
    # v3: number leases of kiosks that issue tickets while offline.
    (
        """CREATE TABLE leases (
            id TEXT PRIMARY KEY,
            device TEXT NOT NULL,
            service_id TEXT NOT NULL,
            day TEXT NOT NULL,
            data TEXT NOT NULL
        )""",
        "CREATE INDEX leases_by_day ON leases (day)",
    ),
    # v4: an appointment id could be a hash of its booking code: none in the event log, and
    # new random ids for the appointments already purged (and in their tickets).
    (
        "UPDATE events SET payload = json_remove(payload, '$.appointment_id')"
        " WHERE type IN ('AppointmentCheckedIn', 'AppointmentMissed')",
        "UPDATE appointments SET id = 'apt-' || lower(hex(randomblob(8)))"
        " WHERE booking_code IS NULL AND json_extract(data, '$.initials') IS NULL",
        "UPDATE appointments SET data = json_set(data, '$.id', id)"
        " WHERE json_extract(data, '$.id') <> id",
        "UPDATE tickets SET data = json_set(data, '$.appointment_ids', (SELECT"
        " json_group_array(a.id) FROM appointments a"
        " WHERE json_extract(a.data, '$.ticket_id') = tickets.id))"
        " WHERE json_array_length(data, '$.appointment_ids') > 0",
    ),
    # v5: the front office: its settings (one row per kind and key), alerts, the audit log.
    (
        """CREATE TABLE office (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            day TEXT,
            data TEXT NOT NULL,
            PRIMARY KEY (kind, key)
        )""",
        """CREATE TABLE alerts (
            id TEXT PRIMARY KEY,
            since TEXT NOT NULL,
            closed_at TEXT,
            data TEXT NOT NULL
        )""",
        "CREATE INDEX alerts_by_closed_at ON alerts (closed_at)",
        """CREATE TABLE audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            by TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL
        )""",
        "CREATE INDEX audit_by_at ON audit (at)",
    ),
)

#: The schema version this code writes.
LATEST = len(STEPS)


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the open file."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def upgrade(conn: sqlite3.Connection, target: int = LATEST) -> int:
    """Apply the steps after the file's version up to `target`; returns the new version.

    The caller holds the transaction, so a failing step leaves the file as it was.
    """
    current = user_version(conn)
    if not 0 <= target <= LATEST:
        raise ValueError(f"no schema version {target}; this code knows 0..{LATEST}")
    for step in STEPS[current:target]:
        for statement in step:
            conn.execute(statement)
    if target > current:
        conn.execute(f"PRAGMA user_version = {int(target)}")
    return max(current, target)
