"""Printer status: DLE EOT answers decoded into an Enum; jobs refuse a printer that cannot print."""

from __future__ import annotations

import time

import pytest

from printer_drivers import Failure, PrinterStatus, print_bytes, printer_status, query_status
from printer_drivers.local import DummyTransport
from printer_drivers.status import answers_for, interpret
from tests.printer_fakes import ANSWERS


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_epson_answers_decode_to_the_status(name: str) -> None:
    assert interpret(ANSWERS[name]) is PrinterStatus(name)
    assert interpret(answers_for(PrinterStatus(name))) is PrinterStatus(name)


def test_worst_problem_wins() -> None:
    assert interpret({1: 0x1A, 2: 0x36, 4: 0x12}) is PrinterStatus.PAPER_OUT  # cover + paper
    assert interpret({1: 0x1A, 2: 0x12}) is PrinterStatus.OFFLINE
    assert interpret({1: 0x12, 4: 0x1E}) is PrinterStatus.PAPER_LOW
    assert PrinterStatus.PAPER_LOW.ready and PrinterStatus.UNKNOWN.ready
    assert not PrinterStatus.COVER_OPEN.ready


def test_query_asks_only_what_it_needs() -> None:
    printer = DummyTransport()
    printer.answer = PrinterStatus.ONLINE
    printer.open(time.monotonic() + 1)
    assert query_status(printer).status is PrinterStatus.ONLINE
    assert printer.output == b"\x10\x04\x01\x10\x04\x04"
    printer.answer = PrinterStatus.ERROR
    report = query_status(printer)
    assert report.status is PrinterStatus.ERROR
    assert printer.output.endswith(b"\x10\x04\x01\x10\x04\x02\x10\x04\x04\x10\x04\x03")
    assert report.answers == {1: 0x1A, 2: 0x52, 3: 0x52, 4: 0x12}


def test_a_transport_that_cannot_read_reports_unknown_and_still_prints() -> None:
    printer = DummyTransport()
    result = print_bytes(printer, b"\x1b@hello\n")
    assert result.ok and result.status is PrinterStatus.UNKNOWN
    assert printer.output == b"\x1b@hello\n" and not printer.is_open


@pytest.mark.parametrize("status", ["paper_out", "cover_open", "offline", "error"])
def test_a_printer_that_cannot_print_gets_nothing(status: str) -> None:
    result = print_bytes(f"dummy:?status={status}", b"ticket")
    assert not result.ok and result.failure is Failure.NOT_READY
    assert result.status is PrinterStatus(status)
    assert result.bytes_sent == 0
    assert PrinterStatus(status).text in (result.reason or "")


def test_paper_low_prints_and_says_so() -> None:
    result = print_bytes("dummy:?status=paper_low", b"ticket")
    assert result.ok and result.status is PrinterStatus.PAPER_LOW and result.bytes_sent == 6


def test_bad_address_is_a_failed_job_not_an_exception() -> None:
    result = print_bytes("tcp:printer:ninety", b"ticket")
    assert not result.ok and result.failure is Failure.ADDRESS
    assert result.status is PrinterStatus.ERROR
    assert "the port must be a whole number" in (result.reason or "")
    assert printer_status("lpt:1").status is PrinterStatus.ERROR
