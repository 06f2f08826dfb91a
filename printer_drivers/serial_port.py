"""Serial printers through pyserial."""

from __future__ import annotations

import errno
import os
import time

import serial

from .address import SerialAddress
from .errors import Failure, PrinterError
from .wire import CHUNK, left, os_error, timed_out


class SerialTransport:
    """A serial port through pyserial."""

    def __init__(self, address: SerialAddress) -> None:
        self.address = address
        self.label = address.label
        self.can_read = address.status
        self.status_timeout = address.status_timeout
        self.sent = 0
        self._port: serial.Serial | None = None

    def open(self, deadline: float) -> None:
        """Open the port with the address's line settings and flow control."""
        port = serial.Serial()
        port.port = self.address.port
        port.baudrate = self.address.baudrate
        port.bytesize = self.address.bytesize
        port.parity = self.address.parity
        port.stopbits = self.address.stopbits
        port.rtscts = self.address.flow == "rtscts"
        port.xonxoff = self.address.flow == "xonxoff"
        port.exclusive = True
        try:
            port.open()
        except serial.SerialException as exc:
            raise _serial_error(self.label, exc, "opening the port") from None
        self._port = port

    def write(self, data: bytes, deadline: float) -> None:
        """Write in chunks; the write time-out is what is left until the deadline."""
        port = self._opened()
        start, total, done = time.monotonic(), len(data), 0
        try:
            while done < total:
                if (remaining := left(deadline)) <= 0:
                    raise timed_out(self.label, done, total, time.monotonic() - start)
                port.write_timeout = remaining
                chunk = data[done : done + CHUNK]
                port.write(chunk)
                done += len(chunk)
            self._wait_sent(deadline, start, total)
        except serial.SerialTimeoutException:
            raise timed_out(self.label, done, total, time.monotonic() - start) from None
        except serial.SerialException as exc:
            raise _serial_error(self.label, exc, "writing") from None
        finally:
            self.sent += done

    def _wait_sent(self, deadline: float, start: float, total: int) -> None:
        """Wait until the kernel has passed everything on (flow control may hold it back)."""
        port = self._opened()
        while waiting := port.out_waiting:
            if left(deadline) <= 0:
                raise timed_out(self.label, total - waiting, total, time.monotonic() - start)
            time.sleep(0.005)

    def read(self, size: int, deadline: float) -> bytes:
        """Read what arrives before the deadline."""
        port = self._opened()
        port.timeout = left(deadline)
        try:
            return bytes(port.read(size))
        except serial.SerialException as exc:
            raise _serial_error(self.label, exc, "reading") from None

    def discard_input(self) -> None:
        """Drop unread input."""
        self._opened().reset_input_buffer()

    def close(self) -> None:
        """Close; output still held back by flow control is thrown away, not waited for."""
        port, self._port = self._port, None
        if port is None:
            return
        try:
            if port.out_waiting:
                port.reset_output_buffer()
        except (OSError, serial.SerialException):
            pass
        port.close()

    def _opened(self) -> serial.Serial:
        """The open port, or an error when the transport was not opened."""
        if self._port is None:
            raise PrinterError(Failure.IO_ERROR, f"{self.label}: not open")
        return self._port


def _serial_error(label: str, exc: serial.SerialException, doing: str) -> PrinterError:
    """A PrinterError for what pyserial reported (it keeps the OS errno when there is one)."""
    code = exc.errno if isinstance(exc.errno, int) else None
    if code in (errno.EAGAIN, errno.EBUSY):
        return PrinterError(Failure.IO_ERROR, f"{label}: the port is in use by another program")
    if code is None:
        return PrinterError(Failure.IO_ERROR, f"{label}: error while {doing}: {exc}")
    return os_error(label, OSError(code, os.strerror(code)), doing)
