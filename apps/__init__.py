"""The runtime the Kivy apps share (kiosk, staff terminal, display board, pairing).

`ui`: Kivy's settings (`configure_kivy`), the UI-thread hop (`on_ui`, `ui_thread`), the clock
(`utc_now`), data folders, the first-frame report · `runner`: slow work off the UI thread
(`ThreadRunner`, `InlineRunner`, `Outcome`) · `app`: the apps' `LoketApp` base · `script`: the
one test hook (LOKET_UI_SCRIPT, LOKET_UI_TRACE) · `speech` · `pairing`: the pairing screen.
"""

#: The modules other packages may import; the rest is this package's own.
__all__ = ["app", "colours", "pairing", "runner", "script", "speech", "ui"]
