"""`loket printer test|status|preview`, and printing to a file."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest

from loket.cli import main
from printer_drivers import Failure, PrinterModel, encode_ticket, print_bytes
from printer_drivers.samples import ACCENTS, sample_ticket
from tests.printer_fakes import FakePrinter, tcp_fake
from tests.test_printer_preview import zbar

ROOT = Path(__file__).resolve().parent.parent
TOWNHALL = str(ROOT / "config" / "townhall.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["printer", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_test_ticket_to_a_file_is_the_sample_ticket_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "ticket.bin"
    status, out, _ = run(
        capsys, "test", f"file:{out_file}", "--profile", "TM-T88V", "--at", "2026-12-01 10:04"
    )
    assert status == 0
    ticket = sample_ticket(datetime(2026, 12, 1, 10, 4), footer=f"Test: {ACCENTS}")
    expected = encode_ticket(ticket, PrinterModel.from_profile("TM-T88V"))
    assert out_file.read_bytes() == expected
    assert out.startswith(f"printed {len(expected):,} bytes to file:{out_file} in ")
    assert out.rstrip().endswith(
        "(TM-T88V, 80 mm, native QR); printer status: unknown (this connection cannot read "
        "the printer's status)"
    )


def test_test_on_a_printer_without_paper_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    with tcp_fake(printer=FakePrinter(status="paper_out")) as fake:
        status, out, err = run(capsys, "test", fake.url, "--timeout", "3")
    assert status == 1
    assert err == f"not printed: {fake.url}: paper out\n"
    assert out == "printer status: paper out\n"


def test_status_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with tcp_fake(printer=FakePrinter(status="paper_low")) as fake:
        assert run(capsys, "status", fake.url) == (
            0,
            f"{fake.url} status: paper low (near the end of the roll)\n",
            "",
        )
        fake.printer.status = "cover_open"
        assert run(capsys, "status", fake.url)[:2] == (1, f"{fake.url} status: cover open\n")


def test_silent_printer_status_says_how_long_it_waited(capsys: pytest.CaptureFixture[str]) -> None:
    with tcp_fake(printer=FakePrinter(silent=True)) as fake:
        status, out, _ = run(capsys, "status", f"{fake.url}?status_timeout=0.2")
    assert status == 1
    assert out.splitlines() == [
        f"{fake.url} status: offline",
        "  no answer to a status query within 0.2 s (printer off or unplugged, or a printer "
        "without real-time status: add ?status=off)",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["status", "tcp:127.0.0.1:ninety"],
         "error: printer address 'tcp:127.0.0.1:ninety': the port"),
        (["test", "serial:/dev/ttyUSB0?baud=9600"], "unknown option 'baud'"),
        (["test", "dummy:", "--profile", "TM-T88X"],
         "unknown printer profile 'TM-T88X' (did you mean 'TM-T88V'?)"),
        (["test"], "error: give a printer URL, or --config SITE_YAML --device ID"),
        (["test", "--device", "kiosk-inkom"], "error: --device needs --config SITE_YAML"),
        (["test", "--config", TOWNHALL, "--device", "kiosk-x"], "no device 'kiosk-x'"),
        (["status", "--config", TOWNHALL, "--device", "display-verdieping"], "has no printer"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2_and_say_what_is_wrong(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert message in err


def test_device_settings_come_from_the_site_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "test", "dummy:", "--config", TOWNHALL, "--device", "kiosk-inkom")
    assert status == 0
    assert "(TM-T20II, 80 mm, native QR)" in out


def test_preview_writes_a_png_with_the_site_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "ticket.png"
    argv = ["preview", "--out", str(png), "--config", TOWNHALL, "--paper", "58", "--language", "fr"]
    status, out, _ = run(capsys, *argv, "--appointment", "--at", "2026-12-01 10:04")
    assert status == 0 and out == f"{png}: 58 mm ticket (default), fr\n"
    assert zbar(png) == ["https://loket.stadvoorbeeld.example/t/Xq3v9LkT2mWc8RbN5pYh4A"]


def test_file_printer_appends_and_a_missing_device_is_not_found(tmp_path: Path) -> None:
    target = tmp_path / "spool.bin"
    assert print_bytes(f"file:{target}", b"one").ok
    assert print_bytes(f"file:{target}", b"two").ok
    assert target.read_bytes() == b"onetwo"
    start = time.monotonic()
    result = print_bytes("file:/dev/usb/lp-missing", b"x", timeout=1)
    assert time.monotonic() - start < 1.0
    assert not result.ok and result.failure is Failure.NOT_FOUND
    assert result.reason == (
        "file:/dev/usb/lp-missing: not found while opening (No such file or directory)"
    )


def test_usb_without_a_device_or_library_fails_cleanly() -> None:
    result = print_bytes("usb:ffff:fffe", b"x", timeout=1)
    assert not result.ok
    assert result.reason is not None and result.reason.startswith("usb:ffff:fffe: ")
    assert result.failure in (Failure.IO_ERROR, Failure.NOT_FOUND)
