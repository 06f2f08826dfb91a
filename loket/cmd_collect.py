"""`loket collect`: keep the named sites' anonymous events from a central broker in SQLite."""

from __future__ import annotations

import argparse
import logging
import signal
import sqlite3
import sys
import threading
from typing import Any

from link.mqtt import Broker

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    """Add `loket collect`."""
    parser = subparsers.add_parser(
        "collect",
        help="gather the sites' anonymous events from a central broker",
        description="Subscribe to the events/log of each --site on the central broker (which "
        "each site's broker bridges to) and keep the events per site in a SQLite file, each "
        "once; events of other sites are dropped. `loket report --multi` reads that file. "
        "Runs until stopped.",
    )
    parser.add_argument(
        "--site",
        action="append",
        required=True,
        dest="sites",
        metavar="ID",
        help="a site to collect (repeat for each site)",
    )
    parser.add_argument("--broker", required=True, metavar="URL", help="the central broker")
    parser.add_argument("--db", required=True, metavar="FILE", help="the central store")
    parser.add_argument(
        "--client-id", default="loket-central-collector", metavar="ID",
        help="the MQTT client id; the broker keeps this session while the collector is away",
    )  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Collect until SIGINT or SIGTERM; exit 2 when the broker URL or the file is unusable."""
    from central.collector import Collector
    from central.store import CentralStore

    try:
        broker = Broker.parse(args.broker)
        store = CentralStore(args.db)
    except (ValueError, sqlite3.Error) as error:
        print(f"loket collect: {error}", file=sys.stderr)
        return 2
    collector = Collector(broker, store, sites=args.sites, client_id=args.client_id)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    collector.start()
    log.info("collecting from %s into %s", broker.url, args.db)
    try:
        while not stop.wait(60):
            log.info("stored %d events (%d duplicates)", collector.stored, collector.duplicates)
    finally:
        collector.close()
        store.close()
    log.info("stopped: stored %d events (%d duplicates)", collector.stored, collector.duplicates)
    return 0
