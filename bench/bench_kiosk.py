"""Kiosk benchmark: cold start to the first screen, memory, and the time a visitor waits.

    .venv/bin/python bench/bench_kiosk.py [--starts 5] [--tickets 20] [--json results.json]

Starts a real Mosquitto and the town hall's hub (clock frozen on Thursday 3 December 2026,
09:00), then runs `loket kiosk` in a real window (the current DISPLAY, or an Xvfb of its own):
`--starts` cold starts to the first frame, then one kiosk that takes `--tickets` walk-in
tickets through the screens (start → no appointment → a tile → ticket → done) while its
resident memory is sampled. See bench/README.md, section "Kiosk", for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loket.broker import Mosquitto  # noqa: E402
from queue_engine.hub.bootstrap import build_hub  # noqa: E402
from tests.mqtt_fixtures import TOWNHALL, FrozenClock  # noqa: E402
from tests.sites import local  # noqa: E402

START = "2026-12-03T09:00:00+01:00"


@contextmanager
def display() -> Iterator[str]:
    """The DISPLAY to draw on: the current one, or a private Xvfb."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    binary = shutil.which("Xvfb")
    if binary is None:
        sys.exit("bench_kiosk needs a display or Xvfb (sudo apt-get install xvfb)")
    number = next(n for n in range(150, 250) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    proc = subprocess.Popen([binary, f":{number}", "-screen", "0", "1920x1200x24",
                             "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            time.sleep(0.05)
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run_kiosk(env: dict[str, str], broker: str, folder: Path, steps: list[dict[str, Any]],
              size: str) -> tuple[float, list[dict[str, Any]]]:  # fmt: skip
    """Run one kiosk with a script; (launch time, its events)."""
    script, log = folder / "steps.json", folder / "events.jsonl"
    script.write_text(json.dumps({"steps": [*steps, {"quit": True}], "log": str(log)}))
    log.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "loket.cli",
        "kiosk",
        "--config",
        str(TOWNHALL),
        "--device",
        "kiosk-inkom",
        "--broker",
        broker,
        "--printer",
        "dummy:",
        "--data-dir",
        str(folder / "data"),
        "--start-time",
        START,
        "--size",
        size,
    ]
    launched = time.time()
    proc = subprocess.run(
        command,
        env={**env, "LOKET_UI_SCRIPT": str(script)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"the kiosk failed:\n{proc.stderr[-3000:]}")
    return launched, [json.loads(line) for line in log.read_text().splitlines()]


def walk_in_steps(n: int) -> list[dict[str, Any]]:
    """n walk-in tickets, each through every screen of the flow."""
    one = [
        {"tap": "start"},
        {"tap": "walk_in"},
        {"until": {"screen": "services"}},
        {"log": "tap_tile"},
        {"tap": "tile:snelbalie"},
        {"until": {"screen": "ticket", "print_state": "printed"}, "timeout": 20},
        {"log": "printed"},
        {"tap": "done"},
        {"until": {"screen": "welcome"}},
    ]
    return [{"until": {"online": True}, "timeout": 10}, {"log": "online"}] + one * n


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})"


def marks(results: dict[str, Any]) -> list[int]:
    """Ticket counts to report the memory at: 1, then every quarter of the session."""
    n = len(results["rss_per_ticket_mb"])
    return sorted({1, *(max(1, n * q // 4) for q in (1, 2, 3, 4))}) if n else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5, help="cold starts (5)")
    parser.add_argument("--tickets", type=int, default=20, help="tickets in the session (20)")
    parser.add_argument("--size", default="1920x1080", help="window size (1920x1080)")
    parser.add_argument("--json", metavar="PATH", help="save the figures")
    args = parser.parse_args()

    broker = Mosquitto().start()
    tmp = Path(tempfile.mkdtemp(prefix="bench-kiosk-"))
    hub = build_hub(TOWNHALL, tmp / "site.db", broker.broker,
                    clock=FrozenClock(local("2026-12-03 09:00")))  # fmt: skip
    hub.hub.start()
    results: dict[str, Any] = {}
    try:
        with display() as screen:
            env = {**os.environ, "DISPLAY": screen, "KIVY_NO_ARGS": "1", "SDL_AUDIODRIVER": "dummy",
                   "KIVY_HOME": str(tmp / "kivy"), "KIVY_LOG_MODE": "PYTHON",
                   "PYTHONPATH": str(ROOT)}  # fmt: skip
            firsts, rss, peaks = [], [], []
            for i in range(args.starts):
                folder = tmp / f"start-{i}"
                folder.mkdir()
                launched, events = run_kiosk(env, broker.broker.url, folder, [], args.size)
                ready = next(e for e in events if e["event"] == "ready")
                firsts.append(ready["t"] - launched)
                rss.append(ready["state"]["rss_kb"]["VmRSS"] / 1024)
                peaks.append(ready["state"]["rss_kb"]["VmHWM"] / 1024)
            results["cold_start_s"] = firsts
            results["rss_first_screen_mb"] = rss
            results["peak_first_screen_mb"] = peaks

            folder = tmp / "session"
            folder.mkdir()
            _, events = run_kiosk(env, broker.broker.url, folder,
                                  walk_in_steps(args.tickets), args.size)  # fmt: skip
            taps = [e for e in events if e["event"] == "tap_tile"]
            printed = [e for e in events if e["event"] == "printed"]
            waits = [p["t"] - t["t"] for t, p in zip(taps, printed, strict=True)]
            online = next(e for e in events if e["event"] == "online")
            results["tile_to_ticket_s"] = waits
            results["rss_after_online_mb"] = online["state"]["rss_kb"]["VmRSS"] / 1024
            results["rss_after_session_mb"] = events[-1]["state"]["rss_kb"]["VmRSS"] / 1024
            results["peak_session_mb"] = events[-1]["state"]["rss_kb"]["VmHWM"] / 1024
            results["tickets"] = len(printed)
            results["rss_per_ticket_mb"] = [p["state"]["rss_kb"]["VmRSS"] / 1024 for p in printed]
    finally:
        hub.close()
        broker.close()
        shutil.rmtree(tmp, ignore_errors=True)

    rows = [
        ("cold start to first screen", f"{summary(results['cold_start_s'])} s"),
        ("resident memory at first screen", f"{summary(results['rss_first_screen_mb'])} MB"),
        ("peak memory at first screen", f"{summary(results['peak_first_screen_mb'])} MB"),
        ("tile touched → ticket on screen (printed)", f"{summary(results['tile_to_ticket_s'])} s"),
        ("resident memory online / after the session",
         f"{results['rss_after_online_mb']:.0f} / {results['rss_after_session_mb']:.0f} MB "
         f"({results['tickets']} tickets)"),
        ("peak memory over the session", f"{results['peak_session_mb']:.0f} MB"),
        ("resident memory after tickets " + ", ".join(str(n) for n in marks(results)),
         " / ".join(f"{results['rss_per_ticket_mb'][n - 1]:.0f}" for n in marks(results))
         + " MB"),
    ]  # fmt: skip
    width = max(len(name) for name, _ in rows)
    print(f"kiosk, window {args.size}, {platform.python_version()}, {os.cpu_count()} cores")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    if args.json:
        machine = {"python": platform.python_version(), "cores": os.cpu_count(),
                   "size": args.size}  # fmt: skip
        Path(args.json).write_text(json.dumps({"machine": machine, **results}, indent=1))


if __name__ == "__main__":
    main()
