"""The SQLite store: one WAL-mode file per site, behind the engine's storage port.

Records are kept as JSON (see `queue_engine.adapters.codec`) next to the few columns that queries
select on. Times in columns are UTC text in one fixed format, so text order is time order.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from queue_engine.adapters import codec, migrations, office_rows
from queue_engine.domain.checkin import new_appointment_id
from queue_engine.domain.events import Event, event_from_json, event_to_json
from queue_engine.domain.model import Appointment, CounterState, Ticket, utc
from queue_engine.domain.office import AuditEntry
from queue_engine.ports import Change, PurgeReport, RequestRecord, Snapshot

_BUSY_TIMEOUT_S = 10.0
_EVENT_PAGE = 500
#: Must read exactly like the partial index `tickets_open`, or SQLite will not use it.
_OPEN_TICKET = "status NOT IN ('done', 'cancelled')"


class StoreError(Exception):
    """A store file that cannot be used; the message names the file and the reason."""


class NotADatabaseError(StoreError):
    """The file exists but is not a SQLite database."""


class SchemaTooNewError(StoreError):
    """The file was written by a newer Loket than this one."""


class WrongSiteError(StoreError):
    """The file belongs to another site."""


def time_window(start: datetime | None, end: datetime | None) -> tuple[list[str], list[object]]:
    """SQL conditions (and their parameters) for `at` in [start, end), either end open."""
    where: list[str] = []
    params: list[object] = []
    if start is not None:
        where.append("at >= ?")
        params.append(utc_text(start))
    if end is not None:
        where.append("at < ?")
        params.append(utc_text(end))
    return where, params


def utc_text(value: datetime) -> str:
    """An aware datetime as fixed-format UTC text, e.g. 2026-03-29T01:00:00.000000+00:00."""
    return utc(value).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _dumps(data: dict[str, Any]) -> str:
    """Compact, stable JSON for a data column."""
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def _ticket_row(ticket: Ticket) -> tuple[object, ...]:
    """A tickets row: the selected columns, then the record."""
    data = _dumps(codec.ticket_to_dict(ticket))
    day, issued_at = ticket.day.isoformat(), utc_text(ticket.issued_at)
    return (ticket.id, day, ticket.number, ticket.service_id, ticket.status.value, issued_at, data)


def _appointment_row(appointment: Appointment) -> tuple[object, ...]:
    """An appointments row; an empty booking code is stored as NULL."""
    data = _dumps(codec.appointment_to_dict(appointment))
    return (appointment.id, appointment.booking_code or None, utc_text(appointment.start), data)


def _counter_row(state: CounterState) -> tuple[object, ...]:
    """A counters row."""
    return (state.counter_id, _dumps(codec.counter_state_to_dict(state)))


def _load_appointment(data: str) -> Appointment:
    """An appointment from its data column."""
    return codec.appointment_from_dict(json.loads(data))


@contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE (the write lock); COMMIT on normal exit, ROLLBACK on an exception."""
    if conn.in_transaction:
        raise RuntimeError("store transactions do not nest")
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _data_version(conn: sqlite3.Connection) -> int:
    """SQLite's counter of commits made by other connections to this file."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


class SqliteTransaction:
    """One open write transaction on a SqliteStore's connection."""

    def __init__(self, conn: sqlite3.Connection, *, stale: bool) -> None:
        self.stale = stale
        self._conn: sqlite3.Connection | None = conn

    def _db(self) -> sqlite3.Connection:
        """The connection, while the transaction is open."""
        if self._conn is None:
            raise RuntimeError("this transaction has ended")
        return self._conn

    def end(self) -> None:
        """Refuse further use: the transaction has committed or rolled back."""
        self._conn = None

    def load(self, day: date, start: datetime, end: datetime) -> Snapshot:
        """Non-final tickets and `day`'s tickets; appointments in [start, end); the rest."""
        db, day_text = self._db(), day.isoformat()
        # A UNION, not an OR: each half then uses its index.
        tickets = db.execute(
            f"SELECT id, data FROM tickets WHERE {_OPEN_TICKET}"
            " UNION SELECT id, data FROM tickets WHERE day = ? ORDER BY id",
            (day_text,),
        )
        appointments = db.execute(
            "SELECT data FROM appointments WHERE start >= ? AND start < ? ORDER BY start, id",
            (utc_text(start), utc_text(end)),
        )
        counters = db.execute("SELECT data FROM counters ORDER BY id")
        numbering = db.execute(
            "SELECT service_id, last FROM numbering WHERE day = ? ORDER BY service_id",
            (day_text,),
        )
        (last_id,) = db.execute("SELECT COALESCE(MAX(id), 0) FROM tickets").fetchone()
        leases = db.execute("SELECT data FROM leases WHERE day = ? ORDER BY id", (day_text,))
        return Snapshot(
            tickets={i: codec.ticket_from_dict(json.loads(d)) for i, d in tickets},
            appointments={a.id: a for a in (_load_appointment(d) for (d,) in appointments)},
            counters={
                c.counter_id: c
                for c in (codec.counter_state_from_dict(json.loads(d)) for (d,) in counters)
            },
            numbering={(service_id, day): last for service_id, last in numbering},
            next_ticket_id=int(last_id) + 1,
            leases={
                lease.id: lease
                for lease in (codec.lease_from_dict(json.loads(d)) for (d,) in leases)
            },
            office=office_rows.load_office(db, day, start),
            alerts=office_rows.load_alerts(db, start),
        )

    def reply_for(self, actor: str, request_id: str) -> str | None:
        """The stored reply of an earlier request with this id, if any."""
        row = (
            self._db()
            .execute(
                "SELECT reply FROM requests WHERE actor = ? AND request_id = ?",
                (actor, request_id),
            )
            .fetchone()
        )
        return None if row is None else str(row[0])

    def find_appointments(self, booking_code: str) -> list[Appointment]:
        """All appointments with this normalised booking code, any day, by start."""
        rows = self._db().execute(
            "SELECT data FROM appointments WHERE booking_code = ? ORDER BY start, id",
            (booking_code,),
        )
        return [_load_appointment(data) for (data,) in rows]

    def write(self, change: Change, request: RequestRecord | None) -> None:
        """Upsert the change's records, append its events, record the request."""
        db = self._db()
        db.executemany(
            "INSERT INTO tickets (id, day, number, service_id, status, issued_at, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " day = excluded.day, number = excluded.number, service_id = excluded.service_id,"
            " status = excluded.status, issued_at = excluded.issued_at, data = excluded.data",
            [_ticket_row(t) for t in change.tickets.values()],
        )
        db.executemany(
            "INSERT INTO appointments (id, booking_code, start, data) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET booking_code = excluded.booking_code,"
            " start = excluded.start, data = excluded.data",
            [_appointment_row(a) for a in change.appointments.values()],
        )
        db.executemany(
            "INSERT INTO counters (id, data) VALUES (?, ?)"
            " ON CONFLICT (id) DO UPDATE SET data = excluded.data",
            [_counter_row(c) for c in change.counters.values()],
        )
        db.executemany(
            "INSERT INTO numbering (service_id, day, last) VALUES (?, ?, ?)"
            " ON CONFLICT (service_id, day) DO UPDATE SET last = excluded.last",
            [(s, d.isoformat(), last) for (s, d), last in change.numbering.items()],
        )
        db.executemany(
            "INSERT INTO leases (id, device, service_id, day, data) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET data = excluded.data",
            [
                (x.id, x.device, x.service_id, x.day.isoformat(), _dumps(codec.lease_to_dict(x)))
                for x in change.leases.values()
            ],
        )
        db.executemany(
            "INSERT INTO events (at, type, payload) VALUES (?, ?, ?)",
            [(utc_text(e.at), e.type_name, event_to_json(e)) for e in change.events],
        )
        office_rows.write_office(db, change)
        if request is not None:
            at = utc_text(request.at)
            # A retried request id keeps its first reply.
            db.execute(
                "INSERT OR IGNORE INTO requests (actor, request_id, verb, at, reply)"
                " VALUES (?, ?, ?, ?, ?)",
                (request.actor, request.request_id, request.verb, at, request.reply_json),
            )


def _purge_appointments(db: sqlite3.Connection, cutoff: str) -> int:
    """Clear booking codes and initials of appointments starting before `cutoff`, and give
    them new random ids (an id from a file may be a hash of the code)."""
    rows = db.execute(
        "SELECT data FROM appointments WHERE start < ?"
        " AND (booking_code IS NOT NULL OR json_extract(data, '$.initials') IS NOT NULL)",
        (cutoff,),
    ).fetchall()
    for (data,) in rows:
        appointment = _load_appointment(data)
        purged = dataclasses.replace(
            appointment, id=new_appointment_id(), booking_code="", initials=None
        )
        db.execute(
            "UPDATE appointments SET id = ?, booking_code = NULL, data = ? WHERE id = ?",
            (purged.id, _dumps(codec.appointment_to_dict(purged)), appointment.id),
        )
        _rename_in_tickets(db, appointment.id, purged.id)
    return len(rows)


def _rename_in_tickets(db: sqlite3.Connection, old: str, new: str) -> None:
    """Replace appointment id `old` by `new` in the tickets that list it."""
    rows = db.execute(
        "SELECT data FROM tickets WHERE EXISTS (SELECT 1 FROM"
        " json_each(tickets.data, '$.appointment_ids') WHERE value = ?)",
        (old,),
    ).fetchall()
    for (data,) in rows:
        ticket = codec.ticket_from_dict(json.loads(data))
        ids = tuple(new if i == old else i for i in ticket.appointment_ids)
        renamed = dataclasses.replace(ticket, appointment_ids=ids)
        db.execute(
            "UPDATE tickets SET data = ? WHERE id = ?",
            (_dumps(codec.ticket_to_dict(renamed)), ticket.id),
        )


def _purge_notes(db: sqlite3.Connection, cutoff: str) -> int:
    """Empty the transfer notes of tickets issued before `cutoff`."""
    rows = db.execute(
        "SELECT data FROM tickets WHERE issued_at < ? AND EXISTS (SELECT 1 FROM"
        " json_each(tickets.data, '$.transfers') WHERE json_extract(value, '$.note') <> '')",
        (cutoff,),
    ).fetchall()
    for (data,) in rows:
        ticket = codec.ticket_from_dict(json.loads(data))
        transfers = tuple(dataclasses.replace(t, note="") for t in ticket.transfers)
        purged = dataclasses.replace(ticket, transfers=transfers)
        db.execute(
            "UPDATE tickets SET data = ? WHERE id = ?",
            (_dumps(codec.ticket_to_dict(purged)), purged.id),
        )
    return len(rows)


class SqliteStore:
    """A site's durable store in one SQLite file (WAL mode); see the Store port."""

    def __init__(self, path: str | os.PathLike[str], site_id: str, *, durable: bool = True) -> None:
        self.path = Path(path)
        self.site_id = site_id
        self._lock = threading.RLock()
        self._seen_version: int | None = None
        self._conn: sqlite3.Connection | None = _open(self.path, site_id, durable=durable)

    def _db(self) -> sqlite3.Connection:
        """The connection, while the store is open."""
        if self._conn is None:
            raise RuntimeError(f"store {self.path} is closed")
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[SqliteTransaction]:
        """A write transaction; `stale` tells whether anyone else wrote since the last one."""
        with self._lock:
            db = self._db()
            if db.in_transaction:
                raise RuntimeError("store transactions do not nest")
            tx: SqliteTransaction | None = None
            try:
                with _immediate(db):
                    version = _data_version(db)
                    tx = SqliteTransaction(db, stale=version != self._seen_version)
                    yield tx
            except BaseException:
                # The engine may hold state from the failed attempt: make it reload.
                self._seen_version = None
                raise
            finally:
                if tx is not None:
                    tx.end()
            self._seen_version = _data_version(db)

    def events(self, start: datetime | None = None, end: datetime | None = None) -> Iterator[Event]:
        """The event log in order, optionally with `at` in [start, end); read in pages."""
        where, params = time_window(start, end)
        where, params = ["seq > ?", *where], [0, *params]
        query = f"SELECT seq, type, payload FROM events WHERE {' AND '.join(where)}"
        query += f" ORDER BY seq LIMIT {_EVENT_PAGE}"
        while True:
            with self._lock:
                rows = self._db().execute(query, params).fetchall()
            for _seq, kind, payload in rows:
                yield event_from_json(kind, payload)
            if len(rows) < _EVENT_PAGE:
                return
            params[0] = rows[-1][0]

    def purge_personal_data(self, before: datetime) -> PurgeReport:
        """Clear booking codes, initials and notes, and drop replies, older than `before`."""
        cutoff = utc_text(before)
        with self._lock:
            db = self._db()
            with _immediate(db):
                report = PurgeReport(
                    appointments=_purge_appointments(db, cutoff),
                    tickets=_purge_notes(db, cutoff),
                    requests=db.execute("DELETE FROM requests WHERE at < ?", (cutoff,)).rowcount,
                    audit=office_rows.purge_office(db, cutoff),
                )
            # Old page images in the WAL still hold the data: fold them in and truncate.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            # The engine's snapshot may still hold what was purged: make it reload.
            self._seen_version = None
        return report

    def audit(self, since: datetime | None = None, limit: int = 100) -> list[AuditEntry]:
        """Audit entries from `since` on, newest first, at most `limit`."""
        with self._lock:
            return office_rows.read_audit(self._db(), since, limit)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> SqliteStore:
        """Use the store in a with-block; it is closed at the end."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the store."""
        self.close()


def _open(path: Path, site_id: str, *, durable: bool) -> sqlite3.Connection:
    """Connect, configure, migrate and claim the file for `site_id`."""
    try:
        conn = sqlite3.connect(
            path, timeout=_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store {path}: {exc}") from exc
    try:
        _configure(conn, path, durable=durable)
        with _immediate(conn):
            _migrate(conn, path)
            _claim(conn, path, site_id)
    except BaseException:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection, path: Path, *, durable: bool) -> None:
    """WAL journal, the sync level, secure deletion; the first read of the file."""
    try:
        mode = _switch_to_wal(conn)
    except sqlite3.DatabaseError as exc:
        if exc.sqlite_errorcode == sqlite3.SQLITE_NOTADB:
            raise NotADatabaseError(f"{path} is not a SQLite database") from exc
        raise StoreError(f"cannot open store {path}: {exc}") from exc
    if mode != "wal":
        raise StoreError(f"store {path} cannot use WAL mode (journal mode is {mode!r})")
    conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    # Purged personal data is overwritten with zeros, not left in free pages.
    conn.execute("PRAGMA secure_delete = ON")


def _switch_to_wal(conn: sqlite3.Connection) -> str:
    """Set WAL mode, waiting for another process that opens the same file at that moment.

    Changing the journal mode needs an exclusive lock that SQLite does not wait for with its
    busy handler, so two processes opening a new file together would see "database is locked".
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT_S
    pause = 0.001
    while True:
        try:
            (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return str(mode)
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to date, or refuse a file written by newer code."""
    found = migrations.user_version(conn)
    if found > migrations.LATEST:
        raise SchemaTooNewError(
            f"store {path} has schema version {found}, but this Loket knows only up to "
            f"version {migrations.LATEST}: upgrade Loket before opening it"
        )
    migrations.upgrade(conn)


def _claim(conn: sqlite3.Connection, path: Path, site_id: str) -> None:
    """Record `site_id` in a new file; refuse a file that belongs to another site."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'site_id'").fetchone()
    if row is None:
        conn.execute("INSERT INTO meta (key, value) VALUES ('site_id', ?)", (site_id,))
    elif row[0] != site_id:
        raise WrongSiteError(f"store {path} belongs to site {row[0]!r}, not to site {site_id!r}")
