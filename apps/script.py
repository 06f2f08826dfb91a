"""The one test and benchmark hook of the Kivy apps: steps played in the real window, a log
of what happened, and a trace of timed events. Every app (kiosk, staff terminal, display
board, pairing screen) starts it through `play`; nothing else in them is for tests.

`LOKET_UI_SCRIPT=script.json` plays, once the window is up,

    {"steps": [{"until": {"online": true}, "timeout": 10}, {"tap": "start"}, {"key": "f1"},
               {"type": "A012\\n"}, {"resize": [675, 1200]}, {"shot": "01-welcome"},
               {"mark": "live"}, {"quit": true}],
     "shots": "/tmp/shots", "log": "/tmp/events.jsonl"}

Steps: {"wait": s} · {"until": {attr: value, …}, "timeout": s} · {"tap": tap_name} ·
{"type": text, "\\n" for Enter} · {"key": name, "modifiers": […]} · {"call": method,
"args": […]} · {"resize": [w, h]} · {"shot": name or path} · {"mark": event, "detail": …} ·
{"touch_file": path} · {"wait_file": path, "timeout": s} · {"check_targets": true} ·
{"check_text": true} · {"log": label} · {"quit": true}. `until` compares the presenter's
attributes (an Enum by its value). Each step is logged with the presenter's state as a JSON
line; a failing step logs an `error` event and ends the app with exit status 3
(`exit_status`).

`LOKET_UI_TRACE=trace.txt` appends `<monotonic seconds> <event> <detail>` lines: `ready`
when the first frame is drawn (`apps.ui.report_first_frame`), and the apps' own events.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import Any

__all__ = ["ScriptRunner", "Trace", "exit_status", "play", "screenshot"]

log = logging.getLogger(__name__)
Step = dict[str, Any]
State = Callable[[], dict[str, Any]]
FAILED = 3
_TOUCHES = itertools.count(1)
#: The steps; those in FRAMES take frames, the others are done at once.
VERBS = frozenset(
    (
        "wait",
        "until",
        "tap",
        "shot",
        "wait_file",
        "type",
        "key",
        "call",
        "resize",
        "mark",
        "touch_file",
        "check_targets",
        "check_text",
        "log",
        "quit",
    )
)
FRAMES = frozenset(("wait", "until", "tap", "shot", "wait_file", "check_text"))


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


def play(
    app: Any,
    target: Any,
    extra_state: State | None = None,
    min_target: Callable[[], float] | None = None,
) -> ScriptRunner | None:
    """Start the script named by LOKET_UI_SCRIPT against `app`'s window and the presenter
    `target` (from `on_start`); None without one. `app.stop` ends the app."""
    path = os.environ.get("LOKET_UI_SCRIPT")
    if not path:
        return None
    script = json.loads(Path(path).read_text(encoding="utf-8"))
    runner = ScriptRunner(script, target, app.stop, extra_state, min_target)
    app.script = runner  # Kivy's clock holds methods weakly: keep the runner alive
    runner.start()
    return runner


def exit_status(app: Any) -> int:
    """The app's exit status: 3 when its script failed, else 0."""
    runner = getattr(app, "script", None)
    return FAILED if isinstance(runner, ScriptRunner) and runner.failed else 0


class ScriptRunner:
    """Plays the steps on Kivy's clock, one per frame or more; `failed` if one went wrong."""

    def __init__(
        self,
        script: dict[str, Any],
        target: Any,
        stop: Callable[[], None],
        extra_state: State | None = None,
        min_target: Callable[[], float] | None = None,
    ) -> None:
        from kivy.clock import Clock
        from kivy.core.window import Window

        self.steps: list[Step] = list(script["steps"])
        self.shots = Path(script["shots"]) if script.get("shots") else None
        self.log_path = Path(script["log"]) if script.get("log") else None
        self.target, self.stop = target, stop
        self.extra_state = extra_state or dict
        self.min_target = min_target or (lambda: 0.0)
        self.trace = Trace.from_env()
        self.failed = False
        self._clock, self._window = Clock, Window
        self._run = self._play()

    def start(self) -> None:
        """Begin at the next frame; log `ready` when the first frame is drawn."""

        def drawn(*_args: Any) -> None:
            self._window.unbind(on_flip=drawn)
            self._log("ready")

        self._window.bind(on_flip=drawn)
        self._clock.schedule_interval(self._tick, 0)

    def _tick(self, _dt: float) -> bool:
        try:
            next(self._run)
        except StopIteration:
            return False
        except Exception as error:  # a broken step ends the run, visibly
            log.exception("script step failed")
            self._log("error", error=repr(error))
            self.failed = True
            self.stop()
            return False
        return True

    def _play(self) -> Iterator[None]:
        yield from self._frames(3)
        for index, step in enumerate(self.steps):
            self._log("step", index=index, step=step)
            yield from self._do(step)
        self._log("done")

    def _do(self, step: Step) -> Iterator[None]:
        verb = next((key for key in step if key in VERBS), None)
        if verb is None:
            raise ValueError(f"unknown step {step}")
        action = getattr(self, "_log_step" if verb == "log" else f"_{verb}")
        if verb in FRAMES:
            yield from action(step)
        else:
            action(step)
            yield

    # --- the steps that take frames ------------------------------------------------------

    def _wait(self, step: Step) -> Iterator[None]:
        end = time.monotonic() + float(step["wait"])
        while time.monotonic() < end:
            yield

    def _until(self, step: Step) -> Iterator[None]:
        wanted: dict[str, Any] = step["until"]

        def matches() -> bool:
            return all(self._value(key) == value for key, value in wanted.items())

        yield from self._wait_for(matches, float(step.get("timeout", 10)), f"state {wanted}")

    def _wait_file(self, step: Step) -> Iterator[None]:
        path = Path(step["wait_file"])
        yield from self._wait_for(path.exists, float(step.get("timeout", 30)), str(path))

    def _tap(self, step: Step) -> Iterator[None]:
        from kivy.base import EventLoop

        name = step["tap"]
        widget = None
        for _ in range(40):  # the screen may still be building
            widget = self._find(name)
            if widget is not None:
                break
            yield
        if widget is None:
            raise LookupError(f"no visible widget {name!r}; state {self.state()}")
        if _scroll_into_view(widget):
            yield from self._frames(3)
        touch = _touch(*widget.to_window(*widget.center))
        EventLoop.post_dispatch_input("begin", touch)
        yield from self._frames(2)
        EventLoop.post_dispatch_input("end", touch)
        yield from self._frames(2)

    def _shot(self, step: Step) -> Iterator[None]:
        path = Path(step["shot"])
        path = path if path.suffix else path.with_suffix(".png")
        if not path.is_absolute():
            path = (self.shots or Path.cwd()) / path
        path.unlink(missing_ok=True)
        screenshot(self._window, path)
        yield from self._wait_for(path.exists, 10, f"a screenshot in {path}")
        self._log("shot", path=str(path))

    # --- the steps done at once ------------------------------------------------------------

    def _type(self, step: Step) -> None:
        """Keystrokes as a keyboard-wedge scanner sends them."""
        for character in step["type"]:
            if character == "\n":
                self._window.dispatch("on_key_down", 13, 40, "", [])
            else:
                self._window.dispatch("on_textinput", character)

    def _key(self, step: Step) -> None:
        from kivy.core.window import Keyboard

        name = step["key"]
        code = Keyboard.keycodes.get(name, ord(name[0]) if len(name) == 1 else 0)
        text = name if len(name) == 1 else None
        self._window.dispatch("on_key_down", code, 0, text, list(step.get("modifiers", [])))
        self._window.dispatch("on_key_up", code, 0)

    def _call(self, step: Step) -> None:
        getattr(self.target, step["call"])(*step.get("args", []))

    def _resize(self, step: Step) -> None:
        self._window.size = tuple(step["resize"])

    def _mark(self, step: Step) -> None:
        self.trace.mark(step["mark"], step.get("detail", ""))

    def _touch_file(self, step: Step) -> None:
        Path(step["touch_file"]).write_text("1")

    def _check_targets(self, _step: Step) -> None:
        """Log the visible tap targets smaller than the minimum (kiosk: 15 mm)."""
        minimum = self.min_target() - 1  # rounding
        small = [
            f"{widget.tap_name or getattr(widget, 'text', '')}: {list(widget.size)}"
            for widget in self._targets()
            if widget.width < minimum or widget.height < minimum
        ]
        self._log("targets", small=small)

    def _check_text(self, _step: Step) -> Iterator[None]:
        """Log the words on visible tap targets that do not fit their label: a word wider
        than it (Kivy would break it), or lines taller than it."""
        from kivy.core.text import Label as CoreLabel
        from kivy.uix.label import Label

        yield from self._frames(3)  # textures follow a new font size a frame later
        spills = []
        for widget in self._targets():
            for label in widget.walk(restrict=True):
                if not isinstance(label, Label) or not label.text.strip() or not _visible(label):
                    continue
                core = CoreLabel(font_size=label.font_size, bold=label.bold)
                widest = max(core.get_extents(word)[0] for word in label.text.split())
                if widest > label.width + 1 or label.texture_size[1] > label.height + 1:
                    size = [round(v) for v in (*label.size, widest, label.texture_size[1])]
                    spills.append(f"{widget.tap_name}: {label.text!r} {size}")
        self._log("text", spills=spills)

    def _log_step(self, step: Step) -> None:
        self._log(step["log"])

    def _quit(self, _step: Step) -> None:
        self.stop()

    # --- helpers ---------------------------------------------------------------------------

    def _frames(self, n: int) -> Iterator[None]:
        for _ in range(n):
            yield

    def _wait_for(self, ready: Callable[[], bool], timeout: float, what: str) -> Iterator[None]:
        end = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > end:
                raise TimeoutError(f"waited {timeout:g} s for {what}; state {self.state()}")
            yield

    def _targets(self) -> list[Any]:
        """The visible widgets with a `tap_name`, bottom to top."""
        return [
            widget
            for top in reversed(self._window.children)
            for widget in top.walk(restrict=True)
            if hasattr(widget, "tap_name") and _visible(widget)
        ]

    def _find(self, name: str) -> Any:
        found = [widget for widget in self._targets() if widget.tap_name == name]
        return found[-1] if found else None  # the topmost: an overlay before the screen

    def _value(self, key: str) -> Any:
        value = getattr(self.target, key) if hasattr(self.target, key) else None
        if value is None:
            value = self.extra_state().get(key)
        return value.value if isinstance(value, Enum) else value

    def state(self) -> dict[str, Any]:
        """The presenter's plain properties (text, numbers, flags, Enums) and the extras."""
        names = self.target.properties() if hasattr(self.target, "properties") else {}
        state = {}
        for name in names:
            value = getattr(self.target, name)
            if isinstance(value, str | bool | int | float | Enum):
                state[name] = value.value if isinstance(value, Enum) else value
        return {**state, **self.extra_state()}

    def _log(self, event: str, **fields: Any) -> None:
        if self.log_path is None:
            return
        line = {"event": event, "t": round(time.time(), 3), "state": self.state(), **fields}
        with self.log_path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, default=str) + "\n")


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


def _touch(x: float, y: float) -> Any:
    """A finger on the screen at window pixels (x, y), as Kivy's own unit tests make one."""
    from kivy.base import EventLoop
    from kivy.input.motionevent import MotionEvent

    class ScriptTouch(MotionEvent):  # type: ignore[misc]
        """A finger."""

        def depack(self, args: dict[str, float]) -> None:
            self.is_touch = True
            self.sx, self.sy = args["x"], args["y"]
            super().depack(args)

    win = EventLoop.window
    where = {"x": x / (win.width - 1), "y": y / (win.height - 1)}
    return ScriptTouch("script", next(_TOUCHES), where)


def _scroll_into_view(widget: Any) -> bool:
    """Scroll the ScrollViews around `widget` so that a finger can reach it."""
    from kivy.uix.scrollview import ScrollView

    moved = False
    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView):
            x, y = widget.to_window(*widget.center)
            left, bottom = node.to_window(node.x, node.y)
            if not (left <= x <= left + node.width and bottom <= y <= bottom + node.height):
                node.scroll_to(widget, animate=False)
                moved = True
        node = node.parent
    return moved


def _visible(widget: Any) -> bool:
    """Shown, enabled and with some size, along its whole parent chain."""
    node = widget
    while node is not None and node is not node.parent:
        if getattr(node, "opacity", 1) == 0 or getattr(node, "disabled", False):
            return False
        node = node.parent
    return bool(widget.width > 0 and widget.height > 0)
