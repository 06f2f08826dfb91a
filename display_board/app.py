"""The display board's Kivy app and its composition root (`loket display`).

Import this module only after `apps.ui.configure_kivy`: it creates the window.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.lang import Builder

from apps.app import LoketApp
from apps.script import Trace, play
from apps.ui import on_ui, utc_now
from display_board.announcer import Announcer, SoundChime, write_chime
from display_board.board import BoardConfig
from display_board.layout import BoardLayout, name_lines
from display_board.presenter import DisplayPresenter
from display_board.wiring import Clock as Now
from display_board.wiring import board_client
from link.client import LoketClient
from link.mqtt import Broker

log = logging.getLogger(__name__)
KV = Path(__file__).with_name("board.kv")


@dataclass
class DisplayParts:
    """What the app shows and talks to, wired by `build_display`."""

    presenter: DisplayPresenter
    layout: BoardLayout
    client: LoketClient
    announcer: Announcer
    clock: Now
    trace: Trace


class DisplayApp(LoketApp):
    """The board's window: composition only, the presenter decides."""

    title = "Loket display board"
    kind = "display"

    def __init__(self, parts: DisplayParts, **kwargs: Any) -> None:
        super().__init__(parts.presenter, **kwargs)
        self.parts = parts
        self.layout = parts.layout
        self.palette = parts.presenter.palette
        self._orientation: str | None = None

    def build(self) -> Any:
        Builder.load_file(str(KV))
        root = Factory.FloatLayout()
        Window.bind(size=lambda _w, size: self._resized(root, size))
        self._resized(root, Window.size)
        self.presenter.bind(called_number=lambda *_: self._trace_call())
        return root

    def started(self) -> None:
        self.parts.client.start()
        Clock.schedule_interval(lambda _dt: self.presenter.tick(self.parts.clock()), 0.5)

    def play(self) -> None:
        play(self, self.presenter, lambda: {"names_whole": self._names_whole()})

    def on_stop(self) -> None:
        self.parts.client.close()
        self.parts.announcer.close()

    def _resized(self, root: Any, size: tuple[int, int]) -> None:
        layout = self.layout.resize(*size)
        self.presenter.set_capacity(
            layout.recent_rows,
            layout.service_rows,
            self.parts.clock(),
            name_lines=lambda name: name_lines(name, layout),
            row_height=layout.text * 1.5,
        )
        orientation = "PortraitBoard" if layout.portrait else "LandscapeBoard"
        if orientation != self._orientation:
            self._orientation = orientation
            root.clear_widgets()
            root.add_widget(getattr(Factory, orientation)())

    def _names_whole(self) -> list[str]:
        """The service names on screen drawn whole (neither shortened nor cut off)."""
        whole = []
        for widget in self.root.walk(restrict=True):
            label = getattr(widget, "ids", {}).get("name_label")
            if label is None or not label.text:
                continue
            drawn = " ".join(
                word.text for line in label._label._cached_lines for word in line.words
            )
            if drawn.split() == label.text.split():
                whole.append(label.text)
        return sorted(whole)

    def _trace_call(self) -> None:
        """Note when a new call reaches the screen (the frame after the change)."""
        number = self.presenter.called_number
        self.parts.trace.mark("changed", number)

        def flipped(*_args: Any) -> None:
            Window.unbind(on_flip=flipped)
            self.parts.trace.mark("shown", number)

        Window.bind(on_flip=flipped)


def build_display(
    board: BoardConfig, device_id: str, broker: Broker, *, mute: bool = False
) -> DisplayParts:
    """Presenter, announcer and client of one display, wired for Kivy's main thread."""
    clock = utc_now
    chime = None
    if not mute:
        folder = Path(tempfile.mkdtemp(prefix="loket-display-"))
        chime = SoundChime(write_chime(folder / "chime.wav"))
    announcer = Announcer(chime, speak=_mute if mute else None)
    presenter = DisplayPresenter(board, announcer, clock())
    client = board_client(board, device_id, broker, presenter, on_ui, clock)
    layout = BoardLayout(large_text=board.large_text)
    return DisplayParts(presenter, layout, client, announcer, clock, Trace.from_env())


def _mute(command: Any) -> None:
    """No speech (--mute)."""
