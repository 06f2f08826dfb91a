"""Front office on the hub: how soon a help press and a paper-out reach office/alerts, and
the round trip of office commands, against a `loket hub` subprocess over a real Mosquitto.

    .venv/bin/python bench/bench_office.py [--presses 100] [--commands 200] [--json PATH]

The raw MQTT request/reply round trip between two plain paho clients is measured in the
same run, as the physical limit the figures are divided by. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_engine import Row, Timings, machine, table
from bench_hub import raw_round_trip
from hub_rig import ROOT, SITE_ID, hub_process

from link.client import LoketClient
from link.protocol.office import AlertsState
from link.protocol.topics import WEB_DEVICE
from loket.broker import Mosquitto, mosquitto_binary

TOWNHALL = ROOT / "config" / "townhall.yaml"


class AlertWatch:
    """office/alerts as the web process receives it: when each alert id was first seen."""

    def __init__(self, web: LoketClient) -> None:
        self.seen: dict[str, tuple[float, Any]] = {}
        self.changed = threading.Condition()
        web.on_alerts(self._got)

    def _got(self, state: AlertsState) -> None:
        with self.changed:
            for alert in state.alerts:
                self.seen.setdefault(alert.id, (time.perf_counter(), alert))
            self.changed.notify_all()

    def new(self, known: set[str], kind: str, timeout: float = 5.0) -> tuple[float, Any]:
        """The first alert of `kind` not in `known`: when it arrived, and the alert."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for alert_id, (at, alert) in self.seen.items():
                    if alert_id not in known and alert.kind == kind:
                        return at, alert
                left = deadline - time.monotonic()
                if left <= 0 or not self.changed.wait(left):
                    raise RuntimeError(f"no new {kind} alert within {timeout} s")


def presses(web: LoketClient, kiosk: LoketClient, watch: AlertWatch, n: int) -> Timings:
    """`n` help presses, each from the kiosk's status to the alert at the web process;
    each alert is taken before the next press."""
    timings = Timings()
    for i in range(n):
        known = set(watch.seen)
        start = time.perf_counter()
        pressed = datetime.now(UTC) + timedelta(microseconds=i)
        kiosk.publish_status(True, help_since=pressed.isoformat())
        at, alert = watch.new(known, "help_requested")
        timings.samples.append(at - start)
        taken = web.request("acknowledge_alert", by="bench", alert_id=alert.id)
        assert taken.result.closed
        kiosk.publish_status(True)
    return timings


def paper_outs(web: LoketClient, kiosk: LoketClient, watch: AlertWatch, n: int) -> Timings:
    """`n` paper-outs, each from the kiosk's status to the alert; then paper refilled."""
    timings = Timings()
    for _ in range(n):
        known = set(watch.seen)
        start = time.perf_counter()
        kiosk.publish_status(True, printer="paper_out")
        at, _alert = watch.new(known, "paper_out")
        timings.samples.append(at - start)
        kiosk.publish_status(True, printer="online")
        refilled = web.request("paper_refilled", by="bench", kiosk_id="kiosk-inkom")
        assert refilled.result.closed
    return timings


def office_commands(web: LoketClient, n: int) -> Timings:
    """`n` sequential office commands (post_info, durable, with its audit entry)."""
    timings = Timings()
    until = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    for i in range(n):
        timings.time(
            lambda i=i: (
                web.request(
                    "post_info", by="bench", texts={"nl": f"Bericht {i}"}, until=until
                ).result
            )
        )
    return timings


def audit_reads(web: LoketClient, n: int) -> Timings:
    """`n` audit_log reads of 100 entries (answered from the store)."""
    timings = Timings()
    for _ in range(n):
        timings.time(lambda: web.request("audit_log", by="bench", limit=100).result)
    return timings


def measure(args: argparse.Namespace, folder: Path, mosquitto: Mosquitto) -> list[Row]:
    raw = raw_round_trip(mosquitto.broker, args.raw)
    with hub_process(TOWNHALL, folder / "site.db", mosquitto.broker, None):
        web = LoketClient(SITE_ID, WEB_DEVICE, mosquitto.broker, role="web")
        watch = AlertWatch(web)
        kiosk = LoketClient(SITE_ID, "kiosk-inkom", mosquitto.broker, role="kiosk")
        for client in (web, kiosk):
            client.start()
            client.wait_online(5)
        try:
            help_press = presses(web, kiosk, watch, args.presses)
            paper = paper_outs(web, kiosk, watch, args.presses)
            commands = office_commands(web, args.commands)
            reads = audit_reads(web, args.reads)
        finally:
            kiosk.close()
            web.close()
    base = raw.ms(50)
    return [
        Row("raw MQTT round trip p50", base, "ms", f"{len(raw.samples)} sequential, QoS 1"),
        Row("help press -> office/alerts p50", help_press.ms(50), "ms", f"{args.presses} presses"),
        Row("help press -> office/alerts p99", help_press.ms(99), "ms", "target: within 1 s"),
        Row("help press p50 / raw round trip", help_press.ms(50) / base, "ratio"),
        Row("paper-out -> office/alerts p50", paper.ms(50), "ms", f"{args.presses} times"),
        Row("paper-out -> office/alerts p99", paper.ms(99), "ms", "target: within 1 s"),
        Row("post_info round trip p50", commands.ms(50), "ms", "durable, with its audit entry"),
        Row("post_info round trip p99", commands.ms(99), "ms", f"{args.commands} sequential"),
        Row("post_info p50 / raw round trip", commands.ms(50) / base, "ratio"),
        Row("audit_log (100 entries) p50", reads.ms(50), "ms", f"{args.reads} reads"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=100, help="help presses (100)")
    parser.add_argument("--commands", type=int, default=200, help="office commands (200)")
    parser.add_argument("--reads", type=int, default=50, help="audit_log reads (50)")
    parser.add_argument("--raw", type=int, default=1000, help="raw round trips (1000)")
    parser.add_argument("--json", type=Path, help="save the figures here")
    args = parser.parse_args(argv)
    if mosquitto_binary() is None:
        print("bench_office needs Mosquitto (apt-get install mosquitto)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        mosquitto = Mosquitto().start()
        try:
            rows = measure(args, Path(folder), mosquitto)
        finally:
            mosquitto.close()
    print(table(rows))
    if args.json:
        figures = {r.name: r.value for r in rows}
        args.json.write_text(json.dumps({"machine": machine(), "figures": figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
