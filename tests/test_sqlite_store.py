"""What only the SQLite store does: WAL, durability, other writers, schema versions, refusals."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import time
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from queue_engine.adapters import codec, migrations
from queue_engine.adapters.sqlite_store import (
    NotADatabaseError,
    SchemaTooNewError,
    SqliteStore,
    StoreError,
    WrongSiteError,
)
from queue_engine.domain.events import TicketIssued
from queue_engine.domain.model import (
    Appointment,
    Channel,
    PriorityClass,
    Ticket,
    TicketKind,
    TicketStatus,
)
from queue_engine.ports import Change, RequestRecord

DAY = date(2026, 3, 30)
DAY_START = datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
DAY_END = DAY_START + timedelta(days=1)
T0 = datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
SITE = "town-hall"


def make_ticket(ticket_id: int, number: str = "") -> Ticket:
    return Ticket(
        id=ticket_id,
        number=number or f"A{ticket_id:03d}",
        day=DAY,
        service_id="passport",
        kind=TicketKind.WALK_IN,
        priority=PriorityClass.NORMAL,
        language="nl",
        channel=Channel.KIOSK,
        status=TicketStatus.WAITING,
        issued_at=T0,
        queued_since=T0,
    )


def issue_next(store: SqliteStore, actor: str, request_id: str) -> int:
    """What the engine does for one ticket: load, number, write, in one transaction."""
    with store.transaction() as tx:
        snapshot = tx.load(DAY, DAY_START, DAY_END)
        ticket_id = snapshot.next_ticket_id
        last = snapshot.numbering.get(("passport", DAY), 0) + 1
        ticket = make_ticket(ticket_id, f"A{last:03d}")
        event = TicketIssued(
            T0,
            ticket_id,
            ticket.number,
            "passport",
            ticket.kind,
            ticket.priority,
            ticket.channel,
            "nl",
            T0,
        )
        change = Change({ticket_id: ticket}, numbering={("passport", DAY): last}, events=[event])
        tx.write(change, RequestRecord(actor, request_id, "issue_ticket", T0, str(ticket_id)))
    return ticket_id


def issue_many(path: str, actor: str, count: int, start: Any) -> None:
    """A worker process: open the shared file, wait for the other worker, issue tickets."""
    with SqliteStore(path, SITE) as store:
        start.wait(timeout=60)
        for n in range(count):
            issue_next(store, actor, f"r{n}")
            time.sleep(0.002)  # commands arrive apart; a tight loop would starve the other


def open_new_files(folder: str, rounds: int, start: Any) -> None:
    """A worker process: in each round, open that round's new file as the others do."""
    for n in range(rounds):
        start.wait(timeout=60)
        with SqliteStore(Path(folder) / f"s{n}.db", SITE):
            pass


def raw(path: Path) -> closing[sqlite3.Connection]:
    """A plain connection to look at the file from outside the store."""
    return closing(sqlite3.connect(path, isolation_level=None))


def schema(path: Path) -> list[tuple[str, str]]:
    with raw(path) as conn:
        rows = conn.execute("SELECT type, name FROM sqlite_master ORDER BY name").fetchall()
    return [(str(kind), str(name)) for kind, name in rows]


def test_the_file_is_in_wal_mode_with_the_asked_durability(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SqliteStore(path, SITE) as durable:
        db = durable._db()  # the per-connection settings can only be seen from inside
        assert db.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        assert db.execute("PRAGMA busy_timeout").fetchone() == (10000,)
    with SqliteStore(path, SITE, durable=False) as fast:
        assert fast._db().execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA user_version").fetchone() == (migrations.LATEST,)
        assert conn.execute("SELECT value FROM meta WHERE key = 'site_id'").fetchone() == (SITE,)


def test_data_survives_close_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SqliteStore(path, SITE) as store:
        issue_next(store, "kiosk-1", "r1")
    with SqliteStore(path, SITE) as store, store.transaction() as tx:
        assert tx.stale
        assert tx.load(DAY, DAY_START, DAY_END).tickets == {1: make_ticket(1)}
        assert tx.reply_for("kiosk-1", "r1") == "1"
    with SqliteStore(path, SITE) as store:
        assert [e.type_name for e in store.events()] == ["TicketIssued"]


def test_another_writer_makes_the_next_transaction_stale(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SqliteStore(path, SITE) as hub, SqliteStore(path, SITE) as other:
        seen = []
        for _ in range(2):
            with hub.transaction() as tx:
                seen.append(tx.stale)
        issue_next(other, "desk-1", "r1")
        for _ in range(2):
            with hub.transaction() as tx:
                seen.append(tx.stale)
                if tx.stale:
                    assert tx.load(DAY, DAY_START, DAY_END).next_ticket_id == 2
        issue_next(hub, "kiosk-1", "r1")  # its own writes do not make it stale
        with hub.transaction() as tx:
            seen.append(tx.stale)
        assert seen == [True, False, True, False, False]


def test_processes_opening_a_new_file_together_all_get_in(tmp_path: Path) -> None:
    # Both switch the new file to WAL at once: SQLite answers one of them "database is
    # locked" without waiting, which failed a process start (seen in the two-writer test).
    context = multiprocessing.get_context("spawn")
    rounds, start = 40, context.Barrier(4)
    workers = [
        context.Process(target=open_new_files, args=(str(tmp_path), rounds, start))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path, count = tmp_path / "s.db", 100
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    workers = [
        context.Process(target=issue_many, args=(str(path), actor, count, start))
        for actor in ("kiosk-1", "kiosk-2")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    with SqliteStore(path, SITE) as store:
        with store.transaction() as tx:
            snapshot = tx.load(DAY, DAY_START, DAY_END)
            owner = {
                int(tx.reply_for(actor, f"r{n}") or 0): actor
                for actor in ("kiosk-1", "kiosk-2")
                for n in range(count)
            }
        assert sorted(owner) == sorted(snapshot.tickets) == list(range(1, 2 * count + 1))
        assert len({t.number for t in snapshot.tickets.values()}) == 2 * count
        assert snapshot.numbering == {("passport", DAY): 2 * count}
        assert len(list(store.events())) == 2 * count
    turns = sum(owner[i] != owner[i + 1] for i in range(1, 2 * count))
    assert turns > 1, "the workers did not overlap, so this test proved nothing"


def test_a_version_1_file_is_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    ticket = make_ticket(1)
    appointment = Appointment("a1", "AB12", ("passport",), T0)
    with raw(path) as conn:
        conn.execute("BEGIN")
        assert migrations.upgrade(conn, target=1) == 1
        conn.execute("INSERT INTO meta VALUES ('site_id', ?)", (SITE,))
        conn.execute(
            "INSERT INTO tickets VALUES (1, ?, 'A001', 'passport', 'waiting', ?, ?)",
            (
                DAY.isoformat(),
                "2026-03-30T07:00:00.000000+00:00",
                json.dumps(codec.ticket_to_dict(ticket)),
            ),
        )
        conn.execute(
            "INSERT INTO appointments VALUES ('a1', 'AB12', ?, ?)",
            (
                "2026-03-30T07:00:00.000000+00:00",
                json.dumps(codec.appointment_to_dict(appointment)),
            ),
        )
        conn.execute("COMMIT")
    assert ("index", "appointments_by_code") not in schema(path)

    with SqliteStore(path, SITE) as store, store.transaction() as tx:
        assert tx.load(DAY, DAY_START, DAY_END).tickets == {1: ticket}
        assert tx.find_appointments("AB12") == [appointment]

    fresh = tmp_path / "fresh.db"
    SqliteStore(fresh, SITE).close()
    assert schema(path) == schema(fresh)
    assert ("index", "appointments_by_code") in schema(path)
    with raw(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (migrations.LATEST,)


def test_a_file_from_newer_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    SqliteStore(path, SITE).close()
    newer = migrations.LATEST + 1
    with raw(path) as conn:
        conn.execute(f"PRAGMA user_version = {newer}")
    with pytest.raises(SchemaTooNewError) as refused:
        SqliteStore(path, SITE)
    message = str(refused.value)
    assert str(path) in message
    assert f"schema version {newer}" in message
    assert f"up to version {migrations.LATEST}" in message
    with raw(path) as conn:  # and left as it was
        assert conn.execute("PRAGMA user_version").fetchone() == (newer,)


def test_another_sites_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    SqliteStore(path, "care-home").close()
    with pytest.raises(WrongSiteError) as refused:
        SqliteStore(path, SITE)
    assert str(refused.value) == f"store {path} belongs to site 'care-home', not to site '{SITE}'"


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list: milk, bread, stamps\n" * 100)
    with pytest.raises(NotADatabaseError) as refused:
        SqliteStore(path, SITE)
    assert str(refused.value) == f"{path} is not a SQLite database"
    assert path.read_text().startswith("shopping list")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_path_that_cannot_be_opened_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "missing-dir" / "s.db"
    with pytest.raises(StoreError, match=f"cannot open store {path}"):
        SqliteStore(path, SITE)


def test_purged_personal_data_is_gone_from_the_files(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    old = T0 - timedelta(days=40)
    secret = Appointment("a1", "SECRETCODE1", ("passport",), old, initials="X.Y.Z.")
    with SqliteStore(path, SITE) as store:
        with store.transaction() as tx:
            tx.write(Change(appointments={"a1": secret}), None)
        store.purge_personal_data(T0)
        files = [p for p in tmp_path.iterdir() if p.is_file()]
        content = b"".join(p.read_bytes() for p in files)
        assert b"SECRETCODE1" not in content
        assert b"X.Y.Z." not in content
