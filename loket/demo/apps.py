"""The demo's three app windows: started on a screen (or a virtual one), each reporting its
first frame and, headless, its screenshots through the apps' trace (`apps.script.Trace`).

The demo waits for these reports, never for a fixed time: a kiosk that takes a minute to
draw its first frame on a busy machine is slow, not missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loket.demo.rig import child_env, loket_command

#: The apps: what `loket` runs for each.
COMMANDS = {
    "kiosk": ["kiosk", "--device", "kiosk-inkom", "--printer", "dummy:", "--size", "1280x800"],
    "staff": ["staff", "--counter", "loket-3", "--size", "1280x800"],
    "display": ["display", "--device", "display-gelijkvloers", "--size", "1280x720"],
}
#: Seconds between a headless app's screenshots (the first follows its first frame).
SHOT_EVERY = 10.0


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
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        socket = Path(f"/tmp/.X11-unix/X{number}")
        deadline = time.monotonic() + 30
        while not socket.exists() and self.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        self.env = {"DISPLAY": f":{number}"}

    def close(self) -> None:
        """Stop Xvfb."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)


@dataclass
class DemoApp:
    """One app process and the trace file it reports to."""

    kind: str
    proc: subprocess.Popen[bytes]
    trace: Path
    started: float

    def first(self, event: str) -> float | None:
        """Seconds from the start to the app's first `event` mark, or None (not yet)."""
        if not self.trace.exists():
            return None
        for line in self.trace.read_text(encoding="utf-8").splitlines():
            at, _, rest = line.partition(" ")
            if rest.split(" ", 1)[0] == event:
                return float(at) - self.started
        return None

    def stop(self) -> None:
        """Terminate, then kill if it does not end."""
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _script(kind: str, shots: Path, folder: Path, count: int) -> dict[str, str]:
    """The environment that makes a headless app save `count` screenshots: one after its
    first frame (marked `shot` in its trace), then one every SHOT_EVERY seconds."""
    steps: list[dict[str, Any]] = [{"shot": f"{kind}-00"}, {"mark": "shot"}]
    for n in range(1, count):
        steps += [{"wait": SHOT_EVERY}, {"shot": f"{kind}-{n:02d}"}]
    path = folder / f"{kind}-script.json"
    path.write_text(json.dumps({"steps": steps, "shots": str(shots)}), encoding="utf-8")
    return {"LOKET_UI_SCRIPT": str(path)}


def start_apps(
    config: Path,
    url: str,
    work: Path,
    screen: VirtualScreen | None = None,
    shots: Path | None = None,
    seconds: float = 3600.0,
) -> list[DemoApp]:
    """The three apps in windows (on a virtual screen when headless), on the demo's broker;
    with `shots`, screenshots for `seconds`."""
    common = ["--config", str(config), "--broker", url]
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    apps = []
    for kind, command in COMMANDS.items():
        extra = ["--data-dir", str(work / "kiosk")] if kind == "kiosk" else []
        trace = work / f"{kind}-trace.txt"
        env = {**child_env(), **(screen.env if screen is not None else {})}
        env["LOKET_UI_TRACE"] = str(trace)
        if shots is not None:
            env.update(_script(kind, shots, work, int(seconds // SHOT_EVERY) + 1))
        with (work / f"app-{kind}.log").open("ab") as log:
            proc = subprocess.Popen(
                [*loket_command(), command[0], *common, *command[1:], *extra],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        apps.append(DemoApp(kind, proc, trace, time.monotonic()))
    return apps


def wait_for(
    apps: list[DemoApp], event: str, timeout: float, stopped: Callable[[float], bool]
) -> dict[str, float | None]:
    """Wait until every running app has marked `event` (or `timeout` s, or `stopped(wait)`
    says stop); seconds from each app's start to its mark, None for the ones without."""
    deadline = time.monotonic() + timeout
    seen: dict[str, float | None] = {app.kind: None for app in apps}
    while True:
        for app in apps:
            if seen[app.kind] is None:
                seen[app.kind] = app.first(event)
        waiting = [a for a in apps if seen[a.kind] is None and a.proc.poll() is None]
        if not waiting or time.monotonic() >= deadline or stopped(0.1):
            return seen
