"""The screen's physical size, for touch targets of real millimetres.

Read from the display itself where it says (the EDID each connected monitor gives the
kernel, under /sys/class/drm/*/edid), else from the site file's device entry, else the
default; a command-line option overrides them all (`choose`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

HEADER = bytes.fromhex("00ffffffffffff00")
BLOCK = 128
#: Where Linux lists the connectors of each graphics card.
DRM = Path("/sys/class/drm")
#: A 21.5-inch 16:9 panel (the kiosk's default).
DEFAULT_WIDTH_MM = 476.0


def edid_size_mm(edid: bytes) -> tuple[int, int] | None:
    """(width, height) in mm of an EDID's preferred mode (its first detailed timing),
    else its basic size in cm; None when the blob is not a valid EDID or gives no size."""
    if len(edid) < BLOCK or edid[:8] != HEADER or sum(edid[:BLOCK]) % 256:
        return None
    timing = edid[54:72]
    if timing[0] or timing[1]:  # a detailed timing, not a display descriptor
        width = timing[12] | (timing[14] & 0xF0) << 4
        height = timing[13] | (timing[14] & 0x0F) << 8
        if width and height:
            return width, height
    if edid[21] and edid[22]:  # the basic size: centimetres (0 for projectors)
        return edid[21] * 10, edid[22] * 10
    return None


def detected_width_mm(drm: Path = DRM) -> float | None:
    """The width of the first connected monitor that states its size; None if none does."""
    for connector in sorted(drm.glob("card*-*")):
        try:
            if (connector / "status").read_text().strip() != "connected":
                continue
            size = edid_size_mm((connector / "edid").read_bytes())
        except OSError:
            continue
        if size is not None:
            log.info("screen %s: %d x %d mm (EDID)", connector.name, *size)
            return float(size[0])
    return None


def choose(*candidates: T | None, default: T) -> T:
    """The first of `candidates` that is set (command line, site file, detected …)."""
    return next((value for value in candidates if value is not None), default)
