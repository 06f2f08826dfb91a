"""The Kivy apps' runtime: Kivy's settings before its import, the hop to the UI thread, the
clock, data folders, and the first-frame readiness report.

Kivy reads its environment when it is first imported, so this module imports it only inside
functions: a composition root calls `configure_kivy` first, then imports its app.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import ParamSpec

__all__ = [
    "Deliver",
    "configure_kivy",
    "data_dir",
    "data_home",
    "on_ui",
    "parse_size",
    "report_first_frame",
    "ui_thread",
    "utc_now",
]

log = logging.getLogger(__name__)
P = ParamSpec("P")
#: Runs a function on the thread that owns the presenter (`on_ui` in the apps).
Deliver = Callable[[Callable[[], None]], None]
_STARTED = time.monotonic()


def utc_now() -> datetime:
    """Now, in UTC (the apps' clock; tests pass their own)."""
    return datetime.now(UTC)


def on_ui(function: Callable[[], None]) -> None:
    """Run `function` on Kivy's UI thread at the next frame (call from any thread)."""
    from kivy.clock import Clock

    Clock.schedule_once(lambda _dt: function(), 0)


def ui_thread(function: Callable[P, None]) -> Callable[P, None]:
    """Decorate a callback so that, called from any thread, it runs on the UI thread."""

    @functools.wraps(function)
    def hop(*args: P.args, **kwargs: P.kwargs) -> None:
        on_ui(lambda: function(*args, **kwargs))

    return hop


def parse_size(text: str, portrait: bool = False) -> tuple[int, int]:
    """'1920x1080' → (1920, 1080), sides swapped for portrait."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"--size {text!r}: expected WIDTHxHEIGHT, e.g. 1920x1080") from None
    return (min(width, height), max(width, height)) if portrait else (width, height)


def configure_kivy(
    size: tuple[int, int], *, fullscreen: bool = False, resizable: bool = True
) -> None:
    """Kivy's environment and window settings: call before anything imports Kivy's window.

    Fullscreen means borderless and no cursor; a mouse never draws multitouch dots, and
    Escape does not quit (the apps use it)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # the options are Loket's, not Kivy's
    from kivy.config import Config

    width, height = size
    settings = {
        ("graphics", "width"): str(width),
        ("graphics", "height"): str(height),
        ("graphics", "resizable"): "1" if resizable else "0",
        ("graphics", "fullscreen"): "auto" if fullscreen else "0",
        ("graphics", "borderless"): "1" if fullscreen else "0",
        ("graphics", "show_cursor"): "0" if fullscreen else "1",
        ("input", "mouse"): "mouse,disable_multitouch",
        ("kivy", "exit_on_escape"): "0",
    }
    for (section, key), value in settings.items():
        Config.set(section, key, value)


def data_home() -> Path:
    """Where Loket's devices keep their files: $XDG_DATA_HOME/loket (~/.local/share/loket)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "loket"


def data_dir(name: str) -> Path:
    """One device's folder under `data_home()`, e.g. data_dir('staff')."""
    return data_home() / name


def report_first_frame(app: str) -> None:
    """Say when the first frame is on screen: a log line and the trace's `ready` mark.

    `loket demo` and the tests wait for this instead of a fixed time."""
    from kivy.core.window import Window

    from apps.script import Trace

    def flipped(*_args: object) -> None:
        Window.unbind(on_flip=flipped)
        seconds = time.monotonic() - _STARTED
        log.info("%s: first frame drawn %.1f s after start", app, seconds)
        Trace.from_env().mark("ready", app)

    Window.bind(on_flip=flipped)
