"""Network printers: a fake printer on a loopback TCP port that answers, goes silent or drops."""

from __future__ import annotations

import socket
import threading
import time
from datetime import datetime

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
from tests.printer_fakes import FakePrinter, tcp_fake

TICKET = sample_ticket(datetime(2026, 12, 1, 10, 4), "fr", appointment=True)
MODEL = PrinterModel.from_profile("TM-T88V")
STATUS = b"\x10\x04\x01\x10\x04\x04"


def test_ticket_arrives_over_one_connection_between_two_status_checks() -> None:
    with tcp_fake() as fake:
        result = print_ticket(fake.url, TICKET, MODEL, timeout=5)
        assert result.ok, result.reason
        assert result.status is PrinterStatus.ONLINE
        assert bytes(fake.printer.received) == STATUS + encode_ticket(TICKET, MODEL) + STATUS
    assert fake.connections == 1


def test_status_over_tcp() -> None:
    with tcp_fake(printer=FakePrinter(status="cover_open")) as fake:
        assert printer_status(fake.url).status is PrinterStatus.COVER_OPEN
        fake.printer.status = "paper_low"
        assert printer_status(fake.url).status is PrinterStatus.PAPER_LOW


def test_a_silent_printer_is_offline_after_the_status_timeout() -> None:
    with tcp_fake(printer=FakePrinter(silent=True)) as fake:
        start = time.monotonic()
        result = print_ticket(f"{fake.url}?status_timeout=0.3", TICKET, MODEL, timeout=5)
        assert 0.3 <= time.monotonic() - start < 2.0
        assert not result.ok and result.failure is Failure.NOT_READY
        assert result.status is PrinterStatus.OFFLINE
        assert result.reason == (
            f"{fake.url}: no answer to a status query within 0.3 s (printer off or unplugged, "
            "or a printer without real-time status: add ?status=off)"
        )
        assert bytes(fake.printer.received) == b"\x10\x04\x01"


def test_a_printer_that_stops_reading_times_out_on_write() -> None:
    with tcp_fake(reading=False) as fake:
        start = time.monotonic()
        result = print_bytes(f"{fake.url}?status=off&write_timeout=0.5", b"\0" * 8_000_000)
        assert time.monotonic() - start < 2.0
        assert not result.ok and result.failure is Failure.TIMEOUT
        assert result.status is PrinterStatus.OFFLINE
        assert "of 8,000,000 bytes (time-out after 0.5 s)" in (result.reason or "")


def test_a_dropped_connection_mid_job_is_a_failure_with_its_reason() -> None:
    with tcp_fake(drop_after=200) as fake:
        big = PrinterModel.from_profile("TM-T88V", raster_qr=True)
        result = print_ticket(fake.url, TICKET, big, timeout=5)
        assert not result.ok and result.failure is Failure.CONNECTION_LOST
        assert result.status is PrinterStatus.OFFLINE
        assert result.reason is not None and result.reason.startswith(f"{fake.url}: ")
        assert "connection lost" in result.reason or "closed the connection" in result.reason


def test_a_drop_after_a_small_job_is_caught_by_the_status_check() -> None:
    with tcp_fake(drop_after=len(STATUS) + 50) as fake:
        result = print_ticket(fake.url, TICKET, MODEL, timeout=5)
        assert not result.ok and result.failure is Failure.CONNECTION_LOST
        assert (result.reason or "").endswith("(after sending the ticket)")


def test_refused_connection_says_what_to_check() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = print_bytes(f"tcp:127.0.0.1:{port}", b"ticket", timeout=2)
    assert not result.ok and result.failure is Failure.NOT_FOUND
    assert result.reason == (
        f"tcp:127.0.0.1:{port}: connection refused (is this the printer's address and its raw "
        "printing port, usually 9100?)"
    )


def test_connect_timeout_when_the_printer_never_accepts() -> None:
    with socket.socket() as server, socket.socket() as filler:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        filler.connect(server.getsockname())  # the backlog is now full: new SYNs are dropped
        url = f"tcp:127.0.0.1:{server.getsockname()[1]}?connect_timeout=0.3"
        start = time.monotonic()
        report = printer_status(url, timeout=5)
        assert time.monotonic() - start < 2.0
        assert report.status is PrinterStatus.OFFLINE
        assert report.detail.endswith(
            "no connection within 0.3 s (printer off, wrong address, or a firewall)"
        )


def test_a_device_that_is_not_a_printer_is_an_error() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)

        def answer_like_a_web_server() -> None:
            conn, _ = server.accept()
            with conn:
                conn.recv(16)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
                conn.recv(16)

        web = threading.Thread(target=answer_like_a_web_server)
        web.start()
        report = printer_status(f"tcp:127.0.0.1:{server.getsockname()[1]}", timeout=2)
        web.join()
    assert report.status is PrinterStatus.ERROR
    assert "answered 0x48 to status query DLE EOT 1, which is not a printer status" in report.detail


def test_a_host_name_is_resolved_and_every_address_tried() -> None:
    with tcp_fake() as fake:
        report = printer_status(f"tcp:localhost:{fake.port}")
    assert report.status is PrinterStatus.ONLINE
