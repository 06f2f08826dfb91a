"""The staff terminal's Kivy app (`loket staff`): screens, keys, and nothing else.

Import this module only after `apps.ui.configure_kivy`: it creates the window.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.core.window import Keyboard, Window
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.uix.screenmanager import NoTransition, ScreenManager

from apps.app import LoketApp
from staff_terminal.screens import StaffScreen
from staff_terminal.wiring import Staff

HERE = Path(__file__).parent
#: One .kv per screen, after the pieces they share.
KV_FILES = ("common.kv", "counter.kv", "transfer.kv", "prompt.kv", "issue.kv")
SCREENS = {
    StaffScreen.COUNTER: "CounterScreen",
    StaffScreen.TRANSFER: "TransferScreen",
    StaffScreen.PROMPT: "PromptScreen",
    StaffScreen.ISSUE: "IssueScreen",
}
KEY_NAMES = {code: name for name, code in Keyboard.keycodes.items()}
KEY_NAMES[271] = "enter"  # the keypad's Enter


def key_name(keycode: int, modifiers: list[str]) -> str | None:
    """The presenter's name for a key: 'f1', 'enter', 'ctrl+r' …"""
    name = KEY_NAMES.get(keycode)
    if name is None:
        return None
    return f"ctrl+{name}" if "ctrl" in modifiers else name


class StaffApp(LoketApp):
    """The terminal's window: composition only, the presenter decides."""

    title = "Loket staff terminal"
    kind = "staff"

    def __init__(self, staff: Staff, **kwargs: Any) -> None:
        super().__init__(staff.presenter, **kwargs)
        self.staff = staff

    def build(self) -> Any:
        for name in KV_FILES:
            Builder.load_file(str(HERE / name))
        screens = ScreenManager(transition=NoTransition())
        for name, rule in SCREENS.items():
            screens.add_widget(getattr(Factory, rule)(name=name))
        self.presenter.bind(screen=lambda _p, name: setattr(screens, "current", name))
        Window.bind(on_key_down=self._key_down, on_textinput=self._text)
        return screens

    def started(self) -> None:
        self.staff.start()

    def on_stop(self) -> None:
        self.staff.close()

    def _key_down(self, _window: Any, keycode: int, _scan: int, _text: Any, mods: Any) -> bool:
        name = key_name(keycode, list(mods or []))
        return name is not None and self.presenter.key(name)

    def _text(self, _window: Any, text: str) -> None:
        self.presenter.type_text(text)
