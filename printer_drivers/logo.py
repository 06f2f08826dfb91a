"""An optional logo on top of the ticket: loaded, scaled, dithered and converted once."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from .raster import centred, raster_command

MAX_HEIGHT_DOTS = 160


@dataclass(frozen=True, eq=False)
class Logo:
    """A 1-bit logo, already centred for one paper width, with its ESC/POS bytes."""

    image: Image.Image
    command: bytes = field(repr=False)


def load_logo(path: str | Path, dots: int, max_height: int = MAX_HEIGHT_DOTS) -> Logo:
    """The logo at `path` for paper `dots` wide; cached until the file changes."""
    file = Path(path)
    return _load(str(file.resolve()), file.stat().st_mtime_ns, dots, max_height)


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, dots: int, max_height: int) -> Logo:
    """Read, fit within dots x max_height, dither to 1 bit, centre, and encode."""
    with Image.open(path) as source:
        source.load()
        image = source.convert("RGBA")
    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
    image = Image.alpha_composite(white, image).convert("L")
    image.thumbnail((dots, max_height), Image.Resampling.LANCZOS)
    bitmap = centred(image.convert("1"), dots)
    return Logo(image=bitmap, command=raster_command(bitmap))
