"""The kiosk's screens, overlays and print states: what the presenter shows, as Enums.

They are StrEnums: the presenter keeps them in string properties that kv and the window
bind to, and the script hook's `until` compares them by value.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Overlay", "PrintState", "Screen"]


class Screen(StrEnum):
    """One screen of the flow (each drawn by its own kv file)."""

    WELCOME = "welcome"
    START = "start"
    KEYPAD = "keypad"
    CHECKED_IN = "checked_in"
    SERVICES = "services"
    NOTICE = "notice"
    TICKET = "ticket"
    CARE = "care"


class Overlay(StrEnum):
    """What covers the screen, if anything."""

    NONE = ""
    IDLE = "idle"
    HELP = "help"
    ACCESSIBILITY = "accessibility"


class PrintState(StrEnum):
    """Where the ticket on the ticket screen is."""

    NONE = ""
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"
