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
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from link.client import LoketClient
from link.protocol import messages as m
from loket.broker import start_embedded
from loket.demo.rig import (
    ROOT,
    TRANSFERS,
    Fleet,
    child_env,
    loket_command,
    open_all_day,
    plan_morning,
)

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


#: Seconds before the headless apps' first screenshot, and between the next ones.
FIRST_SHOT, SHOT_EVERY = 6.0, 10.0


def _shots(kind: str, folder: Path, count: int) -> tuple[list[str], dict[str, str]]:
    """Options and environment that make an app save a screenshot every SHOT_EVERY s."""
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "kiosk":
        steps: list[dict[str, Any]] = []
        for n in range(count):
            steps += [{"wait": FIRST_SHOT if n == 0 else SHOT_EVERY}, {"shot": f"kiosk-{n:02d}"}]
        path = folder / "kiosk-script.json"
        path.write_text(json.dumps(steps), encoding="utf-8")
        return ["--script", str(path), "--screenshot-dir", str(folder)], {}
    ui_steps: list[dict[str, Any]] = []
    for n in range(count):
        wait = FIRST_SHOT if n == 0 else SHOT_EVERY
        ui_steps += [{"do": "wait", "seconds": wait},
                     {"do": "screenshot", "path": str(folder / f"{kind}-{n:02d}.png")}]  # fmt: skip
    path = folder / f"{kind}-script.json"
    path.write_text(json.dumps({"steps": ui_steps}), encoding="utf-8")
    return [], {"LOKET_UI_SCRIPT": str(path)}


class VirtualScreen:
    """Xvfb for the headless demo when it is installed, else SDL's offscreen driver."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.env: dict[str, str] = {"SDL_VIDEODRIVER": "offscreen"}
        binary = shutil.which("Xvfb")
        if binary is None:
            return
        number = next(n for n in range(150, 250) if not Path(f"/tmp/.X{n}-lock").exists())
        self.proc = subprocess.Popen(
            [binary, f":{number}", "-screen", "0", "1920x1200x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.env = {"DISPLAY": f":{number}"}

    def close(self) -> None:
        """Stop Xvfb."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)


def _apps(
    config: Path, url: str, work: Path, screen: VirtualScreen | None, shots: Path | None,
    seconds: float,
) -> list[subprocess.Popen[bytes]]:  # fmt: skip
    """The three apps in windows (on a virtual screen when headless), talking to the
    demo's broker; headless, each saves a screenshot every SHOT_EVERY seconds."""
    common = ["--config", str(config), "--broker", url]
    commands = [
        ["kiosk", "--device", "kiosk-inkom", "--printer", "dummy:", "--size", "1280x800",
         "--data-dir", str(work / "kiosk")],
        ["staff", "--counter", "loket-3", "--size", "1280x800"],
        ["display", "--device", "display-gelijkvloers", "--size", "1280x720"],
    ]  # fmt: skip
    procs = []
    count = max(1, int((seconds - FIRST_SHOT) // SHOT_EVERY) + 1)
    for command in commands:
        extra, env = _shots(command[0], shots, count) if shots is not None else ([], {})
        env = {**child_env(), **(screen.env if screen is not None else {}), **env}
        with (work / f"app-{command[0]}.log").open("ab") as log:
            procs.append(
                subprocess.Popen([*loket_command(), command[0], *common, *command[1:], *extra],
                                 stdout=log, stderr=subprocess.STDOUT, env=env)
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
    screen: VirtualScreen | None = None
    watcher = LoketClient(SITE, "demo-summary", broker.broker, role="display")
    summary = Summary()
    try:
        fleet.start_hub()
        fleet.t0 = time.time() + 3.0
        if args.simulate:
            _simulate(fleet, args)
        seconds = args.duration or 3600.0
        if not args.headless and os.environ.get("DISPLAY"):
            apps = _apps(config, broker.broker.url, work, None, None, seconds)
        else:
            screen = VirtualScreen()
            shots = args.screenshots or work / "screenshots"
            apps = _apps(config, broker.broker.url, work, screen, shots, seconds)
            print(f"no screen: the apps run on a virtual one; screenshots in {shots}")
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
        if screen is not None:
            screen.close()
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
