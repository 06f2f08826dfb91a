"""Previews and QR codes read back with zbar: the PNG, and the raster QR from the ESC/POS bytes."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from printer_drivers import PrinterModel, encode_ticket, preview_image, save_preview
from printer_drivers.samples import sample_ticket

URL = "https://loket.stadvoorbeeld.example/t/Xq3v9LkT2mWc8RbN5pYh4A"
ISSUED = datetime(2026, 12, 1, 10, 4)


def zbar(path: Path) -> list[str]:
    """The QR codes zbarimg finds in an image."""
    if shutil.which("zbarimg") is None:
        raise RuntimeError("zbarimg is not installed (Debian package zbar-tools; `make test`)")
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    return found.stdout.splitlines()


@pytest.mark.parametrize(
    ("profile", "paper", "appointment"),
    [("TM-T88V", 80, False), ("TM-T88V", 58, True), ("POS-5890", None, False)],
)
def test_preview_png_carries_the_exact_url(
    tmp_path: Path, profile: str, paper: int | None, appointment: bool
) -> None:
    model = PrinterModel.from_profile(profile, paper)
    ticket = sample_ticket(ISSUED, "nl", appointment)
    path = save_preview(ticket, model, tmp_path / "ticket.png")
    assert zbar(path) == [URL]
    with Image.open(path) as image:
        assert image.width == model.dots + 32
        assert image.mode == "L"


def test_preview_is_one_dot_per_pixel_and_scales() -> None:
    model = PrinterModel.from_profile("TM-T88V")
    ticket = sample_ticket(ISSUED)
    small, large = preview_image(ticket, model), preview_image(ticket, model, scale=2)
    assert large.size == (small.width * 2, small.height * 2)
    assert preview_image(replace(ticket, qr_url=None), model).height < small.height - 198


def raster_images(data: bytes) -> list[Image.Image]:
    """Every GS v 0 image in ESC/POS bytes, as black on white."""
    images, at = [], data.find(b"\x1dv0")
    while at >= 0:
        width = data[at + 4] + 256 * data[at + 5]
        height = data[at + 6] + 256 * data[at + 7]
        body = data[at + 8 : at + 8 + width * height]
        bits = Image.frombytes("1", (width * 8, height), body)  # 1 = a black dot on paper
        images.append(ImageOps.invert(bits.convert("L")))
        at = data.find(b"\x1dv0", at + 8 + len(body))
    return images


@pytest.mark.parametrize(("profile", "paper"), [("TM-T88V", 80), ("POS-5890", None)])
def test_raster_qr_in_the_escpos_bytes_decodes_to_the_exact_url(
    tmp_path: Path, profile: str, paper: int | None
) -> None:
    model = PrinterModel.from_profile(profile, paper, raster_qr=True)
    assert not model.native_qr
    data = encode_ticket(sample_ticket(ISSUED, "de"), model)
    [image] = raster_images(data)
    assert image.width <= model.dots
    quiet = ImageOps.expand(image, border=40, fill=255)  # paper around the code
    quiet.save(tmp_path / "raster.png")
    assert zbar(tmp_path / "raster.png") == [URL]
