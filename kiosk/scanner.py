"""Barcode and QR scanners: a keyboard wedge (keystrokes ending in Enter) or a serial device.

Both hand a whole scan to `on_scan(text)`; the presenter turns it into a booking code. The
serial reader runs on its own thread: `on_scan` is called there (the app hands it over to
the UI thread).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from urllib.parse import parse_qsl, urlparse

log = logging.getLogger(__name__)

#: A scanner types a whole code within well under a second; a stale half code is dropped.
MAX_GAP_S = 1.0
MAX_LENGTH = 512


class WedgeDecoder:
    """Keystrokes from a keyboard-wedge scanner, gathered until Enter."""

    def __init__(self, on_scan: Callable[[str], None]) -> None:
        self.on_scan = on_scan
        self._buffer: list[str] = []
        self._last = 0.0

    def text(self, characters: str, now: float) -> None:
        """Printable characters arrived (Kivy's on_textinput)."""
        if self._buffer and now - self._last > MAX_GAP_S:
            self._buffer.clear()
        self._last = now
        if len(self._buffer) < MAX_LENGTH:
            self._buffer.append(characters)

    def enter(self, now: float) -> None:
        """Enter (or Tab, for scanners set up that way): the scan is complete."""
        code = "".join(self._buffer).strip()
        fresh = now - self._last <= MAX_GAP_S
        self._buffer.clear()
        if code and fresh:
            self.on_scan(code)


def parse_serial_address(address: str) -> tuple[str, dict[str, int]]:
    """'serial:/dev/ttyACM0?baudrate=9600' → ('/dev/ttyACM0', {'baudrate': 9600})."""
    url = urlparse(address)
    if url.scheme != "serial" or not url.path:
        raise ValueError(f"scanner address {address!r}: use serial:/dev/ttyACM0?baudrate=9600")
    options = {}
    for key, value in parse_qsl(url.query):
        if key != "baudrate" or not value.isdigit():
            raise ValueError(f"scanner address {address!r}: unknown option {key}={value}")
        options[key] = int(value)
    return url.path, options


class SerialScanner:
    """Reads CR/LF-terminated scans from a serial port (USB-CDC scanners look like one)."""

    def __init__(self, address: str, on_scan: Callable[[str], None]) -> None:
        self.port, options = parse_serial_address(address)
        self.baudrate = options.get("baudrate", 9600)
        self.on_scan = on_scan
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-scanner", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        import serial

        while not self._stop.is_set():
            try:
                with serial.Serial(self.port, self.baudrate, timeout=0.2) as port:
                    log.info("scanner on %s", self.port)
                    self._read(port)
            except (serial.SerialException, OSError) as error:
                log.warning("scanner %s: %s; trying again", self.port, error)
                self._stop.wait(2.0)

    def _read(self, port: object) -> None:
        buffer = b""
        while not self._stop.is_set():
            chunk: bytes = port.read(256)  # type: ignore[attr-defined]
            if not chunk:
                continue
            buffer += chunk
            *lines, buffer = buffer.replace(b"\r", b"\n").split(b"\n")
            for line in lines:
                text = line.decode("utf-8", errors="replace").strip()
                if text:
                    self.on_scan(text)
            buffer = buffer[-MAX_LENGTH:]
