"""Simple pictograms, drawn with Pillow in white on transparent and tinted by the views.

Drawn once into the kiosk's cache folder (`ensure_pictograms`); no files are downloaded.
A service's `pictogram` in the site file names one of these; unknown names get a ticket.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = 192
W = 13  # stroke width
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
Draw = ImageDraw.ImageDraw


def _box(d: Draw, x0: float, y0: float, x1: float, y1: float, r: float = 14) -> None:
    d.rounded_rectangle((x0, y0, x1, y1), radius=r, outline=WHITE, width=W)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


def _text(d: Draw, xy: tuple[float, float], text: str, size: int) -> None:
    d.text(xy, text, fill=WHITE, font=_font(size), anchor="mm")


def _person(d: Draw, cx: float, top: float, scale: float = 1.0) -> None:
    r = 17 * scale
    d.ellipse((cx - r, top, cx + r, top + 2 * r), fill=WHITE)
    d.pieslice((cx - 38 * scale, top + 44 * scale, cx + 38 * scale, top + 120 * scale),
               180, 360, fill=WHITE)  # fmt: skip


def quick(d: Draw) -> None:
    """A stopwatch with a lightning bolt: tasks under 5 minutes."""
    d.ellipse((26, 40, 166, 180), outline=WHITE, width=W)
    d.rectangle((84, 14, 108, 32), fill=WHITE)
    d.polygon([(104, 56), (66, 118), (96, 118), (86, 164), (128, 98), (98, 98)], fill=WHITE)


def id_card(d: Draw) -> None:
    _box(d, 14, 40, 178, 152)
    d.ellipse((34, 68, 74, 108), fill=WHITE)
    d.pieslice((26, 108, 82, 160), 180, 360, fill=WHITE)
    for y in (72, 98, 124):
        d.line((96, y, 160, y), fill=WHITE, width=W - 3)


def passport(d: Draw) -> None:
    _box(d, 44, 14, 148, 178, 10)
    d.ellipse((66, 52, 126, 112), outline=WHITE, width=W - 4)
    d.line((96, 52, 96, 112), fill=WHITE, width=5)
    d.line((66, 82, 126, 82), fill=WHITE, width=5)
    d.line((68, 144, 124, 144), fill=WHITE, width=W - 3)


def driving_licence(d: Draw) -> None:
    """A car seen from the side."""
    d.polygon([(20, 120), (36, 84), (62, 60), (130, 60), (156, 84), (174, 96), (174, 130),
               (20, 130)], outline=WHITE, width=W)  # fmt: skip
    d.line((66, 66, 66, 96), fill=WHITE, width=W - 4)
    d.line((20, 96, 174, 96), fill=WHITE, width=W - 4)
    for cx in (56, 140):
        d.ellipse((cx - 20, 116, cx + 20, 156), fill=WHITE)


def baby(d: Draw) -> None:
    d.ellipse((56, 16, 136, 96), outline=WHITE, width=W)
    d.ellipse((78, 48, 88, 58), fill=WHITE)
    d.ellipse((104, 48, 114, 58), fill=WHITE)
    d.arc((80, 56, 112, 80), 20, 160, fill=WHITE, width=6)
    d.rounded_rectangle((46, 108, 146, 178), radius=36, outline=WHITE, width=W)


def family(d: Draw) -> None:
    _person(d, 58, 24, 1.0)
    _person(d, 134, 24, 1.0)
    _person(d, 96, 92, 0.6)
    d.rectangle((10, 170, 182, 180), fill=WHITE)


def rings(d: Draw) -> None:
    d.ellipse((18, 56, 118, 156), outline=WHITE, width=W)
    d.ellipse((74, 56, 174, 156), outline=WHITE, width=W)
    d.polygon([(68, 30), (84, 14), (100, 30), (84, 48)], fill=WHITE)


def house(d: Draw) -> None:
    d.polygon([(96, 16), (176, 88), (16, 88)], outline=WHITE, width=W)
    d.rectangle((38, 88, 154, 174), outline=WHITE, width=W)
    d.rectangle((80, 118, 112, 174), fill=WHITE)


def parking(d: Draw) -> None:
    _box(d, 20, 20, 172, 172, 24)
    _text(d, (96, 100), "P", 120)


def waste(d: Draw) -> None:
    d.line((36, 44, 156, 44), fill=WHITE, width=W)
    d.rectangle((80, 20, 112, 36), fill=WHITE)
    d.polygon([(46, 58), (146, 58), (134, 176), (58, 176)], outline=WHITE, width=W)
    for x in (78, 96, 114):
        d.line((x, 80, x, 154), fill=WHITE, width=7)


def question(d: Draw) -> None:
    d.ellipse((16, 16, 176, 176), outline=WHITE, width=W)
    _text(d, (96, 98), "?", 110)


def letter(d: Draw) -> None:
    _box(d, 14, 44, 178, 150, 8)
    d.line((20, 50, 96, 108, 172, 50), fill=WHITE, width=W, joint="curve")


def ticket(d: Draw) -> None:
    d.rounded_rectangle((24, 30, 168, 162), radius=10, outline=WHITE, width=W)
    for y in (70, 96, 122):
        d.line((52, y, 140, y), fill=WHITE, width=W - 3)


def calendar(d: Draw) -> None:
    _box(d, 18, 30, 174, 176, 12)
    d.rectangle((18, 30, 174, 66), fill=WHITE)
    for x in (56, 136):
        d.line((x, 12, x, 44), fill=WHITE, width=W)
    d.line((58, 118, 86, 146, 138, 90), fill=WHITE, width=W + 2, joint="curve")


def help_(d: Draw) -> None:
    """A person asking a question."""
    _person(d, 66, 56, 1.1)
    d.rounded_rectangle((104, 10, 184, 80), radius=18, fill=WHITE)
    d.polygon([(112, 72), (104, 100), (136, 78)], fill=WHITE)
    d.text((144, 45), "?", fill=CLEAR, font=_font(56), anchor="mm")


def accessibility(d: Draw) -> None:
    """An eye above sound waves: easier to see and hear."""
    d.arc((6, 24, 186, 204), 220, 320, fill=WHITE, width=W)
    d.arc((6, -66, 186, 114), 40, 140, fill=WHITE, width=W)
    d.ellipse((74, 34, 118, 78), fill=WHITE)
    for r in (22, 46):
        d.arc((96 - r, 170 - r, 96 + r, 170 + r), 220, 320, fill=WHITE, width=10)
    d.ellipse((88, 162, 104, 178), fill=WHITE)


def speaker(d: Draw) -> None:
    d.polygon([(20, 72), (56, 72), (100, 32), (100, 160), (56, 120), (20, 120)], fill=WHITE)
    for r in (30, 56):
        d.arc((100 - r, 96 - r, 100 + r, 96 + r), -50, 50, fill=WHITE, width=W - 2)


def contrast(d: Draw) -> None:
    d.ellipse((20, 20, 172, 172), outline=WHITE, width=W)
    d.pieslice((20, 20, 172, 172), 90, 270, fill=WHITE)


def text_size(d: Draw) -> None:
    _text(d, (56, 118), "A", 76)
    _text(d, (128, 100), "A", 130)


def language(d: Draw) -> None:
    """Two speech bubbles."""
    d.rounded_rectangle((14, 18, 124, 98), radius=16, outline=WHITE, width=W)
    d.polygon([(34, 94), (34, 124), (62, 96)], fill=WHITE)
    d.rounded_rectangle((70, 82, 178, 160), radius=16, fill=WHITE)
    d.polygon([(150, 156), (158, 184), (130, 158)], fill=WHITE)


def back(d: Draw) -> None:
    d.line((160, 96, 40, 96), fill=WHITE, width=W + 4)
    d.line((88, 46, 38, 96, 88, 146), fill=WHITE, width=W + 4, joint="curve")


def restart(d: Draw) -> None:
    """A circular arrow: start again."""
    d.arc((30, 30, 162, 162), 40, 320, fill=WHITE, width=W + 2)
    d.polygon([(170, 80), (168, 34), (124, 72)], fill=WHITE)


def yes(d: Draw) -> None:
    d.line((30, 100, 78, 148, 166, 46), fill=WHITE, width=W + 8, joint="curve")


def no(d: Draw) -> None:
    d.line((44, 44, 148, 148), fill=WHITE, width=W + 8)
    d.line((148, 44, 44, 148), fill=WHITE, width=W + 8)


def printer(d: Draw) -> None:
    _box(d, 16, 70, 176, 140, 12)
    d.rectangle((52, 20, 140, 70), outline=WHITE, width=W - 3)
    d.rectangle((52, 120, 140, 178), fill=WHITE)


def offline(d: Draw) -> None:
    """Wireless waves, struck through."""
    for r in (40, 80):
        d.arc((96 - r, 160 - r, 96 + r, 160 + r), 225, 315, fill=WHITE, width=W)
    d.ellipse((82, 146, 110, 174), fill=WHITE)
    d.line((30, 20, 170, 176), fill=WHITE, width=W + 2)


def clock(d: Draw) -> None:
    d.ellipse((20, 20, 172, 172), outline=WHITE, width=W)
    d.line((96, 96, 96, 48), fill=WHITE, width=W)
    d.line((96, 96, 132, 118), fill=WHITE, width=W)


def documents(d: Draw) -> None:
    d.polygon([(40, 16), (124, 16), (156, 48), (156, 178), (40, 178)], outline=WHITE, width=W)
    for y in (80, 110, 140):
        d.line((64, y, 132, y), fill=WHITE, width=W - 4)


def keypad(d: Draw) -> None:
    for row in range(3):
        for col in range(3):
            x, y = 30 + col * 48, 30 + row * 48
            d.rounded_rectangle((x, y, x + 36, y + 36), radius=6, fill=WHITE)


PICTOGRAMS: dict[str, Callable[[Draw], None]] = {
    "quick": quick,
    "id-card": id_card,
    "passport": passport,
    "driving-licence": driving_licence,
    "baby": baby,
    "family": family,
    "rings": rings,
    "house": house,
    "parking": parking,
    "waste": waste,
    "question": question,
    "letter": letter,
    "ticket": ticket,
    "calendar": calendar,
    "help": help_,
    "accessibility": accessibility,
    "speaker": speaker,
    "contrast": contrast,
    "text-size": text_size,
    "language": language,
    "back": back,
    "restart": restart,
    "yes": yes,
    "no": no,
    "printer": printer,
    "offline": offline,
    "clock": clock,
    "documents": documents,
    "keypad": keypad,
}


def draw(name: str) -> Image.Image:
    """One pictogram as a white-on-transparent RGBA image."""
    image = Image.new("RGBA", (SIZE, SIZE), CLEAR)
    PICTOGRAMS.get(name, ticket)(ImageDraw.Draw(image))
    return image


def ensure_pictograms(folder: str | Path) -> Path:
    """Draw every pictogram into `folder` (once); returns the folder."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name in PICTOGRAMS:
        path = out / f"{name}.png"
        if not path.exists():
            draw(name).save(path, format="PNG")
    return out


def pictogram_name(name: str | None) -> str:
    """A known pictogram name for a site file's `pictogram` (a ticket when unknown)."""
    return name if name in PICTOGRAMS else "ticket"
