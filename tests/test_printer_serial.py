"""Serial printers through a socat pseudo-terminal pair, a fake printer process on the far end."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from printer_drivers import (
    Failure,
    PrinterModel,
    PrinterStatus,
    encode_ticket,
    print_bytes,
    print_ticket,
    printer_status,
)
from printer_drivers.samples import sample_ticket
from tests.printer_fakes import SerialFake

TICKET = sample_ticket(datetime(2026, 12, 1, 10, 4))
MODEL = PrinterModel.from_profile("TM-T20II")


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[SerialFake]:
    printer = SerialFake(tmp_path)
    try:
        yield printer
    finally:
        printer.stop()


def url(fake: SerialFake, options: str = "baudrate=19200") -> str:
    return f"serial:{fake.port}?{options}"


def test_ticket_arrives_byte_for_byte_after_a_status_check(fake: SerialFake) -> None:
    result = print_ticket(url(fake), TICKET, MODEL, timeout=5)
    assert result.ok, result.reason
    assert result.status is PrinterStatus.ONLINE
    data = encode_ticket(TICKET, MODEL)
    assert result.bytes_sent == len(data)
    status = b"\x10\x04\x01\x10\x04\x04"
    assert fake.received == status + data + status


@pytest.mark.parametrize("status", ["paper_low", "paper_out", "cover_open", "error"])
def test_status_is_read_back(fake: SerialFake, status: str) -> None:
    fake.command(f"status {status}")
    report = printer_status(url(fake))
    assert report.status is PrinterStatus(status)


def test_paper_out_refuses_the_job_and_sends_nothing(fake: SerialFake) -> None:
    fake.command("status paper_out")
    result = print_ticket(url(fake), TICKET, MODEL, timeout=5)
    assert not result.ok and result.failure is Failure.NOT_READY
    assert result.status is PrinterStatus.PAPER_OUT
    assert result.reason == f"serial:{fake.port}: paper out"
    assert fake.received == b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"


def test_paper_running_out_during_the_job_is_reported(fake: SerialFake) -> None:
    fake.command("paper_out_after 100")
    result = print_ticket(url(fake), TICKET, MODEL, timeout=5)
    assert not result.ok and result.status is PrinterStatus.PAPER_OUT
    assert result.reason == f"serial:{fake.port}: paper out (after sending the ticket)"
    assert result.bytes_sent == len(encode_ticket(TICKET, MODEL))


def test_a_printer_that_stops_answering_is_offline_within_the_status_timeout(
    fake: SerialFake,
) -> None:
    fake.command("silent")
    start = time.monotonic()
    result = print_bytes(url(fake, "status_timeout=0.3"), b"ticket", timeout=5)
    assert time.monotonic() - start < 2.0
    assert not result.ok and result.status is PrinterStatus.OFFLINE
    assert "no answer to a status query within 0.3 s" in (result.reason or "")


def test_status_off_prints_blind(fake: SerialFake) -> None:
    fake.command("silent")
    result = print_bytes(url(fake, "status=off&flow=rtscts"), b"\x1b@blind\n", timeout=5)
    assert result.ok and result.status is PrinterStatus.UNKNOWN
    deadline = time.monotonic() + 2
    while fake.received != b"\x1b@blind\n" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert fake.received == b"\x1b@blind\n"


def test_a_missing_port_says_so(tmp_path: Path) -> None:
    result = print_bytes(f"serial:{tmp_path}/ttyUSB9", b"ticket", timeout=2)
    assert not result.ok and result.failure is Failure.NOT_FOUND
    assert result.status is PrinterStatus.OFFLINE
    assert result.reason == (
        f"serial:{tmp_path}/ttyUSB9: not found while opening the port (No such file or directory)"
    )


def test_a_stalled_line_times_out_without_holding_up_the_kiosk(fake: SerialFake) -> None:
    fake.command("stall")
    start = time.monotonic()
    result = print_bytes(url(fake, "status=off"), b"\x00" * 1_000_000, timeout=1.0)
    assert time.monotonic() - start < 2.5
    assert not result.ok and result.failure is Failure.TIMEOUT
    assert result.status is PrinterStatus.OFFLINE
    assert "the printer stopped accepting data after" in (result.reason or "")
    assert "of 1,000,000 bytes (time-out after 1.0 s)" in (result.reason or "")
    assert 0 < result.bytes_sent < 1_000_000
