"""`loket appointments import`: booked appointments from a booking system's CSV or iCalendar."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from queue_engine.adapters.sqlite_store import SqliteStore, StoreError
from queue_engine.importing import (
    ImportFileError,
    ImportReport,
    ImportResult,
    parse_file,
    send_appointments,
)
from queue_engine.service.engine import Engine
from siteconfig import ConfigError, load_site

#: Exit statuses: every row imported; some rows rejected (the others imported); nothing done.
ALL_GOOD, SOME_REJECTED, UNUSABLE = 0, 1, 2


def register(subparsers: Any) -> None:
    """Add `loket appointments import`."""
    parser = subparsers.add_parser("appointments", help="import booked appointments")
    actions = parser.add_subparsers(dest="appointments_command", required=True, metavar="ACTION")
    command = actions.add_parser(
        "import",
        help="import a .csv or .ics export; exit 1 if rows were rejected, 2 if nothing was read",
        description="Import booked appointments. Good rows are imported even when others are "
        "rejected; importing the same file again changes nothing.",
    )
    command.add_argument("file", type=Path, metavar="FILE", help="the export (.csv or .ics)")
    command.add_argument("--site", required=True, type=Path, metavar="SITE_YAML")
    command.add_argument("--db", required=True, type=Path, metavar="DB_FILE", help="site store")
    command.add_argument("--batch", type=_positive, default=200, help=argparse.SUPPRESS)
    command.set_defaults(run=run_import)


def _positive(text: str) -> int:
    """A whole number of at least 1, for argparse."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return int(text)


def run_import(args: argparse.Namespace) -> int:
    """Read the site and the file, send the good rows to the store, print what happened."""
    try:
        site = load_site(args.site)
        result = parse_file(args.file, site)
        store = SqliteStore(args.db, site.id)
    except (ConfigError, ImportFileError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return UNUSABLE
    with store:
        report = _send(Engine(site, store), result, args.file, args.batch)
    print(f"{args.file}: {summary(report)}")
    for rejection in report.rejections:
        print(f"  {rejection}")
    return SOME_REJECTED if report.rejected else ALL_GOOD


def _send(engine: Engine, result: ImportResult, name: Path, batch: int) -> ImportReport:
    """Send with a progress bar on stderr when someone watches it."""
    with tqdm(
        total=len(result.appointments),
        desc=name.name,
        unit=" appointments",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
    ) as bar:
        return send_appointments(
            engine, result, datetime.now(UTC), batch=batch, progress=bar.update
        )


def summary(report: ImportReport) -> str:
    """'imported N, updated M, rejected K', and how many were already imported unchanged."""
    text = f"imported {report.imported}, updated {report.updated}, rejected {report.rejected}"
    if report.unchanged:
        text += f", unchanged {report.unchanged} (already imported with the same content)"
    return text
