"""The ticket layout: a pure function from a `TicketPrint` to lines, a QR code and a cut.

Both outputs read the same layout: ESC/POS bytes (`encoder`) and the PNG preview
(`preview`). Lines are wrapped here, in characters of the printer's font A (12 x 24 dots).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from enum import StrEnum

from .logo import Logo
from .texts import date_time_text, label, labelled, time_text, wait_text
from .ticket import TicketPrint

CHAR_DOTS = 12
MAX_NUMBER_SIZE = {58: 5, 80: 6}
QR_MODULE = {58: 5, 80: 6}


class Align(StrEnum):
    """Where a line sits."""

    LEFT = "left"
    CENTER = "center"


@dataclass(frozen=True)
class Line:
    """One printed line, already wrapped to fit."""

    text: str
    align: Align = Align.CENTER
    bold: bool = False
    width: int = 1
    """Character width multiplier (1-8)."""
    height: int = 1
    """Character height multiplier (1-8)."""


@dataclass(frozen=True)
class Feed:
    """Empty lines."""

    lines: int = 1


@dataclass(frozen=True)
class QrCode:
    """A centred QR code, `module` dots per module."""

    data: str
    module: int


@dataclass(frozen=True)
class Picture:
    """A centred 1-bit image (the logo)."""

    logo: Logo


@dataclass(frozen=True)
class Cut:
    """Feed past the cutter and cut (partially: the ticket stays until taken)."""


Block = Line | Feed | QrCode | Picture | Cut


@dataclass(frozen=True)
class Paper:
    """The paper: nominal width and printable dots."""

    mm: int = 80
    dots: int = 512

    @property
    def columns(self) -> int:
        """Characters per line at normal size."""
        return self.dots // CHAR_DOTS


@dataclass(frozen=True)
class Layout:
    """A ticket ready to be encoded or drawn."""

    paper: Paper
    blocks: tuple[Block, ...]


def layout_ticket(ticket: TicketPrint, paper: Paper, logo: Logo | None = None) -> Layout:
    """The blocks of a ticket, top to bottom."""
    blocks: list[Block] = []
    if logo is not None:
        blocks += [Picture(logo), Feed()]
    blocks += _wrapped(ticket.site_name, paper, bold=True)
    blocks += [Feed(), Line(label("your_number", ticket.language))]
    blocks.append(_number(ticket.number, paper))
    blocks += _service(ticket.service_name, paper)
    if ticket.where:
        blocks += _wrapped(labelled("where", ticket.where, ticket.language), paper, bold=True)
    blocks.append(Line(date_time_text(ticket.issued_at)))
    blocks += _queue_lines(ticket, paper)
    blocks += _documents(ticket, paper)
    if ticket.qr_url:
        blocks += [Feed(), QrCode(ticket.qr_url, QR_MODULE[_nominal(paper)]), Feed()]
        blocks += _wrapped(label("scan", ticket.language), paper)
    footer = label("footer", ticket.language) if ticket.footer is None else ticket.footer
    if footer:
        blocks += [Feed(), *_wrapped(footer, paper)]
    blocks.append(Cut())
    return Layout(paper, tuple(blocks))


def _nominal(paper: Paper) -> int:
    """58 or 80: the paper class, for sizes that depend on it."""
    return 58 if paper.mm <= 60 else 80


def _number(number: str, paper: Paper) -> Line:
    """The ticket number, as large as fits (up to 6 x 6 on 80 mm, 5 x 5 on 58 mm)."""
    fits = paper.dots // (CHAR_DOTS * max(1, len(number)))
    size = max(1, min(MAX_NUMBER_SIZE[_nominal(paper)], fits))
    return Line(number, bold=True, width=size, height=size)


def _service(name: str, paper: Paper) -> list[Block]:
    """The service in double size when it fits on two lines, else in double height."""
    large = _wrapped(name, paper, bold=True, width=2, height=2)
    return large if len(large) <= 2 else _wrapped(name, paper, bold=True, height=2)


def _queue_lines(ticket: TicketPrint, paper: Paper) -> list[Block]:
    """Appointment time, or position and expected wait for a walk-in."""
    lang = ticket.language
    lines: list[Block] = [Feed()]
    if ticket.appointment_at is not None:
        text = labelled("appointment", time_text(ticket.appointment_at, lang), lang)
        return lines + _wrapped(text, paper, bold=True)
    if ticket.position is not None:
        lines += _wrapped(labelled("position", str(ticket.position), lang), paper)
    if ticket.expected_wait_minutes is not None:
        wait = wait_text(ticket.expected_wait_minutes, lang)
        lines += _wrapped(labelled("expected_wait", wait, lang), paper)
    return lines if len(lines) > 1 else []


def _documents(ticket: TicketPrint, paper: Paper) -> list[Block]:
    """'Please bring:' and the documents, per service when there are several."""
    if not ticket.documents:
        return []
    colon = " :" if ticket.language == "fr" else ":"
    blocks: list[Block] = [
        Feed(),
        Line(label("please_bring", ticket.language) + colon, Align.LEFT, bold=True),
    ]
    for documents in ticket.documents:
        if len(ticket.documents) > 1:
            blocks.append(Line(documents.service_name + colon, Align.LEFT))
        for item in documents.items:
            blocks += _wrapped(item, paper, align=Align.LEFT, first="- ", rest="  ")
    return blocks


def _wrapped(
    text: str,
    paper: Paper,
    align: Align = Align.CENTER,
    bold: bool = False,
    width: int = 1,
    height: int = 1,
    first: str = "",
    rest: str = "",
) -> list[Block]:
    """`text` as lines that fit the paper, with optional first-line and hanging indents."""
    rows = textwrap.wrap(
        " ".join(text.split()),
        width=paper.columns // width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=True,
        break_on_hyphens=False,
    )
    return [Line(row, align, bold, width, height) for row in rows]
