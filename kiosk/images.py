"""Images: pictograms (tinted), QR codes drawn on the spot, and the unprinted ticket."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import qrcode
from kivy.core.image import Image as CoreImage
from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.image import Image

from kiosk.widgets import Showable


class Pictogram(Image):  # type: ignore[misc]
    """A pictogram by name, tinted to the text colour next to it."""

    name = StringProperty("")
    folder = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fit_mode = "contain"
        self.bind(name=self._load, folder=self._load)
        self._load()

    def _load(self, *_: object) -> None:
        path = Path(self.folder) / f"{self.name}.png"
        self.source = str(path) if self.name and self.folder and path.exists() else ""
        self.opacity = 1 if self.source else 0


class PreviewImage(Image):  # type: ignore[misc]
    """A picture of the ticket that could not be printed; invisible without one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fit_mode = "contain"
        self.bind(source=self._toggle)
        self._toggle()

    def _toggle(self, *_: object) -> None:
        self.opacity = 1 if self.source else 0
        self.size_hint_x = 1 if self.source else None
        if not self.source:
            self.width = 0


class QrImage(Image, Showable):  # type: ignore[misc]
    """A QR code of `data`; hidden when there is none."""

    data = StringProperty("")
    shown = BooleanProperty(True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fit_mode = "contain"
        self.bind(data=self._render, shown=self.apply_shown)
        self._render()

    def _render(self, *_: object) -> None:
        if not self.data:
            self.texture, self.shown = None, False
            return
        self.texture = qr_texture(self.data)
        self.shown = True


def qr_texture(data: str) -> Texture:
    """A QR code as a Kivy texture (black on white with a quiet zone, sharp when scaled)."""
    code = qrcode.QRCode(border=4, box_size=10, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    texture: Texture = CoreImage(buffer, ext="png").texture
    texture.mag_filter = "nearest"
    return texture
