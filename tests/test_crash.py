"""Kill the engine with SIGKILL mid-work; nothing acknowledged may be lost or doubled.

Two worker processes, three threads each, apply commands to the same SQLite file and
acknowledge each one only after `execute` returned. Both are killed at random moments,
more workers resend requests (some acknowledged, some never answered), and at the end
the database must hold every acknowledged command exactly once, with unique numbers.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from queue_engine.adapters.sqlite_store import SqliteStore
from queue_engine.domain.events import TicketIssued
from queue_engine.domain.model import TicketStatus

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("quick", "passport", "eid", "births", "childcare")


def start_worker(db: Path, name: str, retry: Path | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "tests.crash_worker", str(db), name]
    if retry is not None:
        args.append(str(retry))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)


def kill_midway(procs: list[subprocess.Popen[str]], after_acks: int) -> list[str]:
    """SIGKILL the workers once they acknowledged `after_acks` commands; return their output."""
    lines: list[str] = []
    readers = [threading.Thread(target=_collect, args=(p, lines)) for p in procs]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + 60
    while sum(1 for line in lines if line.startswith("ACK")) < after_acks:
        assert time.monotonic() < deadline, "workers made no progress"
        assert not all(p.poll() is not None for p in procs), f"workers ended early: {lines[-3:]}"
        time.sleep(0.005)
    for proc in procs:
        proc.send_signal(signal.SIGKILL)
    for reader in readers:
        reader.join(timeout=30)
    for proc in procs:
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, "a worker finished before it was killed"
    return lines


def _collect(proc: subprocess.Popen[str], lines: list[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
    proc.stdout.close()


def acks(lines: list[str]) -> dict[tuple[str, str], tuple[bool, str, str]]:
    """Acknowledged commands: (actor, request id) -> (ok, ticket id, number)."""
    found = {}
    for line in lines:
        if line.startswith("ACK "):
            _, actor, rid, ok, tid, number = line.split()
            found[(actor, rid)] = (ok == "1", tid, number)
    return found


@pytest.mark.slow
def test_sigkill_loses_nothing_acknowledged_and_doubles_nothing(tmp_path: Path) -> None:
    rng = random.Random(7)
    db = tmp_path / "site.db"
    SqliteStore(db, "testhall").close()
    acknowledged: dict[tuple[str, str], tuple[bool, str, str]] = {}
    for round_ in range(3):
        names = [f"r{round_}p{i}" for i in range(2)]
        retry = None
        if acknowledged:
            retry = tmp_path / f"retry{round_}.txt"
            issued = [k for k, v in acknowledged.items() if v[0] and k[1].split("-")[-1].isdigit()]
            again = rng.sample(issued, min(20, len(issued)))
            # Also requests that were never answered: the worker may have died before.
            unseen = [(f"r{round_ - 1}p0-t0", f"r{round_ - 1}p0-t0-{i}") for i in range(400, 405)]
            retry.write_text(
                "".join(f"{a} {r} {SERVICES[0]}\n" for a, r in again + unseen), encoding="utf-8"
            )
        procs = [start_worker(db, name, retry) for name in names]
        lines = kill_midway(procs, rng.randint(60, 400))
        got = acks(lines)
        for key, value in got.items():
            if key in acknowledged:
                assert acknowledged[key] == value, f"retried {key} answered differently"
        acknowledged.update(got)
    assert len(acknowledged) > 100, "the workers did too little to test anything"
    check_database(db, acknowledged)


def check_database(db: Path, acknowledged: dict[tuple[str, str], tuple[bool, str, str]]) -> None:
    conn = sqlite3.connect(db)
    try:
        requests = {
            (a, r): json.loads(reply)
            for a, r, reply in conn.execute("SELECT actor, request_id, reply FROM requests")
        }
        tickets = conn.execute("SELECT id, day, number, status FROM tickets").fetchall()
    finally:
        conn.close()
    for key, (ok, tid, number) in acknowledged.items():
        assert key in requests, f"acknowledged {key} is not in the database"
        reply = requests[key]
        assert reply["ok"] == ok
        if tid != "-":
            assert str(reply["data"]["ticket"]["id"]) == tid
            assert reply["data"]["ticket"]["number"] == number
    by_id = {tid: (day, number) for tid, day, number, _ in tickets}
    issued_acks = [v for v in acknowledged.values() if v[0] and v[1] != "-"]
    for _, tid, number in issued_acks:
        assert by_id[int(tid)][1] == number
    active = [
        (day, number)
        for _, day, number, status in tickets
        if status not in (TicketStatus.DONE.value, TicketStatus.CANCELLED.value)
    ]
    assert len(active) == len(set(active)), "two active tickets share a number"
    all_numbers = [(day, number) for _, day, number, _ in tickets]
    assert len(all_numbers) == len(set(all_numbers)), "a number was issued twice in a day"
    store = SqliteStore(db, "testhall")
    try:
        issued_events = [e.ticket_id for e in store.events() if isinstance(e, TicketIssued)]
    finally:
        store.close()
    assert sorted(issued_events) == sorted(by_id), "tickets and TicketIssued events disagree"
