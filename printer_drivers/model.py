"""Printer models: a python-escpos capability profile, the paper width, QR and code page."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from ._escpos import CAPABILITIES
from .layout import Paper

#: Code pages with €, é è ë ê ç à ö ü ß, best first; CP850 has all but €.
CODE_PAGES = ("CP858", "CP1252", "ISO_8859-15", "CP850")
PAPER_WIDTHS = (58, 80)
#: Printable dots across 58 mm paper at 203 and at 180 dpi.
_DOTS_58 = {203: 384, 180: 360}


class UnknownProfile(ValueError):
    """A printer profile name python-escpos does not know."""


@dataclass(frozen=True)
class PrinterModel:
    """How to talk to one kind of printer on one paper width."""

    profile: str = "default"
    paper_mm: int = 80
    dots: int = 512
    """Printable width in dots."""
    native_qr: bool = True
    code_page: str | None = "CP858"
    """None when the profile has none of CODE_PAGES (texts are then transliterated to ASCII)."""
    cut: bool = True

    @property
    def paper(self) -> Paper:
        """The paper the layout is made for."""
        return Paper(self.paper_mm, self.dots)

    @classmethod
    def from_profile(
        cls, name: str | None = None, paper_mm: int | None = None, raster_qr: bool = False
    ) -> PrinterModel:
        """The model for a python-escpos profile ('TM-T88V'); paper defaults to the profile's."""
        data = profile_data(name or "default")
        width = _media(data, "width", "mm")
        paper = paper_mm or (58 if width is not None and width <= 60 else 80)
        if paper not in PAPER_WIDTHS:
            raise ValueError(f"paper width must be 58 or 80 mm, got {paper}")
        features = data.get("features", {})
        return cls(
            profile=name or "default",
            paper_mm=paper,
            dots=_dots(data, paper),
            native_qr=bool(features.get("qrCode")) and not raster_qr,
            code_page=_code_page(data),
            cut=bool(features.get("paperPartCut") or features.get("paperFullCut")),
        )


def profile_names() -> list[str]:
    """Every profile python-escpos knows."""
    return sorted(CAPABILITIES["profiles"])


def profile_data(name: str) -> dict[str, Any]:
    """A profile's capability data; UnknownProfile (with a suggestion) when there is none."""
    profiles: dict[str, dict[str, Any]] = CAPABILITIES["profiles"]
    if name not in profiles:
        close = difflib.get_close_matches(name, profiles, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UnknownProfile(
            f"unknown printer profile {name!r}{hint}; python-escpos knows "
            + ", ".join(sorted(profiles))
        )
    return profiles[name]


def _media(data: dict[str, Any], *keys: str) -> float | None:
    """A number from the profile's media section, or None when it says 'Unknown'."""
    value: Any = data.get("media", {})
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return float(value) if isinstance(value, int | float) else None


def _dots(data: dict[str, Any], paper: int) -> int:
    """Printable dots across the paper."""
    pixels = _media(data, "width", "pixels")
    width = _media(data, "width", "mm")
    dpi = _media(data, "dpi") or 203
    if paper == 80:
        return int(pixels) if pixels and (width or 80) > 60 else 512
    if pixels and width is not None and width <= 60:
        return int(pixels)
    return _DOTS_58[203 if dpi >= 190 else 180]


def _code_page(data: dict[str, Any]) -> str | None:
    """The first of CODE_PAGES the profile has."""
    pages = set(data.get("codePages", {}).values())
    return next((page for page in CODE_PAGES if page in pages), None)
