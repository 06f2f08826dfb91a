"""Transports: open, write, read and close a printer connection, every wait bounded.

Each method that can block takes a `deadline` (a `time.monotonic()` value) and raises
`PrinterError` with a message naming the printer when it cannot finish in time. Transports
are opened and closed explicitly (no `__del__`); `open_transport` only builds one.
"""

from __future__ import annotations

from typing import Protocol

from .address import (
    FileAddress,
    PrinterAddress,
    SerialAddress,
    TcpAddress,
    UsbAddress,
    parse_printer_address,
)
from .local import DummyTransport, FileTransport
from .serial_port import SerialTransport
from .tcp import TcpTransport


class Transport(Protocol):
    """A connection to one printer."""

    label: str
    status_timeout: float
    """How long to wait for the answer to one status query."""
    sent: int
    """Bytes written since the transport was made."""

    @property
    def can_read(self) -> bool:
        """Whether status queries can be answered on this connection."""

    def open(self, deadline: float) -> None:
        """Connect; PrinterError when the printer is not there or does not answer in time."""

    def write(self, data: bytes, deadline: float) -> None:
        """Send all of `data`, or raise PrinterError."""

    def read(self, size: int, deadline: float) -> bytes:
        """Up to `size` bytes; b'' when nothing came before the deadline."""

    def discard_input(self) -> None:
        """Drop bytes received but not read (stale status answers)."""

    def close(self) -> None:
        """Disconnect; never blocks on a stuck printer and never raises."""


def open_transport(address: str | PrinterAddress) -> Transport:
    """The (not yet opened) transport for an address or a URL-style setting."""
    if isinstance(address, str):
        address = parse_printer_address(address)
    if isinstance(address, SerialAddress):
        return SerialTransport(address)
    if isinstance(address, TcpAddress):
        return TcpTransport(address)
    if isinstance(address, UsbAddress):
        from .usb import UsbTransport

        return UsbTransport(address)
    if isinstance(address, FileAddress):
        return FileTransport(address)
    return DummyTransport(address)
