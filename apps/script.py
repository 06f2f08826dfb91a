"""A test and benchmark hook for the Kivy apps: timed steps, screenshots, a trace file.

`LOKET_UI_SCRIPT=steps.json` drives a running app, e.g.

    {"steps": [{"do": "wait", "seconds": 1},
               {"do": "until", "attr": "called_number", "value": "P001", "timeout": 10},
               {"do": "key", "key": "f1"}, {"do": "text", "text": "A012"},
               {"do": "resize", "width": 675, "height": 1200},
               {"do": "screenshot", "path": "/tmp/shots/board.png"},
               {"do": "mark", "event": "live"}, {"do": "exit"}]}

`LOKET_UI_TRACE=trace.txt` appends `<monotonic seconds> <event> <detail>` lines
(`ready` after the first frame; the apps add their own events) for bench/bench_apps.py.
The staff terminal uses this module too.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Step = dict[str, Any]


class Trace:
    """Appends timed events to a file (or does nothing without one)."""

    def __init__(self, path: str | None) -> None:
        self.path = path

    def mark(self, event: str, detail: str = "") -> None:
        """Record `event` now."""
        if self.path:
            with open(self.path, "a", encoding="utf-8") as out:
                out.write(f"{time.monotonic():.6f} {event} {detail}\n")

    @classmethod
    def from_env(cls) -> Trace:
        """The trace named by LOKET_UI_TRACE."""
        return cls(os.environ.get("LOKET_UI_TRACE"))


def load_steps() -> list[Step] | None:
    """The steps named by LOKET_UI_SCRIPT, if set."""
    path = os.environ.get("LOKET_UI_SCRIPT")
    if not path:
        return None
    steps: list[Step] = json.loads(Path(path).read_text(encoding="utf-8"))["steps"]
    return steps


class UiScript:
    """Runs steps one after another on Kivy's clock, against a window and a presenter."""

    def __init__(
        self,
        steps: list[Step],
        target: Any,
        on_exit: Callable[[], None],
        trace: Trace | None = None,
    ) -> None:
        from kivy.clock import Clock
        from kivy.core.window import Keyboard, Window

        self.steps = list(steps)
        self.target = target
        self.on_exit = on_exit
        self.trace = trace or Trace.from_env()
        self._clock = Clock
        self._window = Window
        self._keycodes = Keyboard.keycodes
        self._deadline = 0.0

    def start(self, delay: float = 0.3) -> None:
        """Begin after `delay` seconds (the first frames)."""
        self._clock.schedule_once(lambda _dt: self._next(), delay)

    def _next(self, delay: float = 0.05) -> None:
        if not self.steps:
            return
        step = self.steps[0]
        handler = getattr(self, f"_do_{step['do']}")
        done = handler(step)
        if done is not False:
            self.steps.pop(0)
            self._deadline = 0.0
        self._clock.schedule_once(lambda _dt: self._next(), delay)

    def _do_wait(self, step: Step) -> bool:
        if not self._deadline:
            self._deadline = time.monotonic() + float(step["seconds"])
        return time.monotonic() >= self._deadline

    def _do_until(self, step: Step) -> bool:
        if not self._deadline:
            self._deadline = time.monotonic() + float(step.get("timeout", 10))
        if getattr(self.target, step["attr"]) == step["value"]:
            return True
        if time.monotonic() >= self._deadline:
            raise AssertionError(f"{step['attr']} never became {step['value']!r}")
        return False

    def _do_key(self, step: Step) -> bool:
        name = step["key"]
        code = self._keycodes.get(name, ord(name[0]) if len(name) == 1 else 0)
        text = name if len(name) == 1 else None
        modifiers = list(step.get("modifiers", []))
        self._window.dispatch("on_key_down", code, 0, text, modifiers)
        self._window.dispatch("on_key_up", code, 0)
        return True

    def _do_text(self, step: Step) -> bool:
        self._window.dispatch("on_textinput", step["text"])
        return True

    def _do_call(self, step: Step) -> bool:
        getattr(self.target, step["method"])(*step.get("args", []))
        return True

    def _do_resize(self, step: Step) -> bool:
        self._window.size = (step["width"], step["height"])
        return True

    def _do_screenshot(self, step: Step) -> bool:
        path = Path(step["path"])
        if not self._deadline:
            path.unlink(missing_ok=True)
            self._deadline = time.monotonic() + 5
            screenshot(self._window, path)
        return path.exists() or time.monotonic() >= self._deadline

    def _do_mark(self, step: Step) -> bool:
        self.trace.mark(step["event"], step.get("detail", ""))
        return True

    def _do_exit(self, step: Step) -> bool:
        self.on_exit()
        return True


def screenshot(window: Any, path: Path) -> None:
    """Save the next frame to `path` (read before the buffers flip, so it is not black)."""

    def grab(*_args: Any) -> None:
        window.unbind(on_flip=grab)
        path.parent.mkdir(parents=True, exist_ok=True)
        saved = window.screenshot(name=str(path))
        if saved:
            Path(saved).replace(path)

    window.bind(on_flip=grab)
    window.canvas.ask_update()
