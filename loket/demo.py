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
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from loket.broker import start_embedded
from loket.fleet_rig import (
    ROOT,
    TRANSFERS,
    Fleet,
    child_env,
    loket_command,
    open_all_day,
    plan_morning,
)
from queue_engine.client import LoketClient
from queue_engine.protocol import messages as m

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
    parser.add_argument("--headless", action="store_true", help="no app windows")
    parser.set_defaults(run=run)


def _apps(config: Path, url: str, work: Path) -> list[subprocess.Popen[bytes]]:
    """The three apps in windows, talking to the demo's broker."""
    common = ["--config", str(config), "--broker", url]
    commands = [
        ["kiosk", "--device", "kiosk-inkom", "--printer", "dummy:", "--size", "1280x800",
         "--data-dir", str(work / "kiosk")],
        ["staff", "--counter", "loket-3", "--size", "1280x800"],
        ["display", "--device", "display-gelijkvloers", "--size", "1280x720"],
    ]  # fmt: skip
    procs = []
    for command in commands:
        with (work / f"app-{command[0]}.log").open("ab") as log:
            procs.append(
                subprocess.Popen([*loket_command(), command[0], *common, *command[1:]],
                                 stdout=log, stderr=subprocess.STDOUT, env=child_env())
            )  # fmt: skip
    return procs


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
    """Start everything, print a summary, stop everything."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    work = Path(tempfile.mkdtemp(prefix="loket-demo-"))
    config = open_all_day(TOWNHALL, work / "townhall-demo.yaml")
    broker = start_embedded()
    fleet = Fleet(config, work, broker=broker)  # type: ignore[arg-type]
    apps: list[subprocess.Popen[bytes]] = []
    watcher = LoketClient(SITE, "demo-summary", broker.broker, role="display")
    summary = Summary()
    try:
        fleet.start_hub()
        fleet.t0 = time.time() + 3.0
        if args.simulate:
            _simulate(fleet, args)
        if not args.headless and os.environ.get("DISPLAY"):
            apps = _apps(config, broker.broker.url, work)
        watcher.on_services(lambda state: setattr(summary, "services", state))
        watcher.on_called(summary.called)
        watcher.start()
        print(f"Loket demo: broker {broker.broker.url}, logs in {work}; Ctrl-C stops it")
        end = time.monotonic() + args.duration if args.duration else None
        while not stop.wait(2.0):
            print(summary.line(), flush=True)
            if end is not None and time.monotonic() >= end:
                break
    finally:
        fleet.stop_file.touch()
        watcher.close()
        for proc in apps:
            proc.terminate()
        for proc in apps:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        fleet.close()
    print(f"stopped; {summary.calls} calls. Logs: {work}")
    return 0


def _simulate(fleet: Fleet, args: argparse.Namespace) -> None:
    seconds = max(30.0, (args.duration or 300) * 0.8)
    plan = plan_morning(["kiosk-verdieping"], args.visitors, seconds, seed=1)
    fleet.import_appointments(plan.appointments_csv)
    fleet.start_device("display", "display-verdieping")
    for n in SIMULATED_COUNTERS:
        fleet.start_device("staff", f"staff-loket-{n}", seed=n, **STAFF)
    fleet.start_device("kiosk", "kiosk-verdieping", visitors=plan.visitors["kiosk-verdieping"])
