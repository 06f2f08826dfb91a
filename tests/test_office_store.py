"""The office's records in both stores (a real SQLite file and the in-memory fake): kept,
loaded for the right day, removed, and purged with the retention period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from queue_engine.adapters.memory_store import MemoryStore
from queue_engine.adapters.sqlite_store import SqliteStore
from queue_engine.domain.alerts import Alert, AlertKind
from queue_engine.domain.office import (
    AuditEntry,
    CounterAssignment,
    FullOverride,
    InfoMessage,
    OfficeBook,
    ServicePause,
    TemporaryCounter,
    slot,
)
from queue_engine.ports import Change, Store

T0 = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
DAY = date(2026, 12, 3)


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store = (
        SqliteStore(tmp_path / "site.db", "s") if request.param == "sqlite" else MemoryStore()
    )
    yield made
    made.close()


def _write(store: Store, change: Change) -> None:
    with store.transaction() as tx:
        tx.write(change, None)


def _load(store: Store, day: date = DAY) -> tuple[OfficeBook, dict[str, Alert]]:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    with store.transaction() as tx:
        snapshot = tx.load(day, start, start + timedelta(days=1))
    return snapshot.office, snapshot.alerts


RECORDS = [
    ServicePause("eid", T0, {"nl": "Pauze", "fr": "Pause"}),
    FullOverride("paspoort", DAY, T0),
    TemporaryCounter("extra", DAY, "Extra", ("eid",), T0, zone="gelijkvloers", floor=0, room="B"),
    CounterAssignment("loket-3", DAY, ("afval",), T0),
    InfoMessage("i1", {"nl": "Welkom"}, T0, T0 + timedelta(hours=2), zones=("gelijkvloers",)),
]


def test_settings_alerts_and_audit_round_trip_and_apply_to_their_day(store: Store) -> None:
    alert = Alert("a1", AlertKind.PAPER_OUT, "kiosk-inkom", T0, device_id="kiosk-inkom")
    closed = Alert("a2", AlertKind.DEVICE_OFFLINE, "d", T0, closed_at=T0 - timedelta(days=1))
    entry = AuditEntry(T0, "an", "web", "pause_service", {"service": "eid"})
    _write(
        store,
        Change(
            office={slot(r): r for r in RECORDS},
            alerts={a.id: a for a in (alert, closed)},
            audit=[entry],
        ),
    )
    book, alerts = _load(store)
    assert book.pauses["eid"] == RECORDS[0]
    assert book.overrides["paspoort"] == RECORDS[1]
    assert book.temporary["extra"] == RECORDS[2]
    assert book.assignments["loket-3"] == RECORDS[3]
    assert book.info["i1"] == RECORDS[4]
    assert alerts == {"a1": alert}, "open alerts and those closed today, not older ones"
    tomorrow, _ = _load(store, DAY + timedelta(days=1))
    assert set(tomorrow.pauses) == {"eid"}, "a pause lasts until it is resumed"
    assert not tomorrow.overrides and not tomorrow.temporary and not tomorrow.assignments
    assert not tomorrow.info, "expired by then"
    (stored,) = store.audit()
    assert (stored.by, stored.action, dict(stored.detail), stored.seq) == (
        "an",
        "pause_service",
        {"service": "eid"},
        1,
    )
    _write(store, Change(office={("pauses", "eid"): None}))
    book, _ = _load(store)
    assert not book.pauses


def test_the_audit_log_reads_newest_first_from_a_time(store: Store) -> None:
    entries = [AuditEntry(T0 + timedelta(minutes=i), "an", "web", f"a{i}") for i in range(5)]
    _write(store, Change(audit=entries))
    assert [e.action for e in store.audit(limit=2)] == ["a4", "a3"]
    assert [e.action for e in store.audit(T0 + timedelta(minutes=3))] == ["a4", "a3"]


def test_retention_purges_the_audit_log_expired_messages_and_closed_alerts(store: Store) -> None:
    old = T0 - timedelta(days=40)
    _write(
        store,
        Change(
            office={
                ("info", "old"): InfoMessage("old", {"nl": "x"}, old, old + timedelta(hours=1)),
                ("info", "new"): InfoMessage("new", {"nl": "y"}, T0, T0 + timedelta(hours=1)),
            },
            alerts={
                "gone": Alert("gone", AlertKind.HELP_REQUESTED, "k@1", old, closed_at=old),
                "open": Alert("open", AlertKind.PAPER_OUT, "k", old),
            },
            audit=[AuditEntry(old, "an", "web", "login"), AuditEntry(T0, "jan", "web", "login")],
        ),
    )
    report = store.purge_personal_data(T0 - timedelta(days=30))
    assert report.audit == 3
    assert [e.by for e in store.audit()] == ["jan"]
    book, alerts = _load(store, old.date())
    assert set(book.info) == {"new"}
    assert "open" in alerts and "gone" not in alerts, "an open alert is never purged"
