"""The base of the Kivy apps' `App` classes: what every app does once its window is up.

Import only after `apps.ui.configure_kivy`: Kivy's App creates the window.
"""

from __future__ import annotations

from typing import Any

from kivy.app import App

from apps.script import exit_status, play
from apps.ui import report_first_frame

__all__ = ["LoketApp"]


class LoketApp(App):  # type: ignore[misc]
    """An app of Loket: `started()` (its own start), then the first-frame report and the
    script hook (`apps.script`) against `presenter`."""

    #: 'kiosk', 'staff', 'display' or 'pairing': names the app in logs and traces.
    kind = ""

    def __init__(self, presenter: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.presenter = presenter

    def on_start(self) -> None:
        self.started()
        report_first_frame(self.kind)
        self.play()

    def started(self) -> None:
        """The app's own start (connect, schedule its ticks)."""

    def play(self) -> None:
        """Start the test hook's script, if one is set."""
        play(self, self.presenter)

    @property
    def exit_status(self) -> int:
        """What the command returns: 3 when the script failed, else 0."""
        return exit_status(self)
