"""The package as a library: quiet at import, no __del__, a driver bug never escapes a job."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

import printer_drivers
from printer_drivers import Failure, PrinterStatus, print_bytes, printer_status
from printer_drivers.local import DummyTransport, FileTransport
from printer_drivers.serial_port import SerialTransport
from printer_drivers.tcp import TcpTransport
from printer_drivers.usb import UsbTransport

ROOT = Path(__file__).resolve().parent.parent


def test_import_keeps_logging_alone_and_caches_escpos_data_per_user(tmp_path: Path) -> None:
    script = (
        "import logging, os\n"
        "before = list(logging.getLogger().handlers)\n"
        "import printer_drivers\n"
        "assert logging.getLogger().handlers == before, logging.getLogger().handlers\n"
        "print(os.environ['ESCPOS_CAPABILITIES_PICKLE_DIR'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    cache = tmp_path / "loket" / "escpos"
    assert done.stdout.strip() == str(cache)
    assert any(cache.glob("*.capabilities.pickle"))


@pytest.mark.parametrize(
    "transport", [SerialTransport, TcpTransport, UsbTransport, FileTransport, DummyTransport]
)
def test_transports_are_closed_explicitly_never_by_del(transport: type) -> None:
    assert not hasattr(transport, "__del__")


class Broken(DummyTransport):
    """A transport with a bug in it."""

    def write(self, data: bytes, deadline: float) -> None:
        raise ZeroDivisionError("oops")


def test_a_bug_in_a_driver_is_a_failed_job_not_a_crash(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="printer_drivers.job"):
        result = print_bytes(Broken(), b"ticket")
        report = printer_status(Broken(printer_drivers.DummyAddress(PrinterStatus.ONLINE)))
    assert not result.ok and result.failure is Failure.IO_ERROR
    assert result.reason == "dummy:: unexpected error: ZeroDivisionError('oops')"
    assert report.status is PrinterStatus.ERROR
    assert len(caplog.records) == 2
