"""Kivy's window settings, set before the window is created (shared with the staff app)."""

from __future__ import annotations

import os


def configure_kivy(width: int, height: int, fullscreen: bool) -> None:
    """Window and input settings; call before anything imports kivy.core.window."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from kivy.config import Config

    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "borderless", "1" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    # No red dots from multitouch emulation; Escape does not quit (the apps use it).
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("kivy", "exit_on_escape", "0")
