"""The Kivy side: the window, the screens (one `.kv` each) and overlays.

Imported only by `loket kiosk` (Kivy is optional for the rest of Loket).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import ObjectProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from apps.app import LoketApp
from apps.script import play
from kiosk import images, lists, screens, widgets
from kiosk.presenter import KioskPresenter
from kiosk.scanner import WedgeDecoder
from kiosk.screens import Screen

KV_DIR = Path(__file__).with_name("kv")
#: Screen name → the kv class that draws it (each in its own kv file).
SCREENS = {
    Screen.WELCOME: "WelcomeScreen",
    Screen.START: "StartScreen",
    Screen.KEYPAD: "KeypadScreen",
    Screen.CHECKED_IN: "CheckedInScreen",
    Screen.SERVICES: "ServicesScreen",
    Screen.NOTICE: "NoticeScreen",
    Screen.TICKET: "TicketScreen",
    Screen.CARE: "CareScreen",
}
OVERLAYS = {
    screens.Overlay.IDLE: "IdleOverlay",
    screens.Overlay.HELP: "HelpOverlay",
    screens.Overlay.ACCESSIBILITY: "AccessibilityOverlay",
}
KV_FILES = ("common", "overlays", *SCREENS)


def register_widgets() -> None:
    """Make the kiosk's widget classes known to kv, then load every kv file."""
    classes = {
        widgets: ("KLabel", "KButton", "ToggleRow", "Banner", "NavBar", "KioskScreen",
                  "OfferPanel", "Panel"),
        lists: ("TileGrid", "Keypad", "ChoiceRow", "LineList"),
        images: ("Pictogram", "QrImage", "PreviewImage"),
    }  # fmt: skip
    for module, names in classes.items():
        for name in names:
            if name not in Factory.classes:
                Factory.register(name, cls=getattr(module, name))
    if "Overlay" not in Factory.classes:
        Factory.register("Overlay", cls=Overlay)
    for name in KV_FILES:
        Builder.load_file(str(KV_DIR / f"{name}.kv"))


class Overlay(FloatLayout):  # type: ignore[misc]
    """Covers the screen; touches do not reach what is underneath. `backdrop`: what a touch
    that no button takes means (the idle question: 'I am still here')."""

    backdrop = ObjectProperty(None, allownone=True)

    def on_touch_down(self, touch: Any) -> bool:
        if not super().on_touch_down(touch) and self.backdrop is not None:
            self.backdrop()
        return True


class KioskRoot(FloatLayout):  # type: ignore[misc]
    """The screens, with the presenter's overlay (and 'one moment') on top."""

    def __init__(self, presenter: KioskPresenter, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.p = presenter
        self.manager = ScreenManager(transition=NoTransition())
        for name, cls in SCREENS.items():
            self.manager.add_widget(Factory.get(cls)(name=name))
        self.add_widget(self.manager)
        self.overlays = {name: Factory.get(cls)() for name, cls in OVERLAYS.items()}
        self.busy_layer = Factory.BusyOverlay()
        self.shown: Any = None
        presenter.bind(screen=self._screen, overlay=self._layers, busy=self._layers)
        self._screen()
        self._layers()

    def _screen(self, *_: object) -> None:
        self.manager.current = self.p.screen

    def _layers(self, *_: object) -> None:
        wanted = self.overlays.get(self.p.overlay)
        if wanted is None and self.p.busy and self.p.screen != Screen.TICKET:
            wanted = self.busy_layer
        if wanted is self.shown:
            return
        if self.shown is not None:
            self.remove_widget(self.shown)
        if wanted is not None:
            self.add_widget(wanted)
        self.shown = wanted


class KioskApp(LoketApp):
    """Builds the root from the presenter; the composition root wires everything else.

    `script_state`: what the test hook logs beside the presenter's state."""

    title = "Loket"
    kind = "kiosk"

    def __init__(
        self,
        presenter: KioskPresenter,
        on_started: Callable[[], None],
        script_state: Callable[[], dict[str, Any]],
        **kw: Any,
    ) -> None:
        super().__init__(presenter, **kw)
        self.p = presenter
        self._on_started = on_started
        self._script_state = script_state

    def build(self) -> KioskRoot:
        register_widgets()
        return KioskRoot(self.p)

    def started(self) -> None:
        self._on_started()

    def play(self) -> None:
        """The test hook, with the smallest allowed touch target (15 mm) for its checks."""
        play(self, self.p, self._script_state, min_target=lambda: float(self.p.theme.touch))


def watch_window(presenter: KioskPresenter, wedge: WedgeDecoder) -> None:
    """Window events: size, any touch (not idle), keyboard-wedge scanners.

    A touch only counts as activity here: the overlays decide what it means, so a tap on
    "Do you need more time?" never reaches the screen underneath."""
    Window.allow_screensaver = False  # a kiosk never blanks
    presenter.set_window_size(*Window.size)
    Window.bind(size=lambda _w, size: presenter.set_window_size(*size))
    Window.bind(on_touch_down=lambda *_: presenter.touched())
    Window.bind(on_textinput=lambda _w, text: wedge.text(text, Clock.get_time()))

    def key_down(_window: Any, key: int, *_: Any) -> bool:
        if key in (13, 271, 9):  # Enter, keypad Enter, Tab
            wedge.enter(Clock.get_time())
            return True
        return False

    Window.bind(on_key_down=key_down)
