"""The kiosk's own widgets: styled from the presenter's theme, built from its lists.

Styling choices (which colour for which kind of button, hiding an empty banner) live here,
in Python, so the `.kv` files only bind properties and call presenter methods.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen

from kiosk.textfit import fitting_size, text_size
from kiosk.theme import Theme

# --- base: theme-aware, and can hide itself ----------------------------------------------------


class Themed:
    """Mixin: a `theme` property (bound in kv to app.p.theme) and a `restyle` hook."""

    def restyle(self, *_: object) -> None:
        """Apply the theme (overridden)."""


class Showable:
    """Mixin: `shown = False` hides the widget and frees its space (and its touches)."""

    def apply_shown(self, *_: object) -> None:
        widget: Any = self
        if widget.shown:
            widget.unbind(size=Showable._keep_hidden, size_hint=Showable._keep_hidden)
            if widget.opacity == 0 and hasattr(widget, "_saved"):
                widget.size_hint, widget.size = widget._saved
            widget.opacity, widget.disabled = 1, False
            widget.restore_size()
        else:
            if widget.opacity != 0:
                widget._saved = (tuple(widget.size_hint), tuple(widget.size))
            widget.opacity, widget.disabled = 0, True
            widget.size_hint, widget.size = (None, None), (0, 0)
            widget.bind(size=Showable._keep_hidden, size_hint=Showable._keep_hidden)

    def restore_size(self) -> None:
        """Size the shown widget again (overridden where the size follows the content)."""

    def _keep_hidden(self, *_: object) -> None:
        """A kv rule (height: self.minimum_height, size_hint_x: 0.45 …) must not give a hidden
        widget room: a size hint it sets is kept for later, else the layout and this method
        would resize the widget in turn for ever."""
        widget: Any = self
        if widget.shown:
            return
        if tuple(widget.size_hint) != (None, None):
            hint, size = getattr(widget, "_saved", ((None, None), (0, 0)))
            given = zip(widget.size_hint, hint, strict=True)
            widget._saved = (tuple(s if s is not None else h for s, h in given), size)
            widget.size_hint = (None, None)
        if tuple(widget.size) != (0, 0):
            widget.size = (0, 0)


class KLabel(Label, Showable):  # type: ignore[misc]
    """Text that wraps to its width and grows to its height. `role`: body, small, title, huge;
    `on`: what it is drawn on (background, tile, button, notice, bar, help)."""

    theme = ObjectProperty(None, allownone=True)
    role = StringProperty("body")
    on = StringProperty("background")
    shown = BooleanProperty(True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.size_hint_y = None
        self.halign = kwargs.get("halign", "left")
        self.valign = "middle"
        self.bind(width=self._wrap, texture_size=self._fit, text=self._fit)
        self.bind(theme=self.restyle, role=self.restyle, on=self.restyle, shown=self.apply_shown)
        self.restyle()
        self._fit()

    def _wrap(self, *_: object) -> None:
        self.text_size = (self.width, None)

    def _fit(self, *_: object) -> None:
        if self.shown:
            self.height = self.texture_size[1] if self.text else 0

    def restyle(self, *_: object) -> None:
        theme: Theme | None = self.theme
        if theme is None:
            return
        self.font_size = getattr(theme, "body" if self.role == "heading" else self.role)
        self.color = text_colour(theme, self.on)
        self.bold = self.role in ("title", "huge", "heading")
        self.line_height = 1.15


def text_colour(theme: Theme, on: str) -> tuple[float, float, float, float]:
    """The text colour for text drawn on `on`."""
    p = theme.palette
    return {
        "background": p.text,
        "tile": p.tile_text,
        "muted": p.muted_text,
        "button": p.button_text,
        "notice": p.notice_text,
        "bar": p.bar_text,
        "help": p.help_text,
    }.get(on, p.text)


def fill_colour(theme: Theme, kind: str) -> tuple[float, float, float, float]:
    """The background colour of a `kind` of button or panel."""
    p = theme.palette
    return {
        "primary": p.button,
        "tile": p.tile,
        "muted": p.muted_tile,
        "notice": p.notice,
        "help": p.help_button,
        "bar": p.bar,
        "selected": p.button,
        "choice": p.tile,
    }.get(kind, p.button)


TEXT_ON = {"primary": "button", "selected": "button", "tile": "tile", "choice": "tile",
           "muted": "muted", "notice": "notice", "help": "help", "bar": "bar"}  # fmt: skip


class KButton(ButtonBehavior, BoxLayout, Showable):  # type: ignore[misc]
    """A big button: a pictogram beside plain words. `kind`: primary, tile, choice,
    selected, muted, help. `tap_name` lets the test script find it."""

    theme = ObjectProperty(None, allownone=True)
    text = StringProperty("")
    detail = StringProperty("")
    """A second, smaller line (expected wait, or why not)."""
    icon = StringProperty("")
    folder = StringProperty("")
    kind = StringProperty("primary")
    fill = ListProperty([0, 0, 0, 1])
    ink = ListProperty([1, 1, 1, 1])
    outline = ListProperty([0, 0, 0, 0])
    min_height = NumericProperty(60)
    font_size = NumericProperty(30)
    small_size = NumericProperty(24)
    icon_size = NumericProperty(64)
    radius = NumericProperty(16)
    halign = StringProperty("left")
    tap_name = StringProperty("")
    shown = BooleanProperty(True)
    icon_box = NumericProperty(0)
    """The pictogram's size, 0 without one."""
    large = BooleanProperty(False)
    """Title-sized text and a larger pictogram (the main choices, care-home buttons)."""
    stacked = BooleanProperty(False)
    """Pictogram above the words, centred (the big choices)."""
    text_font = NumericProperty(30)
    detail_font = NumericProperty(24)
    """The sizes the words are drawn at: `font_size` and `small_size`, or smaller steps
    where the words would not fit the button (see kiosk.textfit)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(theme=self.restyle, kind=self.restyle, icon=self.restyle, large=self.restyle,
                  stacked=self.restyle)  # fmt: skip
        self.bind(shown=self.apply_shown)
        self.restyle()
        self.bind(text=self._fit_text, detail=self._fit_text)
        self.bind(font_size=self._fit_text, small_size=self._fit_text)

    def on_kv_post(self, base_widget: Any) -> None:
        self.ids.words.bind(size=self._fit_text)
        self._fit_text()

    def _fit_text(self, *_: object) -> None:
        """Shrink the words (in steps) until each fits the button unbroken."""
        words = self.ids.get("words")
        if words is None:
            return
        width, height = words.size
        if width <= 1 or height <= 1:
            return
        smallest = self.theme.small * 0.75 if self.theme is not None else 12
        self.detail_font = fitting_size(
            self.detail, self.small_size, smallest, width, height / 2, bold=False
        )
        detail_height = text_size(self.detail, self.detail_font, bold=False)[1] * 1.3
        left = height - (detail_height if self.detail else 0)
        self.text_font = fitting_size(self.text, self.font_size, smallest, width, left, bold=True)

    def restyle(self, *_: object) -> None:
        theme: Theme | None = self.theme
        if theme is None:
            return
        self.fill = fill_colour(theme, self.kind)
        self.ink = text_colour(theme, TEXT_ON.get(self.kind, "button"))
        self.outline = theme.palette.outline if self.kind in ("tile", "choice") else self.fill
        self.min_height = theme.button_height
        self.font_size = theme.title if self.large else theme.body
        self.small_size = theme.body if self.large else theme.small
        self.icon_size = theme.icon * (2 if self.large else 1)
        self.icon_box = self.icon_size if self.icon else 0
        self.radius = theme.mm(3)
        self.orientation = "vertical" if self.stacked else "horizontal"
        if self.stacked:
            self.halign = "center"

    def on_press(self) -> None:
        self.fill = [min(1.0, c * 0.8 + 0.1) for c in self.fill[:3]] + [1]

    def on_release(self) -> None:
        self.restyle()


class ToggleRow(KButton):
    """An on/off setting as one big button: 'Larger text — On'."""

    active = BooleanProperty(False)
    label = StringProperty("")
    state_on = StringProperty("On")
    state_off = StringProperty("Off")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(active=self._show, label=self._show, state_on=self._show, state_off=self._show)
        self._show()

    def _show(self, *_: object) -> None:
        self.detail = self.state_on if self.active else self.state_off
        self.kind = "selected" if self.active else "choice"
        self.text = self.label


class Banner(KLabel):
    """A strip of text (offline, printer) that takes no room when there is nothing to say."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(text=self._toggle)
        self._toggle()

    def _toggle(self, *_: object) -> None:
        self.shown = bool(self.text)


class NavBar(BoxLayout):  # type: ignore[misc]
    """The bottom row of every screen: back, start again, accessibility, ask for help."""

    show_back = BooleanProperty(True)
    show_home = BooleanProperty(True)
    show_accessibility = BooleanProperty(True)


class KioskScreen(Screen):  # type: ignore[misc]
    """A screen of the kiosk (its rule paints the theme's background)."""


class OfferPanel(BoxLayout):  # type: ignore[misc]
    """The yes/no question about a related service; invisible (and untouchable) without one."""

    question = StringProperty("")
    theme = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(question=self._toggle)
        self._toggle()

    def _toggle(self, *_: object) -> None:
        self.opacity = 1 if self.question else 0
        self.disabled = not self.question


class Panel(BoxLayout, Showable):  # type: ignore[misc]
    """A box drawn in one of the theme's fills (`kind`: notice, tile, bar …); with `fit`,
    as high as its content."""

    theme = ObjectProperty(None, allownone=True)
    kind = StringProperty("tile")
    fill = ListProperty([1, 1, 1, 1])
    shown = BooleanProperty(True)
    fit = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(theme=self._restyle, kind=self._restyle, shown=self.apply_shown)
        self.bind(minimum_height=self._fit, fit=self._fit)
        self._restyle()
        self.apply_shown()

    def _fit(self, *_: object) -> None:
        if self.fit and self.shown:
            self.size_hint_y = None
            self.height = self.minimum_height

    def restore_size(self) -> None:
        self._fit()

    def _restyle(self, *_: object) -> None:
        if self.theme is not None:
            self.fill = fill_colour(self.theme, self.kind)
