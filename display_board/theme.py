"""The board's colours: light text on a dark ground, yellow for the call (contrast > 12:1)."""

from __future__ import annotations

Color = tuple[float, float, float, float]

BACKGROUND: Color = (0.04, 0.06, 0.08, 1)
PANEL: Color = (0.10, 0.13, 0.17, 1)
TEXT: Color = (1, 1, 1, 1)
MUTED: Color = (0.78, 0.82, 0.86, 1)
ACCENT: Color = (1.0, 0.80, 0.0, 1)
INK: Color = (0.0, 0.0, 0.0, 1)
OFFLINE: Color = (0.72, 0.04, 0.10, 1)
NONE: Color = (0, 0, 0, 0)
#: How visible the board's content stays while it is offline (still there, clearly stale).
STALE_OPACITY = 0.45
