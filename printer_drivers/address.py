"""Printer addresses: one URL-style setting per printer, parsed into a typed address.

`serial:/dev/ttyUSB0?baudrate=19200&flow=rtscts`, `tcp:10.0.0.5:9100?connect_timeout=3`,
`usb:04b8:0e15`, `file:/dev/usb/lp0`, `dummy:` (bytes kept in memory; `dummy:?status=paper_out`
makes it answer status queries). Serial, TCP and USB also take `status=off` for printers that
do not answer real-time status queries, and `status_timeout=SECONDS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from .status import PrinterStatus

SCHEMES = ("serial", "tcp", "usb", "file", "dummy")
FLOW_CONTROLS = ("none", "rtscts", "xonxoff")
PARITIES = ("N", "E", "O", "M", "S")


class PrinterAddressError(ValueError):
    """A printer address that cannot be used; the message names the part that is wrong."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"printer address {url!r}: {message}")
        self.url = url


@dataclass(frozen=True)
class SerialAddress:
    """A printer on a serial port (pyserial)."""

    port: str
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1
    flow: str = "none"
    status: bool = True
    status_timeout: float = 1.0

    @property
    def label(self) -> str:
        """How messages name this printer."""
        return f"serial:{self.port}"


@dataclass(frozen=True)
class TcpAddress:
    """A network printer on a raw TCP port (usually 9100)."""

    host: str
    port: int = 9100
    connect_timeout: float = 3.0
    write_timeout: float = 10.0
    status: bool = True
    status_timeout: float = 1.0

    @property
    def label(self) -> str:
        """How messages name this printer."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"tcp:{host}:{self.port}"


@dataclass(frozen=True)
class UsbAddress:
    """A USB printer by vendor and product id (pyusb, the `usb` extra)."""

    vendor: int
    product: int
    interface: int = 0
    out_ep: int | None = None
    in_ep: int | None = None
    status: bool = True
    status_timeout: float = 1.0

    @property
    def label(self) -> str:
        """How messages name this printer."""
        return f"usb:{self.vendor:04x}:{self.product:04x}"


@dataclass(frozen=True)
class FileAddress:
    """A device file such as /dev/usb/lp0 (write only: no status)."""

    path: str
    status: bool = False
    status_timeout: float = 1.0

    @property
    def label(self) -> str:
        """How messages name this printer."""
        return f"file:{self.path}"


@dataclass(frozen=True)
class DummyAddress:
    """Keeps the bytes in memory; with a status it also answers status queries."""

    answer: PrinterStatus | None = None

    @property
    def status(self) -> bool:
        """Whether status queries are answered."""
        return self.answer is not None

    @property
    def status_timeout(self) -> float:
        """Status answers are immediate."""
        return 0.1

    @property
    def label(self) -> str:
        """How messages name this printer."""
        return "dummy:" + (f"?status={self.answer.value}" if self.answer else "")


PrinterAddress = SerialAddress | TcpAddress | UsbAddress | FileAddress | DummyAddress


def parse_printer_address(url: str) -> PrinterAddress:
    """The address for a URL-style printer setting; PrinterAddressError says what is wrong."""
    scheme, colon, rest = url.partition(":")
    if not colon or scheme not in SCHEMES:
        known = ", ".join(f"{name}:" for name in SCHEMES)
        raise PrinterAddressError(url, f"unknown scheme {scheme!r}; use one of {known}")
    target, _, query = rest.partition("?")
    return _PARSERS[scheme](url, target, _query(url, query))


def _query(url: str, query: str) -> dict[str, str]:
    """The options after '?', each given once."""
    options: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name in options:
            raise PrinterAddressError(url, f"option {name!r} is given twice")
        options[name] = value
    if query and not options:
        raise PrinterAddressError(url, f"cannot read the options {query!r}; use name=value&…")
    return options


def _whole(low: int, high: int) -> Callable[[str], int]:
    """A converter for a whole number within [low, high]."""

    def convert(text: str) -> int:
        if not re.fullmatch(r"\d+", text) or not low <= int(text) <= high:
            raise ValueError(f"must be a whole number from {low} to {high}, got {text!r}")
        return int(text)

    return convert


def _seconds(text: str) -> float:
    """A positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 600:
        raise ValueError(f"must be a number of seconds above 0 and at most 600, got {text!r}")
    return value


def _switch(text: str) -> bool:
    """on/off (also 1/0, yes/no, true/false)."""
    lowered = text.lower()
    if lowered in ("on", "1", "yes", "true"):
        return True
    if lowered in ("off", "0", "no", "false"):
        return False
    raise ValueError(f"must be on or off, got {text!r}")


def _choice(choices: tuple[str, ...], upper: bool = False) -> Callable[[str], str]:
    """A converter for one of `choices`."""

    def convert(text: str) -> str:
        value = text.upper() if upper else text.lower()
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, got {text!r}")
        return value

    return convert


def _stopbits(text: str) -> float:
    """1, 1.5 or 2 stop bits."""
    if text not in ("1", "1.5", "2"):
        raise ValueError(f"must be 1, 1.5 or 2, got {text!r}")
    return float(text)


def _endpoint(text: str) -> int:
    """A USB endpoint address such as 0x01 or 0x82."""
    try:
        value = int(text, 0)
    except ValueError:
        value = -1
    if not 0 <= value <= 0xFF:
        raise ValueError(f"must be an endpoint address such as 0x01 or 0x82, got {text!r}")
    return value


_STATUS_OPTIONS: Mapping[str, Callable[[str], Any]] = {
    "status": _switch,
    "status_timeout": _seconds,
}


def _convert(
    url: str, options: Mapping[str, str], allowed: Mapping[str, Callable[[str], Any]]
) -> dict[str, Any]:
    """Options converted to their types; unknown names and bad values are errors."""
    out: dict[str, Any] = {}
    for name, text in options.items():
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise PrinterAddressError(url, f"unknown option {name!r} (options here: {known})")
        try:
            out[name] = allowed[name](text)
        except ValueError as exc:
            raise PrinterAddressError(url, f"option {name} {exc}") from None
    return out


def _serial(url: str, target: str, options: Mapping[str, str]) -> SerialAddress:
    """serial:PORT?baudrate=…&bytesize=…&parity=…&stopbits=…&flow=…"""
    if not target:
        raise PrinterAddressError(url, "the serial port is missing, e.g. serial:/dev/ttyUSB0")
    allowed = {
        "baudrate": _whole(50, 4_000_000),
        "bytesize": _whole(5, 8),
        "parity": _choice(PARITIES, upper=True),
        "stopbits": _stopbits,
        "flow": _choice(FLOW_CONTROLS),
        **_STATUS_OPTIONS,
    }
    return SerialAddress(port=target, **_convert(url, options, allowed))


_HOST_PORT = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^:\[\]/]+))(?::(?P<port>.*))?")


def _tcp(url: str, target: str, options: Mapping[str, str]) -> TcpAddress:
    """tcp:HOST[:PORT]?connect_timeout=…&write_timeout=… (IPv6 hosts in brackets)."""
    match = re.fullmatch(
        r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^:\[\]/]+))(?::(?P<port>.*))?", target
    )
    if not target or match is None:
        raise PrinterAddressError(url, "the host is missing or malformed, e.g. tcp:10.0.0.5:9100")
    port = 9100
    if match["port"] is not None:
        try:
            port = _whole(1, 65535)(match["port"])
        except ValueError as exc:
            raise PrinterAddressError(url, f"the port {exc}") from None
    allowed = {"connect_timeout": _seconds, "write_timeout": _seconds, **_STATUS_OPTIONS}
    host = match["v6"] or match["host"]
    return TcpAddress(host=host, port=port, **_convert(url, options, allowed))


def _usb(url: str, target: str, options: Mapping[str, str]) -> UsbAddress:
    """usb:VID:PID (hexadecimal, as lsusb shows them)?interface=…&out_ep=…&in_ep=…"""
    match = re.fullmatch(r"(?:0x)?([0-9A-Fa-f]{1,4}):(?:0x)?([0-9A-Fa-f]{1,4})", target)
    if match is None:
        example = "usb:04b8:0e15, as lsusb shows them"
        raise PrinterAddressError(url, f"expected hexadecimal VID:PID ({example}), got {target!r}")
    allowed = {
        "interface": _whole(0, 255),
        "out_ep": _endpoint,
        "in_ep": _endpoint,
        **_STATUS_OPTIONS,
    }
    vendor, product = (int(part, 16) for part in match.groups())
    return UsbAddress(vendor=vendor, product=product, **_convert(url, options, allowed))


def _file(url: str, target: str, options: Mapping[str, str]) -> FileAddress:
    """file:PATH, e.g. file:/dev/usb/lp0."""
    if not target:
        raise PrinterAddressError(url, "the file path is missing, e.g. file:/dev/usb/lp0")
    _convert(url, options, {})
    return FileAddress(path=target)


def _status_name(text: str) -> PrinterStatus:
    """A status name such as online or paper_out."""
    try:
        return PrinterStatus(text.lower())
    except ValueError:
        names = ", ".join(status.value for status in PrinterStatus)
        raise ValueError(f"must be one of {names}, got {text!r}") from None


def _dummy(url: str, target: str, options: Mapping[str, str]) -> DummyAddress:
    """dummy: or dummy:?status=paper_out."""
    if target:
        raise PrinterAddressError(url, f"dummy: takes no path, got {target!r}")
    converted = _convert(url, options, {"status": _status_name})
    return DummyAddress(answer=converted.get("status"))


_PARSERS: Mapping[str, Callable[[str, str, Mapping[str, str]], PrinterAddress]] = {
    "serial": _serial,
    "tcp": _tcp,
    "usb": _usb,
    "file": _file,
    "dummy": _dummy,
}
