"""Engine benchmarks on a real, durable SQLite store (WAL, synchronous=FULL).

    .venv/bin/python bench/bench_engine.py [--json results.json]

Prints one table: the raw SQLite commit rate in the same folder (the physical limit: every
command is one durable commit), IssueTicket and CallNext/Finish throughput and latency,
their ratio to the raw rate, a simulated town-hall day, peak memory and the store's size.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from queue_engine.adapters.sqlite_store import SqliteStore
from queue_engine.domain import commands as c
from queue_engine.domain.kpi import percentile
from queue_engine.domain.model import CounterStatus, Site
from queue_engine.service.engine import Engine, Reply
from queue_engine.simulation import simulate
from queue_engine.simulation.day import opening_day, sessions_of
from siteconfig import load_site

ROOT = Path(__file__).resolve().parents[1]
#: A Thursday: the town hall's longest day (morning and late opening).
DAY = date(2026, 12, 3)


@dataclass
class Row:
    """One figure of the table."""

    name: str
    value: float
    unit: str
    note: str = ""


@dataclass
class Timings:
    """Latencies of one kind of operation, in seconds."""

    samples: list[float] = field(default_factory=list)

    def time(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run `action(*args, **kwargs)` and record how long it took."""
        start = time.perf_counter()
        result = action(*args, **kwargs)
        self.samples.append(time.perf_counter() - start)
        return result

    @property
    def rate(self) -> float:
        """Operations per second of busy time."""
        return len(self.samples) / sum(self.samples)

    def ms(self, q: float, part: slice = slice(None)) -> float:
        """The q-th percentile in milliseconds, of all samples or of a `part` of them."""
        return (percentile(self.samples[part], q) or 0.0) * 1000


def raw_commit_rate(folder: Path, seconds: float) -> Timings:
    """A one-row INSERT + COMMIT loop on a WAL / synchronous=FULL database."""
    conn = sqlite3.connect(folder / "raw.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    timings = Timings()

    def commit() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v) VALUES (?)", ("x" * 100,))
        conn.execute("COMMIT")

    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        timings.time(commit)
    conn.close()
    return timings


class Desk:
    """Sends commands to an engine with fresh request ids, one simulated second apart."""

    def __init__(self, site: Site, store: SqliteStore, now: datetime) -> None:
        self.engine = Engine(site, store)
        self.site = site
        self.now = now
        self.ids = itertools.count()

    def run(self, command: type[c.Command], **fields: Any) -> Reply[Any]:
        """Execute `command`; the clock moves on by one second."""
        self.now += timedelta(seconds=1)
        cmd = command(request_id=f"b{next(self.ids)}", actor="bench", **fields)
        reply = self.engine.execute(cmd, self.now)
        if not reply.ok and cmd.verb != "issue_ticket":
            raise RuntimeError(f"{cmd.verb} refused: {reply.error}")
        return reply

    def open_all(self) -> None:
        """Open every counter."""
        for counter_id in self.site.counters:
            self.run(c.SetCounterStatus, counter_id=counter_id, status=CounterStatus.OPEN)


def uncapped_walk_ins(site: Site) -> Iterator[str]:
    """Walk-in services without a daily cap, round and round."""
    services = [s.id for s in site.services.values() if s.walk_in and s.daily_cap is None]
    return itertools.cycle(services)


def opening(site: Site) -> datetime:
    """The start of the benchmark day's first session."""
    return sessions_of(site, opening_day(site, DAY))[0].start


def bench_issue(site: Site, folder: Path, n: int) -> Timings:
    """IssueTicket, `n` times, into a queue that grows to `n`."""
    timings = Timings()
    with SqliteStore(folder / "issue.sqlite", site.id) as store:
        desk = Desk(site, store, opening(site))
        services = uncapped_walk_ins(site)
        for _ in range(n):
            reply = timings.time(desk.run, c.IssueTicket, service_id=next(services))
            if not reply.ok:
                raise RuntimeError(f"issue_ticket refused: {reply.error}")
    return timings


def bench_call(site: Site, folder: Path, waiting: int, n: int) -> tuple[Timings, Timings]:
    """CallNext and Finish, `n` of each, round the counters, with `waiting` kept in the queue."""
    calls, finishes = Timings(), Timings()
    with SqliteStore(folder / "call.sqlite", site.id) as store:
        desk = Desk(site, store, opening(site))
        services = uncapped_walk_ins(site)
        for _ in range(waiting):
            desk.run(c.IssueTicket, service_id=next(services))
        desk.open_all()
        counters = itertools.cycle(site.counters)
        for _ in range(n):
            counter_id = next(counters)
            reply = calls.time(desk.run, c.CallNext, counter_id=counter_id)
            if reply.data is None or reply.data.ticket is None:
                continue
            finishes.time(desk.run, c.Finish, counter_id=counter_id)
            desk.run(c.IssueTicket, service_id=next(services))  # keep the queue topped up
    return calls, finishes


def bench_day(site: Site, folder: Path, visitors: int) -> list[Row]:
    """A simulated day on a durable store: wall time, command rate, estimate error, file size."""
    path = folder / f"day-{visitors}.sqlite"
    with SqliteStore(path, site.id) as store:
        result = simulate(site, store, visitors=visitors, seed=1, day=DAY)
    if result.unexpected_total or result.lost:
        print(f"warning: simulation had unexpected errors {result.unexpected}", file=sys.stderr)
    size = sum(p.stat().st_size for p in folder.glob(f"{path.name}*"))
    served = result.outcomes.get("served", 0)
    note = f"{result.day}, {result.commands_total} commands, {served} served"
    est = result.estimate
    return [
        Row(f"day of {visitors}: wall time", result.wall_s, "s", note),
        Row(f"day of {visitors}: command rate", result.commands_total / result.wall_s, "cmd/s"),
        Row(f"day of {visitors}: estimate mean |error|", (est.mean_abs_s or 0) / 60, "min",
            f"median {(est.median_abs_s or 0) / 60:.1f} min, {est.tickets} walk-ins called"),
        Row(f"day of {visitors}: mean actual wait", (est.mean_actual_s or 0) / 60, "min",
            f"bias (estimate - actual) {(est.bias_s or 0) / 60:+.1f} min"),
        Row(f"day of {visitors}: store file", size / 1e6, "MB", "after close (WAL folded in)"),
    ]  # fmt: skip


def figures(args: argparse.Namespace, folder: Path) -> list[Row]:
    """Run every benchmark and collect the table."""
    site = load_site(args.config)
    raw = raw_commit_rate(folder, args.raw_seconds)
    issue = bench_issue(site, folder, args.issue)
    calls, finishes = bench_call(site, folder, args.waiting, args.calls)
    rows = [
        Row("raw SQLite commit rate", raw.rate, "commits/s", f"p50 {raw.ms(50):.2f} ms"),
        Row("IssueTicket throughput", issue.rate, "cmd/s", f"{len(issue.samples)} commands"),
        Row("IssueTicket p50", issue.ms(50), "ms"),
        Row("IssueTicket p99", issue.ms(99), "ms", f"queue grows to {args.issue}"),
        Row("IssueTicket p50, first 200", issue.ms(50, slice(None, 200)), "ms", "short queue"),
        Row("IssueTicket p50, last 200", issue.ms(50, slice(-200, None)), "ms", "long queue"),
        Row("CallNext throughput", calls.rate, "cmd/s", f"~{args.waiting} waiting"),
        Row("CallNext p50", calls.ms(50), "ms"),
        Row("CallNext p99", calls.ms(99), "ms"),
        Row("Finish throughput", finishes.rate, "cmd/s"),
        Row("Finish p50", finishes.ms(50), "ms"),
        Row("Finish p99", finishes.ms(99), "ms"),
    ]
    for name, timing in (("IssueTicket", issue), ("CallNext", calls), ("Finish", finishes)):
        rows.append(Row(f"{name} / raw commit rate", timing.rate / raw.rate, "ratio"))
    for visitors in (args.small_day, args.visitors):
        rows += bench_day(site, folder, visitors)
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows.append(Row("peak memory (maxrss)", maxrss_kb / 1024, "MB", "whole benchmark process"))
    return rows


def machine() -> dict[str, Any]:
    """Facts about where the figures were measured."""
    return {
        "date": date.today().isoformat(),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }


def table(rows: list[Row]) -> str:
    """The figures as an aligned text table."""
    width = max(len(r.name) for r in rows)
    lines = [f"{'figure':<{width}}  {'value':>10}  {'unit':<10}  note", "-" * (width + 40)]
    lines += [f"{r.name:<{width}}  {r.value:>10.2f}  {r.unit:<10}  {r.note}" for r in rows]
    return "\n".join(lines)


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config" / "townhall.yaml")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also save the results here")
    parser.add_argument("--issue", type=int, default=2000, help="IssueTicket commands (2000)")
    parser.add_argument("--waiting", type=int, default=300, help="queue kept for CallNext (300)")
    parser.add_argument("--calls", type=int, default=1000, help="CallNext commands (1000)")
    parser.add_argument("--visitors", type=int, default=3000, help="simulated day (3000)")
    parser.add_argument("--small-day", type=int, default=300, help="a day within capacity (300)")
    parser.add_argument("--raw-seconds", type=float, default=3.0, help="raw commit loop (3 s)")
    parser.add_argument("--dir", type=Path, help="folder for the databases (default: a temp one)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the table, save JSON if asked."""
    args = parse(argv)
    facts = machine()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="loket-bench-", dir=args.dir) as folder:
        rows = figures(args, Path(folder))
    facts["total_s"] = round(time.perf_counter() - started, 1)
    print(" ".join(f"{k}={v}" for k, v in facts.items()))
    print(table(rows))
    if args.json is not None:
        payload = {"machine": facts, "figures": [r.__dict__ for r in rows]}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
