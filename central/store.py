"""The central store: every site's anonymous events in one SQLite file, each (site, seq) once."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime

from queue_engine.adapters.sqlite_store import time_window, utc_text
from queue_engine.domain.events import Event, event_from_json

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    site TEXT NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    payload TEXT NOT NULL,
    received TEXT NOT NULL,
    PRIMARY KEY (site, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_site_at ON events (site, at);
"""


class CentralStore:
    """Events per site; safe to call from several threads (one connection, one lock)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()

    def add(self, site: str, seq: int, event: Event, payload: str, received: datetime) -> bool:
        """Keep one event; False if (site, seq) is already here (a redelivery)."""
        row = (site, seq, event.type_name, utc_text(event.at), payload, utc_text(received))
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO events (site, seq, type, at, payload, received) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                row,
            )
            return cursor.rowcount == 1

    def sites(self) -> list[str]:
        """The sites with events, sorted."""
        with self._lock:
            rows = self._db.execute("SELECT DISTINCT site FROM events ORDER BY site").fetchall()
        return [site for (site,) in rows]

    def counts(self) -> dict[tuple[str, str], int]:
        """How many events per (site, type)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT site, type, count(*) FROM events GROUP BY site, type"
            ).fetchall()
        return {(site, kind): n for site, kind, n in rows}

    def events(
        self, site: str, start: datetime | None = None, end: datetime | None = None
    ) -> Iterator[Event]:
        """A site's events in its own order (seq), optionally with `at` in [start, end)."""
        where, params = time_window(start, end)
        where, params = ["site = ?", *where], [site, *params]
        query = f"SELECT type, payload FROM events WHERE {' AND '.join(where)} ORDER BY seq"
        with self._lock:
            rows = self._db.execute(query, params).fetchall()
        for kind, payload in rows:
            yield event_from_json(kind, payload)
