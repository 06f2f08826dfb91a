"""The terminal's colours: white on dark (7:1 and more on grounds and feedback, 4.5:1 on status)."""

from __future__ import annotations

from apps.colours import RGBA as Color
from apps.colours import TRANSPARENT, WHITE, YELLOW
from staff_terminal.screens import Feedback

BACKGROUND: Color = (0.07, 0.09, 0.11, 1)
PANEL: Color = (0.13, 0.16, 0.20, 1)
BUTTON: Color = (0.20, 0.25, 0.32, 1)
TEXT = WHITE
MUTED: Color = (0.75, 0.80, 0.85, 1)
ACCENT = YELLOW
SELECTED: Color = (0.0, 0.36, 0.70, 1)
#: Feedback: done, information, sending, a problem.
FEEDBACK: dict[Feedback, Color] = {
    Feedback.NONE: TRANSPARENT,
    Feedback.OK: (0.05, 0.40, 0.16, 1),
    Feedback.INFO: (0.0, 0.30, 0.55, 1),
    Feedback.BUSY: (0.30, 0.30, 0.36, 1),
    Feedback.ERROR: (0.70, 0.05, 0.10, 1),
}
#: The counter's status: open, paused, closed.
STATUS: dict[str, Color] = {
    "open": (0.05, 0.40, 0.16, 1),
    "paused": (0.60, 0.38, 0.0, 1),
    "closed": (0.35, 0.35, 0.38, 1),
}
