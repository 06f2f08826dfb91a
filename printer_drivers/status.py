"""Real-time printer status (DLE EOT n): the queries, their answers, and what they mean."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from .errors import Failure, PrinterError

if TYPE_CHECKING:
    from .transports import Transport

DLE_EOT = b"\x10\x04"
PRINTER, OFFLINE_CAUSE, ERROR_CAUSE, PAPER_SENSOR = 1, 2, 3, 4

# Every status byte has bits 1 and 4 set and bits 0 and 7 clear.
_FIXED_MASK, _FIXED_BITS = 0x93, 0x12
_OFFLINE = 0x08  # n=1
_COVER_OPEN, _PAPER_END_STOP, _ERROR = 0x04, 0x20, 0x40  # n=2
_CUTTER_ERROR, _UNRECOVERABLE, _AUTO_RECOVERABLE = 0x08, 0x20, 0x40  # n=3
_NEAR_END, _PAPER_END = 0x0C, 0x60  # n=4


class PrinterStatus(StrEnum):
    """What the printer says about itself, worst first when several apply."""

    ONLINE = "online"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    ERROR = "error"
    UNKNOWN = "unknown"
    """The connection cannot read back (file:, status=off): nothing is known."""

    @property
    def ready(self) -> bool:
        """Whether a ticket may be sent (paper low still prints; unknown is tried)."""
        return self in (PrinterStatus.ONLINE, PrinterStatus.PAPER_LOW, PrinterStatus.UNKNOWN)

    @property
    def text(self) -> str:
        """A short English description for logs and the command line."""
        return _TEXTS[self]


_TEXTS = {
    PrinterStatus.ONLINE: "online",
    PrinterStatus.PAPER_LOW: "paper low (near the end of the roll)",
    PrinterStatus.PAPER_OUT: "paper out",
    PrinterStatus.COVER_OPEN: "cover open",
    PrinterStatus.OFFLINE: "offline",
    PrinterStatus.ERROR: "printer error (cutter jam, overheating or a mechanical fault)",
    PrinterStatus.UNKNOWN: "unknown (this connection cannot read the printer's status)",
}


@dataclass(frozen=True)
class StatusReport:
    """A status with the raw answers it came from (n → byte) and a readable detail."""

    status: PrinterStatus
    detail: str
    answers: Mapping[int, int] = field(default_factory=dict)


def query(n: int) -> bytes:
    """The real-time status request DLE EOT n."""
    return DLE_EOT + bytes((n,))


def is_status_byte(value: int) -> bool:
    """Whether a byte has the fixed bits every DLE EOT answer has."""
    return value & _FIXED_MASK == _FIXED_BITS


def interpret(answers: Mapping[int, int]) -> PrinterStatus:
    """The status that the answers to DLE EOT 1-4 describe."""
    printer = answers.get(PRINTER, _FIXED_BITS)
    cause = answers.get(OFFLINE_CAUSE, _FIXED_BITS)
    errors = answers.get(ERROR_CAUSE, _FIXED_BITS)
    paper = answers.get(PAPER_SENSOR, _FIXED_BITS)
    if paper & _PAPER_END or cause & _PAPER_END_STOP:
        return PrinterStatus.PAPER_OUT
    if cause & _COVER_OPEN:
        return PrinterStatus.COVER_OPEN
    if cause & _ERROR or errors & (_CUTTER_ERROR | _UNRECOVERABLE | _AUTO_RECOVERABLE):
        return PrinterStatus.ERROR
    if printer & _OFFLINE:
        return PrinterStatus.OFFLINE
    if paper & _NEAR_END:
        return PrinterStatus.PAPER_LOW
    return PrinterStatus.ONLINE


def answers_for(status: PrinterStatus) -> dict[int, int]:
    """What a printer in `status` answers to DLE EOT 1-4 (for the dummy transport)."""
    printer, cause, errors, paper = _FIXED_BITS, _FIXED_BITS, _FIXED_BITS, _FIXED_BITS
    if status is PrinterStatus.PAPER_LOW:
        paper |= _NEAR_END
    elif status is PrinterStatus.PAPER_OUT:
        printer, cause, paper = printer | _OFFLINE, cause | _PAPER_END_STOP, paper | _PAPER_END
        paper |= _NEAR_END
    elif status is PrinterStatus.COVER_OPEN:
        printer, cause = printer | _OFFLINE, cause | _COVER_OPEN
    elif status is PrinterStatus.OFFLINE:
        printer |= _OFFLINE
    elif status is PrinterStatus.ERROR:
        printer, cause, errors = printer | _OFFLINE, cause | _ERROR, errors | _AUTO_RECOVERABLE
    return {PRINTER: printer, OFFLINE_CAUSE: cause, ERROR_CAUSE: errors, PAPER_SENSOR: paper}


def query_status(
    transport: Transport, timeout: float = 1.0, deadline: float | None = None
) -> StatusReport:
    """Ask an open transport for the printer's status; each question waits up to `timeout` s."""
    if not transport.can_read:
        return StatusReport(PrinterStatus.UNKNOWN, PrinterStatus.UNKNOWN.text)
    transport.discard_input()
    ask = _Asker(transport, timeout, deadline)
    first = ask(PRINTER)
    if first is None:
        detail = (
            f"no answer to a status query within {ask.waited:g} s (printer off or unplugged, "
            "or a printer without real-time status: add ?status=off)"
        )
        return StatusReport(PrinterStatus.OFFLINE, detail)
    answers = {PRINTER: first}
    for n in (OFFLINE_CAUSE, PAPER_SENSOR) if first & _OFFLINE else (PAPER_SENSOR,):
        if (answer := ask(n)) is not None:
            answers[n] = answer
    if answers.get(OFFLINE_CAUSE, 0) & _ERROR and (answer := ask(ERROR_CAUSE)) is not None:
        answers[ERROR_CAUSE] = answer
    status = interpret(answers)
    return StatusReport(status, status.text, answers)


class _Asker:
    """Sends DLE EOT n and waits for a status byte, within a per-question and a total limit."""

    def __init__(self, transport: Transport, timeout: float, deadline: float | None) -> None:
        self.transport = transport
        self.timeout = timeout
        self.deadline = deadline
        self.waited = 0.0

    def __call__(self, n: int) -> int | None:
        """The answer byte, or None when none comes in time.

        The first byte after the question must be a status byte: a device that answers with
        anything else is not an ESC/POS printer (or not one that speaks real-time status).
        """
        start = time.monotonic()
        until = start + self.timeout
        if self.deadline is not None:
            until = min(until, self.deadline)
        try:
            self.transport.write(query(n), until)
            while time.monotonic() < until:
                data = self.transport.read(1, until)
                if data:
                    return self._checked(n, data[0])
            return None
        finally:
            self.waited = round(time.monotonic() - start, 1)

    def _checked(self, n: int, answer: int) -> int:
        """The answer, or an error when it is not a status byte."""
        if not is_status_byte(answer):
            raise PrinterError(
                Failure.IO_ERROR,
                f"{self.transport.label}: answered 0x{answer:02x} to status query DLE EOT {n}, "
                "which is not a printer status (is this an ESC/POS printer? if it is one "
                "without real-time status, add ?status=off)",
            )
        return answer
