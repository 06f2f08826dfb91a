"""Device files (/dev/usb/lp0) and the in-memory dummy printer."""

from __future__ import annotations

import os
import select
import time

from .address import DummyAddress, FileAddress
from .errors import Failure, PrinterError
from .status import DLE_EOT, PrinterStatus, answers_for
from .wire import CHUNK, left, os_error, timed_out


class FileTransport:
    """A device file such as /dev/usb/lp0, written without blocking past the deadline."""

    can_read = False

    def __init__(self, address: FileAddress) -> None:
        self.address = address
        self.label = address.label
        self.status_timeout = address.status_timeout
        self.sent = 0
        self._fd: int | None = None

    def open(self, deadline: float) -> None:
        """Open for writing; a missing device is an error, a missing plain file is created."""
        flags = os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
        if not self.address.path.startswith("/dev/"):
            flags |= os.O_CREAT | os.O_APPEND
        try:
            self._fd = os.open(self.address.path, flags, 0o644)
        except OSError as exc:
            raise os_error(self.label, exc, "opening") from None

    def write(self, data: bytes, deadline: float) -> None:
        """Write everything, waiting for the device only until the deadline."""
        fd = self._opened()
        start, total, done = time.monotonic(), len(data), 0
        try:
            while done < total:
                try:
                    done += os.write(fd, data[done : done + CHUNK])
                except BlockingIOError:
                    _, ready, _ = select.select([], [fd], [], left(deadline))
                    if not ready:
                        raise timed_out(self.label, done, total, time.monotonic() - start) from None
        except OSError as exc:
            raise os_error(self.label, exc, "writing") from None
        finally:
            self.sent += done

    def read(self, size: int, deadline: float) -> bytes:
        """Files are write only."""
        return b""

    def discard_input(self) -> None:
        """Nothing to discard."""

    def close(self) -> None:
        """Close the file."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def _opened(self) -> int:
        """The open descriptor, or an error when the transport was not opened."""
        if self._fd is None:
            raise PrinterError(Failure.IO_ERROR, f"{self.label}: not open")
        return self._fd


class DummyTransport:
    """Keeps what is written; answers status queries as a printer in `answer` would."""

    def __init__(self, address: DummyAddress | None = None) -> None:
        self.label = (address or DummyAddress()).label
        self.answer = (address or DummyAddress()).answer
        self.status_timeout = 0.1
        self.sent = 0
        self.is_open = False
        self._written = bytearray()
        self._pending = bytearray()

    @property
    def can_read(self) -> bool:
        """Only a dummy given a status answers status queries."""
        return self.answer not in (None, PrinterStatus.UNKNOWN)

    @property
    def output(self) -> bytes:
        """Everything written so far (status queries included)."""
        return bytes(self._written)

    def open(self, deadline: float) -> None:
        """Nothing to connect to."""
        self.is_open = True

    def write(self, data: bytes, deadline: float) -> None:
        """Keep the bytes and queue answers to the status queries among them."""
        if not self.is_open:
            raise PrinterError(Failure.IO_ERROR, f"{self.label}: not open")
        self._written += data
        self.sent += len(data)
        if self.can_read and self.answer is not None:
            answers = answers_for(self.answer)
            start = 0
            while (at := data.find(DLE_EOT, start)) >= 0 and at + 2 < len(data):
                if (n := data[at + 2]) in answers:
                    self._pending.append(answers[n])
                start = at + 2

    def read(self, size: int, deadline: float) -> bytes:
        """Queued answers, at once."""
        data, self._pending = bytes(self._pending[:size]), self._pending[size:]
        return data

    def discard_input(self) -> None:
        """Drop queued answers."""
        self._pending.clear()

    def close(self) -> None:
        """Mark closed; the output stays readable."""
        self.is_open = False
