"""The board's colours: light text on a dark ground, yellow for the call (contrast > 12:1).

A palette per mode (standard, high contrast from the site file). While offline the content is
dimmed to STALE_OPACITY: enough to look stale next to the red banner, never below 4.5:1 for
text (`stale_contrast` is the arithmetic the tests check).
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.colours import BLACK, TRANSPARENT, WHITE, YELLOW, contrast
from apps.colours import RGBA as Color


@dataclass(frozen=True)
class Palette:
    """The colours of one display mode."""

    background: Color
    panel: Color
    text: Color
    muted: Color
    accent: Color
    ink: Color
    offline: Color


STANDARD = Palette(
    background=(0.04, 0.06, 0.08, 1),
    panel=(0.10, 0.13, 0.17, 1),
    text=WHITE,
    muted=(0.78, 0.82, 0.86, 1),
    accent=YELLOW,
    ink=BLACK,
    offline=(0.72, 0.04, 0.10, 1),
)
#: Black ground, white and yellow text only (no grey).
HIGH_CONTRAST = Palette(
    background=BLACK,
    panel=BLACK,
    text=WHITE,
    muted=WHITE,
    accent=YELLOW,
    ink=BLACK,
    offline=(0.62, 0.0, 0.06, 1),
)

BACKGROUND = STANDARD.background
PANEL = STANDARD.panel
TEXT = STANDARD.text
MUTED = STANDARD.muted
ACCENT = STANDARD.accent
INK = STANDARD.ink
OFFLINE = STANDARD.offline
NONE = TRANSPARENT
#: How visible the board's content stays while it is offline (still there, clearly stale).
STALE_OPACITY = 0.7


def palette(high_contrast: bool) -> Palette:
    """The palette of a board in high-contrast mode or not."""
    return HIGH_CONTRAST if high_contrast else STANDARD


def _over(colour: Color, ground: Color, opacity: float) -> Color:
    """`colour` drawn with `opacity` on `ground` (Kivy multiplies each child's alpha)."""
    r, g, b = (opacity * c + (1 - opacity) * d for c, d in zip(colour[:3], ground[:3], strict=True))
    return (r, g, b, 1)


def stale_contrast(fg: Color, panel: Color, background: Color, opacity: float) -> float:
    """Contrast of text `fg` on `panel` when both are drawn at `opacity` on `background`."""
    ground = _over(panel, background, opacity)
    return contrast(_over(fg, ground, opacity), ground)
