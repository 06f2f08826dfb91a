"""What can go wrong with a printer, as one exception type carrying a `Failure` kind."""

from __future__ import annotations

from enum import StrEnum


class Failure(StrEnum):
    """Why a print job or a status query did not work."""

    ADDRESS = "address"
    """The printer address in the configuration is malformed."""
    NOT_FOUND = "not_found"
    """The port, host, device or file is not there (or unplugged, or switched off)."""
    PERMISSION = "permission"
    """The operating system refused access (dialout/lp group, udev rule)."""
    NOT_READY = "not_ready"
    """The printer answered and is not ready: paper out, cover open, offline, error."""
    TIMEOUT = "timeout"
    """The printer stopped answering or accepting data within the time-out."""
    CONNECTION_LOST = "connection_lost"
    """The connection dropped in the middle of a job or a query."""
    IO_ERROR = "io_error"
    """Any other error from the operating system or the driver."""


class PrinterError(Exception):
    """A printer problem, with a message that says what went wrong and where."""

    def __init__(self, failure: Failure, message: str) -> None:
        super().__init__(message)
        self.failure = failure
