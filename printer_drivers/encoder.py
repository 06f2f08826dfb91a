"""Layout → ESC/POS bytes through python-escpos, with the code page forced once.

Every command goes through python-escpos's `_raw(bytes)` of a recorder (like its `Dummy`),
so the bytes for a ticket are computed before any printer is touched and tests can compare
them exactly. Styles are sent only when they change.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ._escpos import CAPABILITIES, QR_ECLEVEL_M, Escpos
from .layout import Align, Cut, Feed, Layout, Line, Paper, Picture, QrCode, layout_ticket
from .logo import Logo
from .model import PrinterModel
from .raster import centred, qr_image, raster_command
from .ticket import TicketPrint

#: Typographic characters that code pages for Western Europe lack, and what to print.
_PLAIN = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": ",",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2026": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2022": "-",
        "\u20ac": "EUR",
    }
)


class Recorder(Escpos):  # type: ignore[misc]  # python-escpos has no type hints
    """python-escpos's command set, keeping the bytes instead of sending them."""

    def __init__(self, profile: str) -> None:
        super().__init__(profile=profile)
        self.chunks: list[bytes] = []

    def _raw(self, msg: bytes) -> None:
        """Keep one command's bytes."""
        self.chunks.append(bytes(msg))

    @property
    def output(self) -> bytes:
        """All bytes so far."""
        return b"".join(self.chunks)


@dataclass
class _Style:
    """The printer's current text style, to send only changes."""

    align: Align = Align.LEFT
    bold: bool = False
    size: tuple[int, int] = (1, 1)


def encode_ticket(ticket: TicketPrint, model: PrinterModel, logo: Logo | None = None) -> bytes:
    """The ESC/POS bytes of a ticket for a printer model."""
    return encode_layout(layout_ticket(ticket, model.paper, logo), model)


def encode_layout(layout: Layout, model: PrinterModel) -> bytes:
    """The ESC/POS bytes of a layout: initialise, code page, blocks, cut."""
    printer = Recorder(model.profile)
    printer.hw("INIT")
    if model.code_page is not None:
        printer.charcode(model.code_page)
    style = _Style()
    for block in layout.blocks:
        if isinstance(block, Line):
            _line(printer, style, block, model.code_page)
        elif isinstance(block, Feed):
            printer.ln(block.lines)
        elif isinstance(block, QrCode):
            _qr(printer, style, block, model, layout.paper)
        elif isinstance(block, Picture):
            printer._raw(block.logo.command)
        elif isinstance(block, Cut):
            printer.cut(mode="PART")
    return printer.output


def _line(printer: Recorder, style: _Style, line: Line, code_page: str | None) -> None:
    """Style changes, then the text and a line feed."""
    _set(printer, style, line.align, line.bold, (line.width, line.height))
    printer.text(printable(line.text, code_page) + "\n")


def _set(printer: Recorder, style: _Style, align: Align, bold: bool, size: tuple[int, int]) -> None:
    """Send the style commands that differ from the current style."""
    if align != style.align:
        printer.set(align=align.value)
        style.align = align
    if bold != style.bold:
        printer.set(bold=bold)
        style.bold = bold
    if size != style.size:
        printer.set(custom_size=True, width=size[0], height=size[1])
        style.size = size


def _qr(printer: Recorder, style: _Style, block: QrCode, model: PrinterModel, paper: Paper) -> None:
    """The printer's own QR command when the profile has one, else a raster image."""
    if model.native_qr:
        _set(printer, style, Align.CENTER, style.bold, style.size)
        printer.qr(block.data, ec=QR_ECLEVEL_M, size=block.module, native=True)
    else:
        _set(printer, style, Align.LEFT, style.bold, style.size)
        printer._raw(raster_command(centred(qr_image(block.data, block.module), paper.dots)))


def printable(text: str, code_page: str | None) -> str:
    """`text` with what the code page cannot print replaced (dashes, quotes, accents …)
    and control characters left out: the printer would take them as commands."""
    codec = _codec(code_page)
    out = []
    for char in text:
        if unicodedata.category(char) == "Cc":
            continue
        if _encodes(char, codec):
            out.append(char)
            continue
        plain = char.translate(_PLAIN)
        if plain != char and all(_encodes(c, codec) for c in plain):
            out.append(plain)
            continue
        base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(base or "?")
    return "".join(out)


def _codec(code_page: str | None) -> str:
    """Python's codec for an escpos code page name (ASCII when there is none)."""
    if code_page is None:
        return "ascii"
    codec: str = CAPABILITIES["encodings"][code_page].get("python_encode", "ascii")
    return codec


def _encodes(char: str, codec: str) -> bool:
    """Whether the codec has the character."""
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True
