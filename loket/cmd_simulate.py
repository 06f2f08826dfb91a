"""`loket simulate`: a whole simulated day through the real engine and a SQLite store."""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from queue_engine.adapters.sqlite_store import SqliteStore, StoreError
from queue_engine.simulation import SimulationError, simulate
from siteconfig import ConfigError, load_site


def register(subparsers: Any) -> None:
    """Add `loket simulate`."""
    parser = subparsers.add_parser(
        "simulate",
        help="play a simulated day through the queue engine; print KPIs and estimate errors",
        description="Play a whole day of visitors, appointments and counters through the "
        "queue engine and a durable SQLite store, then print the day's KPIs and how far the "
        "wait estimates were off. The same seed gives the same day.",
    )
    parser.add_argument("--config", required=True, type=Path, metavar="FILE", help="site YAML")
    parser.add_argument("--visitors", type=int, default=3000, help="people coming (3000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument(
        "--day",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="simulate the first opening day on or after this date (default: today)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="FILE",
        help="keep the SQLite store in FILE (default: a temporary file, removed afterwards)",
    )
    parser.set_defaults(run=run)


@contextmanager
def _quiet_refusals(quiet: bool) -> Iterator[None]:
    """Hide the engine's INFO line per refused command; a simulated day refuses hundreds."""
    engine_log = logging.getLogger("queue_engine.service.engine")
    level = engine_log.level
    if quiet:
        engine_log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        engine_log.setLevel(level)


@contextmanager
def _store_path(keep: Path | None) -> Iterator[Path]:
    """The store file: the one asked for, or one in a temporary folder removed afterwards."""
    if keep is not None:
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="loket-simulate-") as folder:
        yield Path(folder) / "simulation.sqlite"


def run(args: argparse.Namespace) -> int:
    """Simulate the day and print the report; 2 for a bad site file, store or day."""
    if args.visitors < 0:
        print("loket simulate: --visitors must be 0 or more", file=sys.stderr)
        return 2
    try:
        site = load_site(args.config)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    day = args.day or site.local_day(datetime.now(UTC))
    try:
        with (
            _quiet_refusals(not getattr(args, "verbose", False)),
            _store_path(args.db) as path,
            SqliteStore(path, site.id) as store,
        ):
            result = simulate(site, store, visitors=args.visitors, seed=args.seed, day=day)
    except (StoreError, SimulationError) as exc:
        print(f"loket simulate: {exc}", file=sys.stderr)
        return 2
    print(result.format_text())
    if args.db is not None:
        print(f"\nStore kept in {args.db}")
    return 0
