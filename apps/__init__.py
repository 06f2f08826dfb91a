"""The runtime the Kivy apps share (kiosk, staff terminal, display board, pairing)."""

#: The modules other packages may import; the rest is this package's own.
__all__ = ["colours", "pairing", "script", "speech"]
