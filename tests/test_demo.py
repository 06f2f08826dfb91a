"""`loket demo`: the whole system on one machine starts, moves and stops cleanly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Bounds the whole run only: the demo waits for each app's first frame, however slow.
TIMEOUT = 900


def test_headless_simulated_demo_runs_and_leaves_nothing_behind(tmp_path: Path) -> None:
    """No screen: the apps run on a virtual one, report their first frame and leave
    screenshots; nothing stays behind."""
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.update({"PYTHONPATH": str(ROOT), "KIVY_NO_ARGS": "1", "KIVY_LOG_MODE": "PYTHON"})
    shots = tmp_path / "shots"
    args = ["demo", "--simulate", "--duration", "10", "--visitors", "30", "--screenshots"]
    args.append(str(shots))
    done = subprocess.run(
        [sys.executable, "-m", "loket.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for what in ("first frame", "first screenshot"):
        line = re.search(rf"^{what}: (.*)$", done.stdout, re.MULTILINE)
        assert line is not None and "never" not in line.group(1), done.stdout[-2000:]
        print(line.group(0))  # shown with -rP: how long the apps took on this machine
    calls = re.search(r"stopped; (\d+) calls\. Logs: (\S+)", done.stdout)
    assert calls is not None, done.stdout[-2000:]
    assert int(calls.group(1)) > 0, done.stdout[-2000:]
    work = calls.group(2)
    leftovers = subprocess.run(["pgrep", "-f", work], capture_output=True, text=True, check=False)
    assert leftovers.stdout.strip() == "", "processes of the demo are still running"
    for app in ("kiosk", "staff", "display"):
        assert list(shots.glob(f"{app}-*.png")), f"no screenshot of the {app}"
