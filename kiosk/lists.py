"""Widgets built from the presenter's lists: service tiles, keypad keys, choices, lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.theme import Theme
from kiosk.widgets import KButton, KLabel


class TileGrid(GridLayout):  # type: ignore[misc]
    """The service tiles, from the presenter's `tiles`; a touch calls `choose(service_id)`."""

    tiles = ListProperty([])
    theme = ObjectProperty(None, allownone=True)
    folder = StringProperty("")
    choose: Callable[[str], None] | None = ObjectProperty(None, allownone=True)
    fill = BooleanProperty(False)
    """Share the grid's height between very large tiles (care-home mode) instead of scrolling."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(tiles=self._build, theme=self._build, folder=self._build, fill=self._size)
        self._size()

    def _size(self, *_: object) -> None:
        self.unbind(minimum_height=self._fit_height)
        if self.fill:
            self.size_hint = (1, 1)
        else:
            self.size_hint = (1, None)  # type: ignore[assignment]
            self.bind(minimum_height=self._fit_height)
            self.height = self.minimum_height

    def _fit_height(self, _grid: object, height: float) -> None:
        self.height = height

    def _build(self, *_: object) -> None:
        self.clear_widgets()
        theme: Theme | None = self.theme
        if theme is None:
            return
        self.spacing = theme.spacing
        for tile in self.tiles:
            detail = tile.wait_text if tile.available else _join(tile.reason_text, tile.next_text)
            button = KButton(
                theme=theme,
                text=tile.name,
                detail=detail,
                icon=tile.pictogram,
                folder=self.folder,
                kind="tile" if tile.available else "muted",
                tap_name=f"tile:{tile.id}",
                large=self.fill,
                stacked=False,
            )
            if self.fill:
                button.size_hint_y = 1
            else:
                button.height = max(theme.mm(28) * theme.scale, theme.touch)
            button.bind(on_release=lambda _b, sid=tile.id: self._chosen(sid))
            self.add_widget(button)

    def _chosen(self, service_id: str) -> None:
        if self.choose is not None:
            self.choose(service_id)


def _join(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


class Keypad(GridLayout):  # type: ignore[misc]
    """The on-screen keypad: one big key per character; a touch calls `press(character)`."""

    keys = ListProperty([])
    theme = ObjectProperty(None, allownone=True)
    press: Callable[[str], None] | None = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(keys=self._build, theme=self._build)

    def _build(self, *_: object) -> None:
        self.clear_widgets()
        theme: Theme | None = self.theme
        if theme is None:
            return
        self.spacing = theme.mm(2.5)
        for key in self.keys:
            button = KButton(theme=theme, text=key, kind="choice", halign="center",
                             tap_name=f"key:{key}", size_hint_y=1)  # fmt: skip
            button.bind(on_release=lambda _b, k=key: self.press and self.press(k))
            self.add_widget(button)


class ChoiceRow(BoxLayout):  # type: ignore[misc]
    """A row of choices (languages): `choices` [(value, label)], `value` the selected one."""

    choices = ListProperty([])
    value = StringProperty("")
    theme = ObjectProperty(None, allownone=True)
    choose: Callable[[str], None] | None = ObjectProperty(None, allownone=True)
    prefix = StringProperty("lang")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(choices=self._build, value=self._build, theme=self._build)

    def _build(self, *_: object) -> None:
        self.clear_widgets()
        theme: Theme | None = self.theme
        if theme is None:
            return
        self.spacing = theme.spacing
        for value, label in self.choices:
            button = KButton(theme=theme, text=label, halign="center",
                             kind="selected" if value == self.value else "choice",
                             tap_name=f"{self.prefix}:{value}")  # fmt: skip
            button.bind(on_release=lambda _b, v=value: self.choose and self.choose(v))
            self.add_widget(button)


class LineList(BoxLayout):  # type: ignore[misc]
    """Lines of text (appointments, documents as (heading, items) pairs), as wrapped labels."""

    lines = ListProperty([])
    sections = ListProperty([])
    theme = ObjectProperty(None, allownone=True)
    on = StringProperty("background")
    role = StringProperty("body")
    bullet = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.orientation = "vertical"
        self.size_hint_y = None
        self.bind(minimum_height=self.setter("height"))
        self.bind(lines=self._build, sections=self._build, theme=self._build)

    def _build(self, *_: object) -> None:
        self.clear_widgets()
        if self.theme is None:
            return
        self.spacing = self.theme.mm(1.5)
        for line in self.lines:
            self.add_widget(KLabel(theme=self.theme, text=f"{self.bullet}{line}", on=self.on,
                                   role=self.role))  # fmt: skip
        for heading, items in self.sections:
            self.add_widget(KLabel(theme=self.theme, text=heading, on=self.on, role="heading"))
            for item in items:
                self.add_widget(KLabel(theme=self.theme, text=f"•  {item}", on=self.on))
