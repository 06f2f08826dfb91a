"""Fixtures for real Kivy windows: an X server (Xvfb) for the session, and where screenshots go.

Kivy makes one window per process, so a real-window test starts the app in a subprocess
with `ui_env` (DISPLAY set to the session's Xvfb, a private KIVY_HOME, no audio device).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Screenshots of every real-window test land here (printed at the end of the run).
SCREENSHOTS = ROOT / "tests" / "screenshots"


@pytest.fixture(scope="session")
def xvfb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A virtual X display for the session: its DISPLAY value."""
    binary = shutil.which("Xvfb")
    if binary is None:
        pytest.fail("real-window tests need Xvfb: sudo apt-get install xvfb (or run make test)")
    for number in range(90, 140):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            break
    proc = subprocess.Popen(
        [binary, f":{number}", "-screen", "0", "1920x1200x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"Xvfb did not start on :{number}")
        time.sleep(0.05)
    yield f":{number}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def ui_env(xvfb: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for a Kivy app subprocess on the session's Xvfb."""
    kivy_home = tmp_path_factory.mktemp("kivy-home")
    return {
        **os.environ,
        "DISPLAY": xvfb,
        "KIVY_NO_ARGS": "1",
        "KIVY_HOME": str(kivy_home),
        "KIVY_LOG_MODE": "PYTHON",
        "SDL_AUDIODRIVER": "dummy",
        "PYTHONPATH": str(ROOT),
    }


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder for screenshots (kept after the run, listed in the summary)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
