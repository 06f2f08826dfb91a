"""Colours, text sizes and touch-target sizes, worked out from the real screen in millimetres.

Every text colour has a contrast of at least 7:1 against what it is drawn on (WCAG AAA), in
both palettes; touch targets are at least 15 mm on the configured screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from apps.colours import RGBA, contrast, rgba

__all__ = ["HIGH_CONTRAST", "MIN_CONTRAST", "STANDARD", "Theme", "contrast", "make_theme", "rgba"]

MIN_TOUCH_MM = 15.0
MIN_CONTRAST = 7.0


@dataclass(frozen=True)
class Palette:
    """The colours of one mode; each `*_text` is drawn on the background before it."""

    background: RGBA
    text: RGBA
    bar: RGBA
    bar_text: RGBA
    button: RGBA
    button_text: RGBA
    tile: RGBA
    tile_text: RGBA
    muted_tile: RGBA
    muted_text: RGBA
    notice: RGBA
    notice_text: RGBA
    help_button: RGBA
    help_text: RGBA
    outline: RGBA

    def pairs(self) -> dict[str, tuple[RGBA, RGBA]]:
        """Every (text, background) pair, by name."""
        return {
            "text": (self.text, self.background),
            "bar": (self.bar_text, self.bar),
            "button": (self.button_text, self.button),
            "tile": (self.tile_text, self.tile),
            "muted": (self.muted_text, self.muted_tile),
            "notice": (self.notice_text, self.notice),
            "help": (self.help_text, self.help_button),
        }


STANDARD = Palette(
    background=rgba("#f7f7f2"),
    text=rgba("#1a1a1a"),
    bar=rgba("#0b3d6b"),
    bar_text=rgba("#ffffff"),
    button=rgba("#0b4f8a"),
    button_text=rgba("#ffffff"),
    tile=rgba("#ffffff"),
    tile_text=rgba("#10253f"),
    muted_tile=rgba("#e4e4e0"),
    muted_text=rgba("#2b2b2b"),
    notice=rgba("#fff1c2"),
    notice_text=rgba("#1a1a1a"),
    help_button=rgba("#8a1538"),
    help_text=rgba("#ffffff"),
    outline=rgba("#0b4f8a"),
)

HIGH_CONTRAST = Palette(
    background=rgba("#000000"),
    text=rgba("#ffffff"),
    bar=rgba("#000000"),
    bar_text=rgba("#ffff00"),
    button=rgba("#ffff00"),
    button_text=rgba("#000000"),
    tile=rgba("#000000"),
    tile_text=rgba("#ffff00"),
    muted_tile=rgba("#1a1a1a"),
    muted_text=rgba("#ffffff"),
    notice=rgba("#ffffff"),
    notice_text=rgba("#000000"),
    help_button=rgba("#00ffff"),
    help_text=rgba("#000000"),
    outline=rgba("#ffff00"),
)


@dataclass(frozen=True)
class Theme:
    """What the views draw with: a palette and sizes in pixels for this screen."""

    palette: Palette
    px_per_mm: float
    scale: float
    """1.0, or larger in large-text mode."""
    height_px: float = 1080.0
    """The window's height: the largest text must still leave room for the rest."""

    def mm(self, millimetres: float) -> float:
        """A length in pixels."""
        return millimetres * self.px_per_mm

    @property
    def touch(self) -> float:
        """The smallest touch target (15 mm), in pixels."""
        return math.ceil(self.mm(MIN_TOUCH_MM))

    @property
    def button_height(self) -> float:
        """A normal button: comfortably above the minimum, growing with the text."""
        return max(self.touch, self.mm(20) * self.scale)

    @property
    def big_button_height(self) -> float:
        """The main choices of a screen."""
        return self.mm(42) * self.scale

    @property
    def body(self) -> float:
        """Font size of running text."""
        return self.mm(7.5) * self.scale

    @property
    def small(self) -> float:
        """Font size of secondary text (never below 6 mm, even in standard mode)."""
        return self.mm(6.0) * self.scale

    @property
    def title(self) -> float:
        """Font size of a screen's title."""
        return self.mm(12.0) * self.scale

    @property
    def huge(self) -> float:
        """Font size of the ticket number."""
        return min(self.mm(38.0) * min(self.scale, 1.2), self.height_px * 0.16)

    @property
    def icon(self) -> float:
        """Size of a pictogram next to a button's text."""
        return self.mm(16.0) * self.scale

    @property
    def padding(self) -> float:
        """Space around a screen's content."""
        return self.mm(6.0)

    @property
    def spacing(self) -> float:
        """Space between buttons (keeps neighbouring targets apart)."""
        return self.mm(4.0)

    def for_views(self) -> dict[str, object]:
        """Every colour and size the `.kv` files use, flat (kv re-binds a dict lookup on the
        presenter, but not a chain through plain objects such as `theme.palette.text`)."""
        colours = {name: getattr(self.palette, name) for name in self.palette.__dataclass_fields__}
        mm = self.mm
        sizes = {
            "touch": self.touch,
            "button_height": self.button_height,
            "big_button_height": self.big_button_height,
            "print_button_height": self.big_button_height * 0.7,
            "body": self.body,
            "small": self.small,
            "title": self.title,
            "huge": self.huge,
            "code_font": self.title * 1.3,
            "icon": self.icon,
            "icon_large": self.icon * 1.5,
            "padding": self.padding,
            "padding_wide": self.padding * 2,
            "spacing": self.spacing,
            "spacing_wide": self.spacing * 2,
            "gap": mm(3),
            "key_gap": mm(2.5),
            "radius": mm(3),
            "panel_padding": mm(4),
            "overlay_padding": mm(8),
            "bar_height": mm(18),
            "nav_height": self.button_height + 2 * mm(3),
            "qr_size": max(mm(50), self.height_px * 0.35),
            "code_height": mm(30) * self.scale,
            "nav_back": mm(70),
            "nav_home": mm(90),
            "nav_accessibility": mm(120),
            "nav_help": mm(95),
        }
        return {**colours, **sizes}


LARGE_TEXT_SCALE = 1.35


def make_theme(
    *,
    high_contrast: bool,
    large_text: bool,
    window_width_px: float,
    screen_width_mm: float,
    window_height_px: float = 1080.0,
) -> Theme:
    """The theme for a mode and a screen whose visible width is `screen_width_mm`."""
    palette = HIGH_CONTRAST if high_contrast else STANDARD
    px_per_mm = window_width_px / screen_width_mm
    scale = LARGE_TEXT_SCALE if large_text else 1.0
    return Theme(palette, px_per_mm, scale, window_height_px)
