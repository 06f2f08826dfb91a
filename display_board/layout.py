"""Sizes of the board for its screen, landscape or portrait, readable from 5 metres.

Rule: the smallest text is 5 % of the screen's short side. On a 55-inch 1080p screen
(68.5 cm short side) that is 54 px, a capital letter of about 2.4 cm: readable from 5 m
(signage guidance asks for about 2.5 cm per 5 m for average eyesight; bigger screens give
more). The called number is 22 % of the short side. Large text (the site file's `large_text`)
scales every font by LARGE_TEXT_SCALE; fewer rows fit and the services turn over in pages.

The sections' shares of the screen (SECTIONS) are the ones board.kv uses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kivy.core.text import Label as CoreLabel
from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty

#: Smallest text as a share of the short side.
MIN_TEXT = 0.05
#: Font scale of large-text mode (as the kiosk's).
LARGE_TEXT_SCALE = 1.35
#: Share of a service row's width the name has (prefix, name, waiting, wait: board.kv).
NAME_SHARE = 0.58
#: Lines a service name may wrap onto before it is shortened with "…".
MAX_NAME_LINES = 3
#: Share of the screen height of each section (header, called, recent, services, footer);
#: in landscape, called/recent share the left column and services fill the right one.
SECTIONS = {
    "landscape": {"header": 0.1, "body": 0.8, "called": 0.5, "services": 0.55, "footer": 0.1},
    "portrait": {"header": 0.07, "called": 0.25, "recent": 0.25, "services": 0.33,
                 "footer": 0.1},
}  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """Font sizes (px) and row counts for one screen size."""

    portrait: bool
    number: float
    counter: float
    row: float
    text: float
    header: float
    padding: float
    recent_rows: int
    service_rows: int
    #: Width (px) of a service row's name column: a longer name wraps onto a second line.
    name_width: float


def _rows(space: float, heading: float, per_row: float) -> int:
    return max(1, int((space - heading) // per_row))


def layout_for(width: float, height: float, *, large_text: bool = False) -> Layout:
    """The board's layout for a window of `width` x `height` pixels."""
    short = min(width, height)
    portrait = height > width
    scale = LARGE_TEXT_SCALE if large_text else 1.0
    text = MIN_TEXT * short * scale
    row = 0.07 * short * scale
    heading = text * 1.3
    padding = 0.015 * short
    if portrait:
        recent_space = SECTIONS["portrait"]["recent"] * height
        service_space = SECTIONS["portrait"]["services"] * height
        panel_width = width - 2 * padding
    else:
        body = SECTIONS["landscape"]["body"] * height
        recent_space = (1 - SECTIONS["landscape"]["called"]) * body
        service_space = body
        panel_width = (width - 3 * padding) * SECTIONS["landscape"]["services"]
    return Layout(
        portrait=portrait,
        number=0.22 * short * scale,
        counter=0.11 * short * scale,
        row=row,
        text=text,
        header=0.06 * short * scale,
        padding=padding,
        recent_rows=_rows(recent_space, heading, row * 1.3),
        service_rows=_rows(service_space, heading, text * 1.5),
        name_width=(panel_width - 5 * padding) * NAME_SHARE,
    )


def name_lines(name: str, layout: Layout) -> int:
    """Lines `name` takes in the services' name column, wrapped at spaces as Kivy does
    (more than MAX_NAME_LINES when a word alone is wider than the column)."""
    width = CoreLabel(font_size=layout.text).get_extents
    lines, line = 1, ""
    for word in name.split():
        if width(word)[0] > layout.name_width:
            return MAX_NAME_LINES + 1  # Kivy would break the word itself
        longer = f"{line} {word}".strip()
        if line and width(longer)[0] > layout.name_width:
            lines, line = lines + 1, word
        else:
            line = longer
    return lines


class BoardLayout(EventDispatcher):  # type: ignore[misc]
    """The current layout as Kivy properties the .kv binds to."""

    portrait = BooleanProperty(False)
    number = NumericProperty(100)
    counter = NumericProperty(50)
    row = NumericProperty(30)
    text = NumericProperty(20)
    header = NumericProperty(24)
    padding = NumericProperty(10)
    recent_rows = NumericProperty(4)
    service_rows = NumericProperty(6)
    name_width = NumericProperty(200)

    def __init__(self, *, large_text: bool = False) -> None:
        super().__init__()
        self.large_text = large_text

    def resize(self, width: float, height: float) -> Layout:
        """Recompute for a new window size."""
        layout = layout_for(width, height, large_text=self.large_text)
        for name, value in asdict(layout).items():
            setattr(self, name, value)
        return layout
