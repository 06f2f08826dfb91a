"""Raster images for the printer: QR codes drawn here (the fallback) and logos, as GS v 0."""

from __future__ import annotations

import qrcode
from PIL import Image

from ._escpos import Escpos, EscposImage

GS_V_0 = b"\x1dv0\x00"


def qr_image(data: str, module: int, border: int = 0) -> Image.Image:
    """A black-on-white QR code (error correction M), `module` pixels per module."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=module, border=border
    )
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    pixels = image.load()
    assert pixels is not None
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                pixels[x, y] = 0
    return image.resize((size * module, size * module), Image.Resampling.NEAREST)


def centred(image: Image.Image, dots: int) -> Image.Image:
    """The image with white added on the left so it sits in the middle of `dots`.

    Only the left margin is added: printers that ignore justification for raster images
    still centre it, and the right margin costs no bytes.
    """
    margin = max(0, (dots - image.width) // 2)
    if margin == 0:
        return image.convert("1")
    out = Image.new("1", (margin + image.width, image.height), 1)
    out.paste(image.convert("1"), (margin, 0))
    return out


def raster_command(image: Image.Image) -> bytes:
    """GS v 0: the image as a raster bit image in normal density."""
    escpos_image = EscposImage(image)
    width: bytes = Escpos._int_low_high(escpos_image.width_bytes, 2)
    height: bytes = Escpos._int_low_high(escpos_image.height, 2)
    data: bytes = escpos_image.to_raster_format()
    return GS_V_0 + width + height + data
