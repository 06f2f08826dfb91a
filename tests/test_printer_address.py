"""Printer addresses: one URL-style setting per printer; errors name the part that is wrong."""

from __future__ import annotations

import pytest

from printer_drivers import (
    DummyAddress,
    FileAddress,
    PrinterAddressError,
    PrinterStatus,
    SerialAddress,
    TcpAddress,
    UsbAddress,
    parse_printer_address,
)


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("serial:/dev/ttyUSB0", SerialAddress("/dev/ttyUSB0")),
        (
            "serial:/dev/ttyS1?baudrate=19200&flow=rtscts&parity=e&stopbits=2&bytesize=7",
            SerialAddress("/dev/ttyS1", 19200, 7, "E", 2.0, "rtscts"),
        ),
        ("serial:/dev/ttyUSB0?flow=xonxoff&status=off",
         SerialAddress("/dev/ttyUSB0", flow="xonxoff", status=False)),
        ("tcp:10.0.0.5:9100", TcpAddress("10.0.0.5", 9100)),
        ("tcp:printer.local", TcpAddress("printer.local", 9100)),
        ("tcp:[fe80::1]:9101?connect_timeout=1.5&write_timeout=20",
         TcpAddress("fe80::1", 9101, 1.5, 20.0)),
        ("tcp:10.0.0.5?status_timeout=0.5", TcpAddress("10.0.0.5", status_timeout=0.5)),
        ("usb:04b8:0e15", UsbAddress(0x04B8, 0x0E15)),
        ("usb:0x0416:0x5011?interface=1&out_ep=0x03&in_ep=0x81",
         UsbAddress(0x0416, 0x5011, 1, 3, 0x81)),
        ("file:/dev/usb/lp0", FileAddress("/dev/usb/lp0")),
        ("dummy:", DummyAddress()),
        ("dummy:?status=paper_out", DummyAddress(PrinterStatus.PAPER_OUT)),
    ],
)  # fmt: skip
def test_good_addresses(url: str, address: object) -> None:
    assert parse_printer_address(url) == address


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("lpt:1", "unknown scheme 'lpt'; use one of serial:, tcp:, usb:, file:, dummy:"),
        ("/dev/ttyUSB0", "unknown scheme '/dev/ttyUSB0'"),
        ("serial:", "the serial port is missing"),
        ("serial:/dev/ttyUSB0?baudrate=fast", "option baudrate must be a whole number from 50"),
        ("serial:/dev/ttyUSB0?baud=9600",
         "unknown option 'baud' (options here: baudrate, bytesize, flow, parity"),
        ("serial:/dev/ttyUSB0?flow=dtr",
         "option flow must be one of none, rtscts, xonxoff, got 'dtr'"),
        ("serial:/dev/ttyUSB0?baudrate=9600&baudrate=19200", "option 'baudrate' is given twice"),
        ("tcp:", "the host is missing"),
        ("tcp:10.0.0.5:port", "the port must be a whole number from 1 to 65535, got 'port'"),
        ("tcp:10.0.0.5:70000", "the port must be a whole number from 1 to 65535, got '70000'"),
        ("tcp:10.0.0.5?connect_timeout=0",
         "option connect_timeout must be a number of seconds above 0"),
        ("tcp:10.0.0.5?status=maybe", "option status must be on or off, got 'maybe'"),
        ("usb:04b8",
         "expected hexadecimal VID:PID (usb:04b8:0e15, as lsusb shows them), got '04b8'"),
        ("usb:epson:tm88", "expected hexadecimal VID:PID"),
        ("usb:04b8:0e15?out_ep=left", "option out_ep must be an endpoint address"),
        ("file:", "the file path is missing"),
        ("file:/dev/usb/lp0?baudrate=9600", "unknown option 'baudrate' (options here: none)"),
        ("dummy:/tmp/x", "dummy: takes no path"),
        ("dummy:?status=jammed", "option status must be one of online, paper_low, paper_out"),
    ],
)  # fmt: skip
def test_bad_addresses_say_which_part_is_wrong(url: str, message: str) -> None:
    with pytest.raises(PrinterAddressError) as caught:
        parse_printer_address(url)
    assert str(caught.value).startswith(f"printer address {url!r}: ")
    assert message in str(caught.value)


def test_labels_name_the_printer_in_messages() -> None:
    assert (
        parse_printer_address("serial:/dev/ttyUSB0?baudrate=19200").label == "serial:/dev/ttyUSB0"
    )
    assert parse_printer_address("tcp:[::1]:9100").label == "tcp:[::1]:9100"
    assert parse_printer_address("usb:4b8:e15").label == "usb:04b8:0e15"


def test_every_example_site_printer_parses() -> None:
    from pathlib import Path

    from siteconfig import load_site_config

    root = Path(__file__).resolve().parent.parent / "config"
    printers = [
        device.printer
        for name in ("townhall.yaml", "carehome.yaml", "hospital-births.yaml")
        for device in load_site_config(root / name).devices
        if device.printer
    ]
    assert len(printers) >= 4
    for url in printers:
        parse_printer_address(url)
