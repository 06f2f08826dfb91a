"""`loket demo`: the whole system on one machine, on an embedded broker.

A broker on 127.0.0.1 (Mosquitto if installed, else the pure-Python one), the hub on the
example town hall (open around the clock for the demo), and, where there is a screen, a
kiosk, a staff terminal and a display board in their own windows, printing to a dummy
printer. `--simulate` adds visitors and counters as headless processes so the screens
move by themselves. A summary is printed every few seconds; Ctrl-C or `--duration` ends
everything, leaving no process behind.
"""

from __future__ import annotations

import argparse
import os
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from link.client import LoketClient
from link.protocol import messages as m
from loket.broker import start_embedded
from loket.demo.apps import DemoApp, VirtualScreen, start_apps, wait_for
from loket.demo.rig import ROOT, TRANSFERS, Fleet, open_all_day, plan_morning

TOWNHALL = ROOT / "config" / "townhall.yaml"
SITE = "stad-voorbeeld"
SIMULATED_COUNTERS = (1, 2, 4, 5, 6, 7)  # loket-3 is yours, in the staff window
STAFF = {"service_s": [2.0, 8.0], "no_show": 0.05, "cancel": 0.02, "hold": 0.02,
         "hold_s": 5.0, "transfer": 0.05, "transfers": TRANSFERS, "idle_s": 1.0}  # fmt: skip


def register(subparsers: Any) -> None:
    """Add `loket demo`."""
    parser = subparsers.add_parser("demo", help="run the whole system on this machine")
    parser.add_argument("--simulate", action="store_true", help="add simulated visitors/staff")
    parser.add_argument("--visitors", type=int, default=120, help="simulated visitors (120)")
    parser.add_argument("--duration", type=float, default=None, metavar="S",
                        help="stop after S seconds (default: until Ctrl-C)")  # fmt: skip
    parser.add_argument(
        "--headless",
        action="store_true",
        help="run the apps on a virtual screen even where there is a real one",
    )
    parser.add_argument("--screenshots", type=Path, metavar="DIR",
                        help="where the apps' screenshots go when headless (default: in the "
                        "demo's log folder)")  # fmt: skip
    parser.set_defaults(run=run)


#: Seconds an app may take to draw its first frame (a cold start on a busy machine).
READY_TIMEOUT = 240.0


class Summary:
    """What the waiting room would see, printed to the terminal."""

    def __init__(self) -> None:
        self.services: m.ServicesState | None = None
        self.calls = 0
        self.last = ""

    def line(self) -> str:
        """One line: waiting per service and the calls so far."""
        if self.services is None:
            return "waiting for the hub…"
        waiting = ", ".join(
            f"{s.prefix} {s.waiting}" for s in self.services.services if s.walk_in and s.waiting
        )
        return f"waiting: {waiting or 'nobody'} | calls: {self.calls} | last call: {self.last}"

    def called(self, event: m.CalledEvent) -> None:
        """Count a call."""
        self.calls += 1
        self.last = f"{event.call.number} → {event.call.counter_name}"


def run(args: argparse.Namespace) -> int:
    """Start everything, wait for the apps' first frames, print a summary, stop everything."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    work = Path(tempfile.mkdtemp(prefix="loket-demo-"))
    config = open_all_day(TOWNHALL, work / "townhall-demo.yaml")
    broker = start_embedded()
    fleet = Fleet(config, work, broker=broker)  # type: ignore[arg-type]
    apps: list[DemoApp] = []
    screen: VirtualScreen | None = None
    watcher = LoketClient(SITE, "demo-summary", broker.broker, role="display")
    summary = Summary()
    try:
        fleet.start_hub()
        fleet.t0 = time.time() + 3.0
        if args.simulate:
            _simulate(fleet, args)
        seconds = args.duration or 3600.0
        url = broker.broker.url
        shots: Path | None = None
        if not args.headless and os.environ.get("DISPLAY"):
            apps = start_apps(config, url, work)
        else:
            screen = VirtualScreen()
            shots = args.screenshots or work / "screenshots"
            apps = start_apps(config, url, work, screen, shots, seconds)
            print(f"no screen: the apps run on a virtual one; screenshots in {shots}")
        watcher.on_services(lambda state: setattr(summary, "services", state))
        watcher.on_called(summary.called)
        watcher.start()
        print(f"Loket demo: broker {url}, logs in {work}; Ctrl-C stops it", flush=True)
        _report("first frame", wait_for(apps, "ready", READY_TIMEOUT, stop.wait))
        end = time.monotonic() + args.duration if args.duration else None
        while not stop.wait(2.0):
            print(summary.line(), flush=True)
            if end is not None and time.monotonic() >= end:
                break
        if shots is not None and not stop.is_set():
            _report("first screenshot", wait_for(apps, "shot", READY_TIMEOUT, stop.wait))
    finally:
        fleet.stop_file.touch()
        watcher.close()
        for app in apps:
            app.stop()
        fleet.close()
        if screen is not None:
            screen.close()
    print(f"stopped; {summary.calls} calls. Logs: {work}")
    return 0


def _report(what: str, seconds: dict[str, float | None]) -> None:
    """One line: how long each app took to `what` (or that it did not)."""
    parts = [
        f"{kind} {'never' if at is None else f'after {at:.1f} s'}" for kind, at in seconds.items()
    ]
    print(f"{what}: {', '.join(parts)}", flush=True)


def _simulate(fleet: Fleet, args: argparse.Namespace) -> None:
    seconds = max(30.0, (args.duration or 300) * 0.8)
    plan = plan_morning(["kiosk-verdieping"], args.visitors, seconds, seed=1)
    fleet.import_appointments(plan.appointments_csv)
    fleet.start_device("display", "display-verdieping")
    for n in SIMULATED_COUNTERS:
        fleet.start_device("staff", f"staff-loket-{n}", seed=n, **STAFF)
    fleet.start_device("kiosk", "kiosk-verdieping", visitors=plan.visitors["kiosk-verdieping"])
