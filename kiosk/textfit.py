"""Font sizes computed from the text: the largest size, in steps down from the theme's, at
which every word fits the width (no word broken: 'Teru|g') and the lines fit the height."""

from __future__ import annotations

from kivy.core.text import Label as CoreLabel

#: Each step is this much smaller than the last.
STEP = 0.9


def text_size(text: str, font_size: float, *, bold: bool) -> tuple[float, float]:
    """The size `text` takes on one line."""
    width, height = CoreLabel(font_size=font_size, bold=bold).get_extents(text)
    return float(width), float(height)


def fits(text: str, font_size: float, width: float, height: float, *, bold: bool) -> bool:
    """Whether `text` wraps into `width` without breaking a word, within `height`."""
    words = text.split()
    if not words:
        return True
    if max(text_size(word, font_size, bold=bold)[0] for word in words) > width:
        return False
    label = CoreLabel(text=text, font_size=font_size, bold=bold, text_size=(width, None))
    label.refresh()
    return label.texture is None or label.texture.size[1] <= height


def fitting_size(
    text: str, largest: float, smallest: float, width: float, height: float, *, bold: bool
) -> float:
    """The largest font size from `largest` down (in steps) to `smallest` at which `text`
    fits; `smallest` when none does."""
    size = largest
    while size > smallest:
        if fits(text, size, width, height, bold=bold):
            return size
        size *= STEP
    return smallest
