"""Sizes of the board for its screen, landscape or portrait, readable from 5 metres.

Rule: the smallest text is 5 % of the screen's short side. On a 55-inch 1080p screen
(68.5 cm short side) that is 54 px, a capital letter of about 2.4 cm: readable from 5 m
(signage guidance asks for about 2.5 cm per 5 m for average eyesight; bigger screens give
more). The called number is 22 % of the short side.

The sections' shares of the screen (SECTIONS) are the ones board.kv uses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty

#: Smallest text as a share of the short side.
MIN_TEXT = 0.05
#: Share of the screen height of each section (header, called, recent, services, footer);
#: in landscape, called/recent share the left column and services fill the right one.
SECTIONS = {
    "landscape": {"header": 0.1, "body": 0.8, "called": 0.5, "footer": 0.1},
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


def _rows(space: float, heading: float, per_row: float) -> int:
    return max(1, int((space - heading) // per_row))


def layout_for(width: float, height: float) -> Layout:
    """The board's layout for a window of `width` x `height` pixels."""
    short = min(width, height)
    portrait = height > width
    text = MIN_TEXT * short
    row = 0.07 * short
    heading = text * 1.3
    if portrait:
        recent_space = SECTIONS["portrait"]["recent"] * height
        service_space = SECTIONS["portrait"]["services"] * height
    else:
        body = SECTIONS["landscape"]["body"] * height
        recent_space = (1 - SECTIONS["landscape"]["called"]) * body
        service_space = body
    return Layout(
        portrait=portrait,
        number=0.22 * short,
        counter=0.11 * short,
        row=row,
        text=text,
        header=0.06 * short,
        padding=0.015 * short,
        recent_rows=_rows(recent_space, heading, row * 1.3),
        service_rows=_rows(service_space, heading, text * 1.5),
    )


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

    def resize(self, width: float, height: float) -> Layout:
        """Recompute for a new window size."""
        layout = layout_for(width, height)
        for name, value in asdict(layout).items():
            setattr(self, name, value)
        return layout
