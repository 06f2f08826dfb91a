"""Print jobs: check the printer, send the ticket, check again; never raise, never hang.

The ticket already exists in the hub when it is printed. When printing fails the caller gets
the reason and the printer's status, and shows the number and QR code on screen instead.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from .address import PrinterAddress, PrinterAddressError
from .encoder import encode_ticket
from .errors import Failure, PrinterError
from .logo import Logo
from .model import PrinterModel
from .status import PrinterStatus, StatusReport, query_status
from .ticket import TicketPrint
from .transports import Transport, open_transport

DEFAULT_TIMEOUT = 10.0
log = logging.getLogger(__name__)

#: The status to report when a job failed before the printer could say anything.
_STATUS_OF_FAILURE = {
    Failure.ADDRESS: PrinterStatus.ERROR,
    Failure.NOT_FOUND: PrinterStatus.OFFLINE,
    Failure.PERMISSION: PrinterStatus.ERROR,
    Failure.TIMEOUT: PrinterStatus.OFFLINE,
    Failure.CONNECTION_LOST: PrinterStatus.OFFLINE,
    Failure.IO_ERROR: PrinterStatus.ERROR,
}


@dataclass(frozen=True)
class PrintResult:
    """How a print job went: ok, or the failure and its reason; and the printer's status."""

    ok: bool
    status: PrinterStatus
    reason: str | None = None
    """What went wrong and where, in English (for the log and the device status)."""
    failure: Failure | None = None
    bytes_sent: int = 0
    """Bytes of the job that reached the connection (status queries not counted)."""
    seconds: float = 0.0


Target = str | PrinterAddress | Transport


def print_ticket(
    printer: Target,
    ticket: TicketPrint,
    model: PrinterModel,
    *,
    logo: Logo | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> PrintResult:
    """Print a ticket within `timeout` seconds in all."""
    return print_bytes(printer, encode_ticket(ticket, model, logo), timeout=timeout)


def print_bytes(printer: Target, data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> PrintResult:
    """Send ESC/POS bytes: status before (refuse when not ready), the data, status after."""
    start = time.monotonic()
    deadline = start + timeout
    try:
        transport = _transport(printer)
    except PrinterAddressError as exc:
        return PrintResult(False, PrinterStatus.ERROR, str(exc), Failure.ADDRESS)
    sent_before: int | None = None
    try:
        transport.open(deadline)
        before = _status(transport, deadline)
        if not before.status.ready:
            return _result(start, before.status, f"{transport.label}: {before.detail}")
        sent_before = transport.sent
        transport.write(data, deadline)
        sent = transport.sent - sent_before
        try:
            after = _status(transport, deadline)
        except PrinterError as exc:
            raise PrinterError(exc.failure, f"{exc} (after sending the ticket)") from None
        if not after.status.ready:
            reason = f"{transport.label}: {after.detail} (after sending the ticket)"
            return _result(start, after.status, reason, sent)
        return PrintResult(True, after.status, bytes_sent=sent, seconds=_since(start))
    except PrinterError as exc:
        sent = 0 if sent_before is None else transport.sent - sent_before
        status = _STATUS_OF_FAILURE[exc.failure]
        return PrintResult(False, status, str(exc), exc.failure, sent, _since(start))
    except Exception as exc:  # a driver bug must not take the kiosk down: report it instead
        log.exception("print job on %s failed unexpectedly", transport.label)
        reason = f"{transport.label}: unexpected error: {exc!r}"
        return PrintResult(False, PrinterStatus.ERROR, reason, Failure.IO_ERROR, 0, _since(start))
    finally:
        transport.close()


def printer_status(printer: Target, *, timeout: float = 3.0) -> StatusReport:
    """Connect, ask for the status, disconnect; problems become OFFLINE or ERROR reports."""
    deadline = time.monotonic() + timeout
    try:
        transport = _transport(printer)
    except PrinterAddressError as exc:
        return StatusReport(PrinterStatus.ERROR, str(exc))
    try:
        transport.open(deadline)
        return _status(transport, deadline)
    except PrinterError as exc:
        return StatusReport(_STATUS_OF_FAILURE[exc.failure], str(exc))
    except Exception as exc:  # as in print_bytes: report, do not raise
        log.exception("status query on %s failed unexpectedly", transport.label)
        return StatusReport(PrinterStatus.ERROR, f"{transport.label}: unexpected error: {exc!r}")
    finally:
        transport.close()


def _transport(printer: Target) -> Transport:
    """A transport for whatever the caller gave."""
    if isinstance(printer, str | PrinterAddress):
        return open_transport(printer)
    return printer


def _status(transport: Transport, deadline: float) -> StatusReport:
    """The status, each question bounded by the transport's status time-out."""
    return query_status(transport, transport.status_timeout, deadline)


def _result(start: float, status: PrinterStatus, reason: str, sent: int = 0) -> PrintResult:
    """A failed job because the printer is not ready."""
    return PrintResult(False, status, reason, Failure.NOT_READY, sent, _since(start))


def _since(start: float) -> float:
    """Seconds since `start`, rounded to milliseconds."""
    return round(time.monotonic() - start, 3)
