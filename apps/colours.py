"""Colours the apps share, and the WCAG contrast arithmetic their themes are checked with."""

from __future__ import annotations

#: Kivy's colour: red, green, blue, alpha, each from 0 to 1.
RGBA = tuple[float, float, float, float]

WHITE: RGBA = (1, 1, 1, 1)
BLACK: RGBA = (0, 0, 0, 1)
#: The call's yellow: on the dark grounds of the board and the terminal, and on black.
YELLOW: RGBA = (1.0, 0.80, 0.0, 1)
TRANSPARENT: RGBA = (0, 0, 0, 0)


def rgba(hex_colour: str) -> RGBA:
    """'#0b3d91' as Kivy's (r, g, b, 1.0)."""
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, 1.0)


def luminance(colour: RGBA) -> float:
    """Relative luminance (WCAG 2)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGBA, b: RGBA) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
