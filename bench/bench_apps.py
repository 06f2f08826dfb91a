"""Staff terminal and display board: call pressed → board updated, cold start, memory.

    .venv/bin/python bench/bench_apps.py [--calls 200] [--screen-calls 50] [--starts 5]
                                         [--json PATH]

Starts Mosquitto on a free loopback port, a `loket hub` subprocess (the town hall, open all
day) and, when DISPLAY is not set, an Xvfb. Measures, in order:

1. call → board presenter: the staff presenter's F1 (call next) until the display
   presenter, fed by its own client, shows the number. Both presenters live in this process
   and are fed through one inbox, as Kivy's main thread would feed them.
2. call → board on screen: the same F1 until the real display app (`loket display`, Kivy on
   Xvfb) has drawn the frame that shows the number (its LOKET_UI_TRACE, on the shared
   monotonic clock).
3. cold start of each app: process start → first frame, and → live (connected, the hub's
   state shown), with the process's memory (RSS) once live and its peak.

About a minute on 2 cores. See bench/README.md for the reading.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench_engine import Row, Timings, machine, table
from hub_rig import ROOT, SITE_ID, always_open, hub_process

# The presenters import Kivy, which would read this script's arguments and log to ~/.kivy.
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

from apps.runner import Inbox
from apps.ui import utc_now
from display_board.board import board_config
from display_board.presenter import DisplayPresenter
from display_board.wiring import board_client
from link.client import LoketClient
from loket.broker import Mosquitto
from siteconfig import load_site_config
from staff_terminal.desk import desk_config
from staff_terminal.wiring import Staff, connect_staff

DISPLAY_ID = "display-gelijkvloers"
COUNTER = "loket-1"  # the quick counter: snelbalie, no daily cap


def pump(inbox: Inbox, check: Callable[[], object], timeout: float = 10.0) -> None:
    """Run what the clients delivered until `check()` holds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the apps did not get there in time")
        inbox.drain(timeout=0.05)


def issue(broker: Any, count: int) -> None:
    """Walk-in tickets for the quick counter."""
    kiosk = LoketClient(SITE_ID, "kiosk-inkom", broker)
    kiosk.start()
    try:
        assert kiosk.wait_online(10)
        for _ in range(count):
            assert kiosk.request("issue_ticket", service_id="snelbalie").ok
    finally:
        kiosk.close()


def staff_terminal(config: Path, broker: Any, inbox: Inbox) -> Staff:
    """The quick counter's terminal, open."""
    staff = connect_staff(desk_config(load_site_config(config), COUNTER), broker, inbox)
    staff.start()
    pump(inbox, lambda: staff.presenter.link_text == "Verbonden met de hub")
    staff.presenter.open_counter()
    pump(inbox, lambda: staff.presenter.counter_status == "open")
    return staff


def press(staff: Staff, inbox: Inbox, key: str) -> None:
    """Press a key on the terminal and wait for the hub's reply."""
    staff.presenter.key(key)
    pump(inbox, lambda: not staff.presenter.busy)


def presenter_latency(config: Path, broker: Any, calls: int) -> Timings:
    """Part 1: F1 on the staff presenter → the display presenter shows the number."""
    inbox = Inbox()
    issue(broker, calls)
    staff = staff_terminal(config, broker, inbox)
    board_settings = board_config(load_site_config(config), DISPLAY_ID)
    board = DisplayPresenter(board_settings, None, utc_now())
    display = board_client(board_settings, DISPLAY_ID, broker, board, inbox)
    display.start()
    timings = Timings()
    try:
        pump(inbox, lambda: board.live)
        for _ in range(calls):
            before = board.called_number
            started = time.perf_counter()
            staff.presenter.key("f1")
            pump(inbox, lambda before=before: board.called_number != before)
            timings.samples.append(time.perf_counter() - started)
            pump(inbox, lambda: not staff.presenter.busy)
            press(staff, inbox, "f3")  # start: the next F1 finishes it and calls again
    finally:
        display.close()
        staff.close()
    return timings


@contextmanager
def x_display() -> Iterator[dict[str, str]]:
    """An environment for Kivy apps: this DISPLAY, or an Xvfb of our own."""
    env = {
        **os.environ,
        "KIVY_NO_ARGS": "1",
        "KIVY_LOG_MODE": "PYTHON",
        "SDL_AUDIODRIVER": "dummy",
        "PYTHONPATH": str(ROOT),
        "KIVY_HOME": tempfile.mkdtemp(prefix="loket-bench-kivy-"),
    }
    if os.environ.get("DISPLAY"):
        yield env
        return
    number = next(n for n in range(150, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    xvfb = subprocess.Popen(
        [shutil.which("Xvfb") or "Xvfb", f":{number}", "-screen", "0", "1920x1200x24"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            time.sleep(0.05)
        yield {**env, "DISPLAY": f":{number}"}
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


class App:
    """One app process with a script and a trace; samples its memory while it runs."""

    def __init__(self, args: list[str], steps: list[dict[str, Any]], env: dict[str, str]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="loket-bench-app-"))
        self.trace = self.folder / "trace.txt"
        script = self.folder / "steps.json"
        script.write_text(json.dumps({"steps": steps}), encoding="utf-8")
        env = {**env, "LOKET_UI_SCRIPT": str(script), "LOKET_UI_TRACE": str(self.trace)}
        self.spawned = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "loket.cli", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.rss_kb = 0
        self.peak_kb = 0

    def sample(self) -> None:
        """Read the process's resident and peak memory now."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        self.rss_kb = int(fields.get("VmRSS", "0 kB").split()[0]) or self.rss_kb
        self.peak_kb = max(self.peak_kb, int(fields.get("VmHWM", "0 kB").split()[0]))

    def wait(self, timeout: float = 60) -> None:
        """Until it exits (sampling memory), or fail."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                self.proc.kill()
                self.proc.wait()
                raise TimeoutError(f"the app did not finish: {self.trace.read_text()}")
            self.sample()
            time.sleep(0.05)
        if self.proc.returncode != 0:
            raise RuntimeError(f"the app failed ({self.proc.returncode})")

    def events(self) -> list[tuple[float, str, str]]:
        """The trace: (monotonic time, event, detail)."""
        out = []
        for line in self.trace.read_text().splitlines():
            at, event, *detail = line.split(" ", 2)
            out.append((float(at), event, detail[0] if detail else ""))
        return out

    def first(self, event: str) -> float:
        """Seconds from the spawn to the first `event`."""
        return next(at for at, name, _ in self.events() if name == event) - self.spawned


def app_args(kind: str, config: Path, broker: Any) -> list[str]:
    if kind == "display":
        return [
            "display",
            "--config",
            str(config),
            "--device",
            DISPLAY_ID,
            "--broker",
            broker.url,
            "--size",
            "1920x1080",
            "--mute",
        ]
    return [
        "staff",
        "--config",
        str(config),
        "--counter",
        COUNTER,
        "--broker",
        broker.url,
        "--size",
        "1280x800",
    ]


LIVE = {
    "display": {"until": {"live": True}, "timeout": 30},
    "staff": {"until": {"link_text": "Verbonden met de hub"}, "timeout": 30},
}


def screen_latency(
    config: Path, broker: Any, env: dict[str, str], calls: int
) -> tuple[Timings, Timings]:
    """Part 2: F1 on the staff presenter → the display app has drawn the number (and, for
    the breakdown, → its presenter changed on Kivy's main thread)."""
    inbox = Inbox()
    issue(broker, calls)
    staff = staff_terminal(config, broker, inbox)
    steps = [
        LIVE["display"],
        {"mark": "live"},
        {"until": {"called_number": "STOP"}, "timeout": 600},
    ]
    app = App(app_args("display", config, broker), steps, env)
    sent: list[tuple[str, float]] = []
    try:
        while not any(
            name == "live" for _, name, _ in (app.events() if app.trace.exists() else [])
        ):
            time.sleep(0.05)
        for _ in range(calls):
            started = time.monotonic()
            press(staff, inbox, "f1")
            sent.append((staff.presenter.ticket_number, started))
            press(staff, inbox, "f3")
            time.sleep(0.1)  # one call at a time on the screen
        time.sleep(0.5)
        app.sample()
    finally:
        app.proc.terminate()
        app.proc.wait(timeout=10)
        staff.close()
    events = app.events()
    changed = {detail: at for at, name, detail in events if name == "changed"}
    shown = {detail: at for at, name, detail in events if name == "shown"}
    on_screen = Timings([shown[number] - at for number, at in sent if number in shown])
    in_app = Timings([changed[number] - at for number, at in sent if number in changed])
    return on_screen, in_app


def cold_starts(
    kind: str, config: Path, broker: Any, env: dict[str, str], runs: int
) -> dict[str, list[float]]:
    """Part 3: process start → first frame and → live, and memory once live."""
    figures: dict[str, list[float]] = {"ready": [], "live": [], "rss": [], "peak": []}
    steps = [
        LIVE[kind],
        {"mark": "live"},
        {"wait": 1.5},
        {"quit": True},
    ]
    for _ in range(runs):
        app = App(app_args(kind, config, broker), steps, env)
        app.wait()
        figures["ready"].append(app.first("ready"))
        figures["live"].append(app.first("live"))
        figures["rss"].append(app.rss_kb / 1024)
        figures["peak"].append(app.peak_kb / 1024)
    return figures


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config" / "townhall.yaml")
    parser.add_argument("--calls", type=int, default=200, help="calls, presenters (200)")
    parser.add_argument("--screen-calls", type=int, default=50, help="calls, real board (50)")
    parser.add_argument("--starts", type=int, default=5, help="cold starts per app (5)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also save the results here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the table, save JSON if asked."""
    args = parse(argv)
    folder = Path(tempfile.mkdtemp(prefix="loket-bench-apps-"))
    config = always_open(args.config, folder / "site.yaml")
    rows: list[Row] = []
    broker = Mosquitto().start()
    try:
        with hub_process(config, folder / "one.db", broker.broker, None):
            t = presenter_latency(config, broker.broker, args.calls)
        rows += [
            Row("call → board presenter p50", t.ms(50), "ms", f"{len(t.samples)} calls"),
            Row("call → board presenter p99", t.ms(99), "ms", ""),
        ]
        with x_display() as env:
            with hub_process(config, folder / "two.db", broker.broker, None):
                t, changed = screen_latency(config, broker.broker, env, args.screen_calls)
            rows += [
                Row(
                    "call → board on screen p50",
                    t.ms(50),
                    "ms",
                    f"{len(t.samples)} calls, frame drawn",
                ),
                Row("call → board on screen p99", t.ms(99), "ms", ""),
                Row(
                    "  of which: → app's presenter p50",
                    changed.ms(50),
                    "ms",
                    "on Kivy's main thread",
                ),
                Row("  of which: → app's presenter p99", changed.ms(99), "ms", ""),
            ]
            with hub_process(config, folder / "three.db", broker.broker, None):
                for kind in ("display", "staff"):
                    f = cold_starts(kind, config, broker.broker, env, args.starts)
                    med = {key: statistics.median(values) for key, values in f.items()}
                    note = f"median of {args.starts}"
                    rows += [
                        Row(f"{kind}: start → first frame", med["ready"] * 1000, "ms", note),
                        Row(f"{kind}: start → live", med["live"] * 1000, "ms", note),
                        Row(f"{kind}: memory (RSS) when live", med["rss"], "MiB", note),
                        Row(f"{kind}: peak memory", med["peak"], "MiB", "VmHWM"),
                    ]
    finally:
        broker.close()
    print(table(rows))
    if args.json:
        data = {"machine": machine(), "figures": [vars(r) for r in rows]}
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
