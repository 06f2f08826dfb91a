"""The same layout drawn as an image: the kiosk's on-screen fallback and the docs' pictures.

One pixel is one printer dot (times `scale`); each character fills a 12 x 24 cell like the
printer's font A, so lines break where they break on paper.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .encoder import printable
from .layout import CHAR_DOTS, Align, Cut, Feed, Layout, Line, Picture, QrCode, layout_ticket
from .logo import Logo
from .model import PrinterModel
from .raster import qr_image
from .ticket import TicketPrint

LINE_DOTS = 24
MARGIN = 16
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/noto")
_FONT_FILES = {
    False: ("DejaVuSansMono.ttf", "NotoSansMono-Regular.ttf"),
    True: ("DejaVuSansMono-Bold.ttf", "NotoSansMono-Bold.ttf"),
}
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def preview_image(
    ticket: TicketPrint, model: PrinterModel, logo: Logo | None = None, scale: int = 1
) -> Image.Image:
    """The ticket as the printer would print it, as a greyscale image."""
    return render_layout(layout_ticket(ticket, model.paper, logo), model.code_page, scale)


def save_preview(
    ticket: TicketPrint,
    model: PrinterModel,
    path: str | Path,
    logo: Logo | None = None,
    scale: int = 1,
) -> Path:
    """Write the preview as a PNG file; returns its path."""
    out = Path(path)
    preview_image(ticket, model, logo, scale).save(out, format="PNG", optimize=True)
    return out


def render_layout(layout: Layout, code_page: str | None = "CP858", scale: int = 1) -> Image.Image:
    """Draw every block of a layout, top to bottom, on white paper."""
    parts = [_block(block, layout.paper.dots, code_page) for block in layout.blocks]
    height = sum(part.height for part in parts) + 2 * MARGIN
    page = Image.new("L", (layout.paper.dots + 2 * MARGIN, height), 255)
    y = MARGIN
    for part in parts:
        page.paste(part, (MARGIN, y))
        y += part.height
    if scale != 1:
        page = page.resize((page.width * scale, page.height * scale), Image.Resampling.NEAREST)
    return page


def _block(block: object, dots: int, code_page: str | None) -> Image.Image:
    """One block as a strip `dots` wide."""
    if isinstance(block, Line):
        return _line(block, dots, code_page)
    if isinstance(block, Feed):
        return Image.new("L", (dots, LINE_DOTS * block.lines), 255)
    if isinstance(block, QrCode):
        code = qr_image(block.data, block.module).convert("L")
        return _centred(code, dots)
    if isinstance(block, Picture):
        strip = Image.new("L", (dots, block.logo.image.height), 255)
        strip.paste(block.logo.image.convert("L"), (0, 0))
        return strip
    if isinstance(block, Cut):
        return _cut_mark(dots)
    raise TypeError(f"unknown layout block {block!r}")


def _line(line: Line, dots: int, code_page: str | None) -> Image.Image:
    """A line of text in character cells of 12*width x 24*height dots."""
    text = printable(line.text, code_page)
    cell_w, cell_h = CHAR_DOTS * line.width, LINE_DOTS * line.height
    strip = Image.new("L", (dots, cell_h), 255)
    if not text.strip():
        return strip
    drawn = _text_image(text, line.bold, cell_h)
    width = min(dots, len(text) * cell_w)
    drawn = drawn.resize((width, cell_h), Image.Resampling.LANCZOS)
    x = (dots - width) // 2 if line.align is Align.CENTER else 0
    strip.paste(drawn, (x, 0))
    return strip


def _text_image(text: str, bold: bool, height: int) -> Image.Image:
    """The text drawn at about `height` pixels, black on white, cropped to its advance."""
    font = _font(bold, round(height * 0.82))
    width = max(1, round(font.getlength(text)))
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    stroke = 1 if bold and not _has_bold_file() else 0
    draw.text((0, height * 0.08), text, font=font, fill=0, stroke_width=stroke, stroke_fill=0)
    return image


def _centred(image: Image.Image, dots: int) -> Image.Image:
    """A strip with the image in the middle."""
    strip = Image.new("L", (dots, image.height), 255)
    strip.paste(image, ((dots - image.width) // 2, 0))
    return strip


def _cut_mark(dots: int) -> Image.Image:
    """A dashed line where the paper is cut."""
    strip = Image.new("L", (dots, LINE_DOTS), 255)
    draw = ImageDraw.Draw(strip)
    for x in range(0, dots, 12):
        draw.line((x, LINE_DOTS - 2, x + 6, LINE_DOTS - 2), fill=160)
    return strip


@functools.cache
def _font_file(bold: bool) -> str | None:
    """A monospaced TrueType font on this system, if there is one."""
    for folder in _FONT_DIRS:
        for name in _FONT_FILES[bold]:
            if (path := Path(folder) / name).is_file():
                return str(path)
    return None


def _has_bold_file() -> bool:
    """Whether a bold font file exists (else bold is drawn with a stroke)."""
    return _font_file(True) is not None


@functools.cache
def _font(bold: bool, size: int) -> Font:
    """The font for a text height; Pillow's built-in font when no system font is found."""
    path = _font_file(bold) or _font_file(False)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size)
