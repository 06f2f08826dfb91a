"""The staff terminal's screens and kinds of feedback, as Enums.

StrEnums: the presenter keeps them in string properties that the window binds to.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Feedback", "StaffScreen"]


class StaffScreen(StrEnum):
    """The counter screen, or the form on top of it (each drawn by its own kv file)."""

    COUNTER = "counter"
    TRANSFER = "transfer"
    PROMPT = "prompt"
    ISSUE = "issue"


class Feedback(StrEnum):
    """What the feedback line says: nothing, done, information, sending, a problem."""

    NONE = ""
    OK = "ok"
    INFO = "info"
    BUSY = "busy"
    ERROR = "error"
