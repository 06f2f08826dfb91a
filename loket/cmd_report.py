"""`loket report`: a day's KPIs as HTML with plots and CSV, for the front-office manager."""

from __future__ import annotations

import argparse
import sys
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from queue_engine.adapters.sqlite_store import SqliteStore, StoreError
from queue_engine.siteconfig import ConfigError, load_site


def register(subparsers: Any) -> None:
    """Add `loket report`."""
    parser = subparsers.add_parser(
        "report",
        help="a day's KPIs as HTML with plots and CSV",
        description="Write index.html (tables and plots: wait-time distribution, tickets per "
        "hour, service level and outcomes per service and counter) and CSV files for one "
        "local day, from the site's anonymous event log.",
    )
    parser.add_argument("--config", required=True, metavar="FILE", help="site YAML")
    parser.add_argument("--db", required=True, metavar="FILE", help="the site's SQLite store")
    parser.add_argument("--day", type=date.fromisoformat, metavar="YYYY-MM-DD", required=True)
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the report; exit 2 when the site file or the store cannot be used."""
    from queue_engine.reporting import write_report  # matplotlib: only when reporting
    if not Path(args.db).exists():
        print(f"loket report: {args.db}: no such store", file=sys.stderr)
        return 2
    try:
        site = load_site(args.config)
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
