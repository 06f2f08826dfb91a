"""`loket report`: a day's KPIs as HTML with plots and CSV, for the front-office manager."""

from __future__ import annotations

import argparse
import sys
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from queue_engine.adapters.sqlite_store import SqliteStore, StoreError
from siteconfig import ConfigError, load_site


def register(subparsers: Any) -> None:
    """Add `loket report`."""
    parser = subparsers.add_parser(
        "report",
        help="a day's KPIs as HTML with plots and CSV",
        description="Write index.html (tables and plots: wait-time distribution, tickets per "
        "hour, service level and outcomes per service and counter) and CSV files for one "
        "local day, from the site's anonymous event log. With --multi: one page for several "
        "sites (one --config each) from a central store that `loket collect` fills.",
    )
    parser.add_argument(
        "--config", required=True, action="append", metavar="FILE",
        help="site YAML (with --multi: once per site)",
    )  # fmt: skip
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--db", metavar="FILE", help="the site's SQLite store")
    group.add_argument("--multi", metavar="FILE", help="a central store (loket collect --db)")
    parser.add_argument("--day", type=date.fromisoformat, metavar="YYYY-MM-DD", required=True)
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the report; exit 2 when the site file or the store cannot be used."""
    from queue_engine.reporting import write_report  # matplotlib: only when reporting

    if args.multi:
        return _run_multi(args)
    if len(args.config) > 1:
        print("loket report: one --config per report; several need --multi", file=sys.stderr)
        return 2
    if not Path(args.db).exists():
        print(f"loket report: {args.db}: no such store", file=sys.stderr)
        return 2
    try:
        site = load_site(args.config[0])
        store = SqliteStore(args.db, site.id)
    except (ConfigError, StoreError) as error:
        print(f"loket report: {error}", file=sys.stderr)
        return 2
    try:
        # The day's tickets, and what happened to them until the next day's rollover.
        start = site.at_local(args.day, time(0))
        events = store.events(start, start + timedelta(days=2))
        page = write_report(events, site, args.day, args.out)
    finally:
        store.close()
    print(page)
    return 0


def _run_multi(args: argparse.Namespace) -> int:
    """Write the report of several sites from a central store."""
    from central.store import CentralStore
    from queue_engine.reporting.multi import write_multi_report

    if not Path(args.multi).exists():
        print(f"loket report: {args.multi}: no such central store", file=sys.stderr)
        return 2
    try:
        sites = [load_site(path) for path in args.config]
    except ConfigError as error:
        print(f"loket report: {error}", file=sys.stderr)
        return 2
    store = CentralStore(args.multi)
    try:
        logs = []
        for site in sites:
            start = site.at_local(args.day, time(0))
            logs.append((site, list(store.events(site.id, start, start + timedelta(days=2)))))
        page = write_multi_report(logs, args.day, args.out)
    finally:
        store.close()
    print(page)
    return 0
