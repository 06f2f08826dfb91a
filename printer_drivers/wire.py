"""Shared by the transports: chunk size, deadlines and errors that name the printer."""

from __future__ import annotations

import errno
import time

from .errors import Failure, PrinterError

CHUNK = 1024


def left(deadline: float) -> float:
    """Seconds until the deadline (0 when it has passed)."""
    return max(0.0, deadline - time.monotonic())


def timed_out(label: str, sent: int, total: int, seconds: float) -> PrinterError:
    """The error for a write that did not finish in time."""
    return PrinterError(
        Failure.TIMEOUT,
        f"{label}: the printer stopped accepting data after {sent:,} of {total:,} bytes "
        f"(time-out after {seconds:.1f} s)",
    )


def os_error(label: str, exc: OSError, doing: str) -> PrinterError:
    """A PrinterError for an operating-system error, with a hint for the usual causes."""
    code = exc.errno
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return PrinterError(Failure.NOT_FOUND, f"{label}: not found while {doing} ({exc.strerror})")
    if code in (errno.EACCES, errno.EPERM):
        return PrinterError(
            Failure.PERMISSION,
            f"{label}: permission denied while {doing} (add the user to the dialout or lp "
            "group, or add a udev rule)",
        )
    if code in (errno.EPIPE, errno.ECONNRESET, errno.EIO):
        return PrinterError(
            Failure.CONNECTION_LOST, f"{label}: connection lost while {doing} ({exc.strerror})"
        )
    return PrinterError(Failure.IO_ERROR, f"{label}: error while {doing}: {exc}")
