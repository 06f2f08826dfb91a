"""The board's and the staff terminal's colours keep the contrast their themes promise."""

from __future__ import annotations

from apps.colours import contrast, rgba
from display_board import theme as board
from staff_terminal import theme as staff


def test_contrast_arithmetic_matches_wcag() -> None:
    assert round(contrast(rgba("#000000"), rgba("#ffffff")), 1) == 21.0
    assert round(contrast(rgba("#777777"), rgba("#ffffff")), 2) == 4.48


def test_the_board_is_readable_from_afar() -> None:
    for colour in (board.TEXT, board.MUTED, board.ACCENT):
        assert contrast(colour, board.BACKGROUND) >= 12
        assert contrast(colour, board.PANEL) >= 9
    assert contrast(board.INK, board.ACCENT) >= 12  # the called number on yellow
    assert contrast(board.TEXT, board.OFFLINE) >= 4.5


def test_the_terminal_meets_aa_everywhere_and_aaa_on_its_grounds() -> None:
    for ground in (staff.BACKGROUND, staff.PANEL, staff.BUTTON):
        assert contrast(staff.TEXT, ground) >= 7
    for name, colour in staff.FEEDBACK.items():
        if name:
            assert contrast(staff.TEXT, colour) >= 7, name
    for colour in (*staff.STATUS.values(), staff.SELECTED):
        assert contrast(staff.TEXT, colour) >= 4.5
