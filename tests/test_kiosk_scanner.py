"""Scanners: keyboard wedge keystrokes, and a serial scanner over a real socat pty pair."""

from __future__ import annotations

import queue
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial

from kiosk.scanner import SerialScanner, WedgeDecoder, parse_serial_address
from kiosk.visit import booking_code_from_scan


def test_wedge_gathers_keystrokes_until_enter() -> None:
    scans: list[str] = []
    wedge = WedgeDecoder(scans.append)
    for i, ch in enumerate("K7P2WX"):
        wedge.text(ch, 10.0 + i * 0.01)
    wedge.enter(10.1)
    assert scans == ["K7P2WX"]


def test_wedge_drops_a_stale_half_scan() -> None:
    scans: list[str] = []
    wedge = WedgeDecoder(scans.append)
    wedge.text("K7", 10.0)
    wedge.text("A", 15.0)
    wedge.enter(15.05)
    wedge.text("Z", 20.0)
    wedge.enter(25.0)
    assert scans == ["A"]


@pytest.mark.parametrize(
    ("scanned", "code"),
    [
        ("K7P2WX", "K7P2WX"),
        (" k7p2-wx \r", "K7P2WX"),
        ("https://www.stadvoorbeeld.example/afspraak?code=k7p2wx", "K7P2WX"),
        ("https://example.org/a/bevestiging/K7P2WX/", "K7P2WX"),
        ("https://example.org/x?lang=nl&booking_code=R9M4TA", "R9M4TA"),
    ],
)
def test_booking_code_from_what_was_scanned(scanned: str, code: str) -> None:
    assert booking_code_from_scan(scanned) == code


def test_serial_address() -> None:
    assert parse_serial_address("serial:/dev/ttyACM0?baudrate=115200") == (
        "/dev/ttyACM0",
        {"baudrate": 115200},
    )
    with pytest.raises(ValueError, match="unknown option"):
        parse_serial_address("serial:/dev/ttyACM0?speed=fast")
    with pytest.raises(ValueError, match="use serial:"):
        parse_serial_address("tcp:1.2.3.4:9")


@pytest.fixture
def pty_pair(tmp_path: Path) -> Iterator[tuple[str, str]]:
    if shutil.which("socat") is None:
        pytest.fail("the serial scanner test needs socat: sudo apt-get install socat")
    a, b = tmp_path / "scanner", tmp_path / "kiosk"
    proc = subprocess.Popen(
        ["socat", f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 5
    while not (a.exists() and b.exists()):
        assert time.monotonic() < deadline, "socat did not make the pty pair"
        time.sleep(0.02)
    try:
        yield str(a), str(b)
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_serial_scanner_reads_each_scan_over_a_real_pty(pty_pair: tuple[str, str]) -> None:
    device_end, kiosk_end = pty_pair
    scans: queue.Queue[str] = queue.Queue()
    scanner = SerialScanner(f"serial:{kiosk_end}?baudrate=9600", scans.put)
    scanner.start()
    try:
        with serial.Serial(device_end, 9600, timeout=1) as device:
            time.sleep(0.3)  # the scanner opens its end
            device.write(b"K7P2WX\r\nhttps://x.example/?code=R9M4TA\r")
            device.write(b"\n")
            device.flush()
            assert scans.get(timeout=3) == "K7P2WX"
            assert scans.get(timeout=3) == "https://x.example/?code=R9M4TA"
    finally:
        scanner.close()
