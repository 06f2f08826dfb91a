"""ESC/POS bytes: golden files per layout variant, code pages, native and raster QR codes.

Regenerate the golden files after an intended change with
`LOKET_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_printer_escpos.py` and review the diff.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from printer_drivers import PrinterModel, TicketPrint, encode_ticket, load_logo
from printer_drivers.encoder import printable
from printer_drivers.samples import ACCENTS, sample_ticket

GOLDEN = Path(__file__).resolve().parent / "data" / "printer"
ISSUED = datetime(2026, 12, 1, 10, 4)
URL = "https://loket.stadvoorbeeld.example/t/Xq3v9LkT2mWc8RbN5pYh4A"
INIT_CP858 = b"\x1b@\x1bt\x13"


def walk_in(language: str = "nl") -> TicketPrint:
    return sample_ticket(ISSUED, language)


def appointment(language: str = "fr") -> TicketPrint:
    return sample_ticket(ISSUED, language, appointment=True)


VARIANTS = {
    "walkin-80-native": (walk_in(), PrinterModel.from_profile("TM-T88V")),
    "walkin-80-raster": (walk_in(), PrinterModel.from_profile("TM-T88V", raster_qr=True)),
    "walkin-58-native": (walk_in("en"), PrinterModel.from_profile("TM-T88V", paper_mm=58)),
    "walkin-58-raster": (walk_in("de"), PrinterModel.from_profile("POS-5890")),
    "appointment-80-native": (appointment(), PrinterModel.from_profile("TM-T20II")),
    "appointment-58-native": (appointment("de"), PrinterModel.from_profile("RP-F10-58mm")),
    "walkin-80-no-qr": (replace(walk_in(), qr_url=None), PrinterModel.from_profile("TM-T88V")),
}


def check_golden(name: str, data: bytes) -> None:
    """Compare with tests/data/printer/NAME.bin, saying where the bytes first differ."""
    path = GOLDEN / f"{name}.bin"
    if os.environ.get("LOKET_UPDATE_GOLDEN"):
        path.write_bytes(data)
    expected = path.read_bytes()
    if data != expected:
        at = next((i for i, (a, b) in enumerate(zip(data, expected, strict=False)) if a != b), None)
        at = min(len(data), len(expected)) if at is None else at
        pytest.fail(
            f"{name}: {len(data)} bytes, golden {len(expected)}; first difference at {at}: "
            f"{data[at : at + 24]!r} vs {expected[at : at + 24]!r}"
        )


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_golden_bytes(name: str) -> None:
    ticket, model = VARIANTS[name]
    data = encode_ticket(ticket, model)
    check_golden(name, data)
    assert data.startswith(b"\x1b@\x1bt")


def test_logo_is_converted_once_and_printed_first(tmp_path: Path) -> None:
    picture = Image.new("1", (200, 48), 1)
    ImageDraw.Draw(picture).rectangle((10, 10, 189, 37), fill=0)
    picture.save(tmp_path / "logo.png")
    model = PrinterModel.from_profile("TM-T88V")
    logo = load_logo(tmp_path / "logo.png", model.dots)
    assert load_logo(tmp_path / "logo.png", model.dots) is logo
    data = encode_ticket(walk_in(), model, logo)
    check_golden("logo-80-native", data)
    header = b"\x1dv0\x00" + bytes((45, 0, 48, 0))  # (156 + 200) / 8 rounded up, 48 rows
    assert data.startswith(INIT_CP858 + header)


def test_full_native_ticket_is_under_600_bytes() -> None:
    for name, (ticket, model) in VARIANTS.items():
        if "native" in name:
            assert len(encode_ticket(ticket, model)) < 600, name


def test_native_qr_carries_the_exact_url_in_gs_k() -> None:
    ticket, model = VARIANTS["walkin-80-native"]
    data = encode_ticket(ticket, model)
    stored = len(URL) + 3
    assert b"\x1d(k" + bytes((stored % 256, stored // 256)) + b"1P0" + URL.encode() in data
    assert b"\x1d(k\x03\x001C\x06" in data  # 6 dots per module on 80 mm
    assert b"\x1d(k\x03\x001E1" in data  # error correction M
    assert b"\x1d(k\x03\x001Q0" in data  # print it
    assert b"\x1dv0" not in data


def test_raster_qr_is_an_image_and_many_times_larger() -> None:
    native = encode_ticket(*VARIANTS["walkin-80-native"])
    raster = encode_ticket(*VARIANTS["walkin-80-raster"])
    assert b"\x1d(k" not in raster and b"\x1dv0\x00" in raster
    assert len(raster) > 10 * len(native)


def test_accents_and_euro_print_in_cp858() -> None:
    model = PrinterModel.from_profile("TM-T88V")
    data = encode_ticket(replace(walk_in(), footer=ACCENTS), model)
    assert data.startswith(INIT_CP858)
    assert b"\x82 \x8a \x89 \x88 \x87 \x85 \x94 \x81 \xe1 \xd5\n" in data
    assert ACCENTS.encode("cp858") + b"\n" in data


def test_profile_without_cp858_uses_cp1252_and_one_without_euro_spells_it_out() -> None:
    cp1252 = encode_ticket(replace(walk_in(), footer="30 €"), PrinterModel.from_profile("TM-T88II"))
    assert cp1252.startswith(b"\x1b@\x1bt\x10") and b"30 \x80\n" in cp1252
    assert printable("30 € \u2013 één", None) == "30 EUR - een"


def test_dashes_and_quotes_become_plain_ascii() -> None:
    data = encode_ticket(walk_in(), PrinterModel.from_profile("TM-T88V"))
    assert b"Stad Voorbeeld - Stadhuis\n" in data
    typographic = "l\u2019État \u201cBelge\u201d \u2026"
    assert printable(typographic, "CP858") == 'l\'État "Belge" ...'


def test_styles_are_sent_only_when_they_change() -> None:
    data = encode_ticket(walk_in(), PrinterModel.from_profile("TM-T88V"))
    assert data.count(b"\x1ba\x01") == 1  # centred once, for the whole ticket
    assert data.count(b"\x1d!") == 3  # number, service, back to normal
    assert data.endswith(b"\x1bd\x06\x1dV\x01")  # feed past the cutter, partial cut


def test_printer_without_cutter_gets_no_cut_command() -> None:
    data = encode_ticket(*VARIANTS["walkin-58-raster"])
    assert data.endswith(b"\x1bd\x06") and b"\x1dV" not in data
