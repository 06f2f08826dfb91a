"""`loket hub`: serve a site's queue over MQTT."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from typing import Any

from link.mqtt import Broker
from loket import cmd_provision, cmd_web, logs
from loket.broker import start_embedded
from queue_engine.adapters.sqlite_store import StoreError
from queue_engine.hub.bootstrap import build_hub
from siteconfig import ConfigError

log = logging.getLogger("loket.hub")


def register(subparsers: Any) -> None:
    """Add `loket hub`."""
    parser = subparsers.add_parser(
        "hub",
        help="serve a site's queue over MQTT",
        description="Run the site's queue: execute the devices' commands, publish the state. "
        "Without --broker, start a broker on 127.0.0.1 (Mosquitto if installed).",
    )
    parser.add_argument("--config", required=True, metavar="FILE", help="site YAML")
    parser.add_argument("--db", required=True, metavar="FILE", help="the site's SQLite store")
    parser.add_argument("--broker", metavar="URL", help="mqtt://host:port[?protocol=3.1.1]")
    parser.add_argument("--port", type=int, default=1883, help="embedded broker port (1883)")
    parser.add_argument("--metrics-port", type=int, metavar="N", help="serve /metrics on N")
    parser.add_argument("--tick", type=float, default=15.0, help="housekeeping every S seconds")
    parser.add_argument("--log-format", choices=("text", "json"), default="text")
    cmd_web.add_web_options(parser, prefix="web-")
    cmd_provision.add_hub_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Start the hub and serve until SIGINT or SIGTERM."""
    logs.setup(args.verbose, args.log_format == "json")
    embedded = None
    try:
        if args.broker:
            broker = Broker.parse(args.broker)
        else:
            embedded = start_embedded(args.port)
            broker = embedded.broker
        provisioning = cmd_provision.open_for_hub(args, broker)
        broker = provisioning.broker if provisioning else broker
        process = build_hub(
            args.config,
            args.db,
            broker,
            tick_seconds=args.tick,
            metrics_port=args.metrics_port,
            devices=provisioning.devices() if provisioning else None,
        )
    except (ConfigError, StoreError, ValueError, RuntimeError, OSError) as error:
        print(f"loket hub: {error}", file=sys.stderr)
        if embedded is not None:
            embedded.stop()
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    process.hub.start()
    if provisioning is not None:
        provisioning.start(process.hub)
    log.info("serving site on %s", broker.url)
    credentials = provisioning.web_credentials if provisioning else None
    web = cmd_web.spawn(args, broker, credentials) if args.web_port is not None else None
    stop.wait()
    if provisioning is not None:
        provisioning.close()
    cmd_web.stop_child(web)
    process.close()
    if embedded is not None:
        embedded.stop()
    return 0
