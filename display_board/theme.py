"""The board's colours: light text on a dark ground, yellow for the call (contrast > 12:1)."""

from __future__ import annotations

from apps.colours import BLACK, TRANSPARENT, WHITE, YELLOW
from apps.colours import RGBA as Color

BACKGROUND: Color = (0.04, 0.06, 0.08, 1)
PANEL: Color = (0.10, 0.13, 0.17, 1)
TEXT = WHITE
MUTED: Color = (0.78, 0.82, 0.86, 1)
ACCENT = YELLOW
INK = BLACK
OFFLINE: Color = (0.72, 0.04, 0.10, 1)
NONE = TRANSPARENT
#: How visible the board's content stays while it is offline (still there, clearly stale).
STALE_OPACITY = 0.45
