"""Widget classes whose properties the .kv rules bind to (declared here so that a colour is
a colour from the start, before the rules apply)."""

from __future__ import annotations

from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button

from staff_terminal import theme


class Filled(BoxLayout):  # type: ignore[misc]
    """A box painted in `bg`."""

    bg = ListProperty(theme.PANEL)


class OptionButton(Button):  # type: ignore[misc]
    """A button standing for one choice in a form (`index`), or one key (`key`)."""

    index = NumericProperty(0)
    key = StringProperty("")
    bg = ListProperty(theme.BUTTON)
