"""A test hook: play a script of taps, scans and screenshots in the real window.

`loket kiosk … --script steps.json --screenshot-dir DIR --log events.jsonl`. Steps run one
after another; each may wait. A tap is a real touch sent through Kivy's input pipeline at
the centre of the visible widget whose `tap_name` matches. Every step is logged (with the
presenter's state) as a JSON line, so the test can check what happened.

Steps: {"wait": s} · {"until": {"screen": "ticket", …}, "timeout": s} · {"tap": name} ·
{"type": "K7P2WX\\n"} · {"shot": name} · {"touch_file": path} ·
{"wait_file": path, "timeout": s} · {"check_targets": true} · {"log": label} · {"quit": true}
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.input.motionevent import MotionEvent

from kiosk.presenter import KioskPresenter
from kiosk.widgets import KButton

log = logging.getLogger(__name__)
STATE_KEYS = ("screen", "overlay", "language", "online", "busy", "print_state", "ticket_number",
              "ticket_note", "ticket_qr", "code", "code_error", "large_text", "high_contrast",
              "speech", "notice_title", "offer_text", "banner", "priority")  # fmt: skip


class ScriptTouch(MotionEvent):  # type: ignore[misc]
    """A finger on the screen, as Kivy's own unit tests make one."""

    def __init__(self, x: float, y: float) -> None:
        win = EventLoop.window
        super().__init__("script", id(self), {"x": x / (win.width - 1), "y": y / (win.height - 1)})

    def depack(self, args: dict[str, float]) -> None:
        self.is_touch = True
        self.sx, self.sy = args["x"], args["y"]
        super().depack(args)


class ScriptRunner:
    """Plays the steps on Kivy's clock; `failed` says whether one went wrong."""

    def __init__(
        self,
        root: Any,
        presenter: KioskPresenter,
        steps: list[dict[str, Any]],
        shots: Path | None,
        log_path: Path | None,
        stop: Callable[[], None],
        extra_state: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.root, self.p, self.steps = root, presenter, steps
        self.shots, self.log_path, self.stop = shots, log_path, stop
        self.extra_state = extra_state or (lambda: {})
        self.failed = False
        self._run = self._play()
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        Clock.schedule_interval(self._tick, 0)

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

    # --- the steps ----------------------------------------------------------------------

    def _play(self) -> Iterator[None]:
        yield from self._frames(3)
        for index, step in enumerate(self.steps):
            self._log("step", index=index, step=step)
            yield from self._do(step)
        self._log("done")
        self.stop()

    def _do(self, step: dict[str, Any]) -> Iterator[None]:
        if "wait" in step:
            yield from self._sleep(float(step["wait"]))
        elif "until" in step:
            yield from self._until(step["until"], float(step.get("timeout", 10)))
        elif "tap" in step:
            yield from self._tap(step["tap"])
        elif "type" in step:
            self._type(step["type"])
            yield
        elif "shot" in step:
            yield from self._frames(2)
            self._shot(step["shot"])
        elif "touch_file" in step:
            Path(step["touch_file"]).write_text("1")
        elif "wait_file" in step:
            path = Path(step["wait_file"])
            yield from self._wait_for(path.exists, float(step.get("timeout", 30)), str(path))
        elif "check_targets" in step:
            self._log("targets", small=self._small_targets())
        elif "log" in step:
            self._log(step["log"])
        elif "quit" in step:
            self.stop()
        else:
            raise ValueError(f"unknown step {step}")

    def _frames(self, n: int) -> Iterator[None]:
        for _ in range(n):
            yield

    def _sleep(self, seconds: float) -> Iterator[None]:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            yield

    def _until(self, wanted: dict[str, Any], timeout: float) -> Iterator[None]:
        def matches() -> bool:
            state = self.state()
            return all(state.get(key) == value for key, value in wanted.items())

        yield from self._wait_for(matches, timeout, f"state {wanted}")

    def _wait_for(self, ready: Callable[[], bool], timeout: float, what: str) -> Iterator[None]:
        end = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > end:
                raise TimeoutError(f"waited {timeout:g} s for {what}; state {self.state()}")
            yield

    def _tap(self, name: str) -> Iterator[None]:
        widget = None
        for _ in range(40):  # the screen may still be building
            widget = self._find(name)
            if widget is not None:
                break
            yield
        if widget is None:
            raise LookupError(f"no visible widget {name!r} on {self.p.screen}")
        if _scroll_into_view(widget):
            yield from self._frames(3)
        x, y = widget.to_window(*widget.center)
        touch = ScriptTouch(x, y)
        EventLoop.post_dispatch_input("begin", touch)
        yield from self._frames(2)
        EventLoop.post_dispatch_input("end", touch)
        yield from self._frames(2)

    def _find(self, name: str) -> Any:
        top = self.root.shown if self.root.shown is not None else self.root.manager.current_screen
        for widget in top.walk(restrict=True):
            if getattr(widget, "tap_name", None) == name and _visible(widget):
                return widget
        return None

    def _type(self, text: str) -> None:
        """Keystrokes as a keyboard-wedge scanner sends them."""
        for character in text:
            if character == "\n":
                Window.dispatch("on_key_down", 13, 40, "", [])
            else:
                Window.dispatch("on_textinput", character)

    def _shot(self, name: str) -> None:
        if self.shots is None:
            return
        written = Window.screenshot(name=str(self.shots / f"{name}.png"))
        target = self.shots / f"{name}.png"
        if written and Path(written) != target:
            Path(written).replace(target)
        self._log("shot", path=str(target))

    def _small_targets(self) -> list[str]:
        """Visible buttons smaller than the 15 mm minimum, on the screen and any overlay."""
        touch = self.p.theme.touch - 1  # rounding
        tops = [self.root.manager.current_screen]
        if self.root.shown is not None:
            tops.append(self.root.shown)
        small = []
        for top in tops:
            for widget in top.walk(restrict=True):
                too_small = widget.width < touch or widget.height < touch
                if isinstance(widget, KButton) and _visible(widget) and too_small:
                    small.append(f"{widget.tap_name or widget.text}: {widget.size}")
        return small

    def state(self) -> dict[str, Any]:
        state = {key: getattr(self.p, key) for key in STATE_KEYS}
        return {**state, **self.extra_state()}

    def _log(self, event: str, **fields: Any) -> None:
        if self.log_path is None:
            return
        line = {"event": event, "t": round(time.time(), 3), "state": self.state(), **fields}
        with self.log_path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, default=str) + "\n")


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
