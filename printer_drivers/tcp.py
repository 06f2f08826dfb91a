"""Network printers on a raw TCP port (9100), with connect and write time-outs."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from typing import Any

from .address import TcpAddress
from .errors import Failure, PrinterError
from .wire import CHUNK, left, os_error, timed_out


class TcpTransport:
    """A network printer's raw TCP port, with connect and write time-outs."""

    def __init__(self, address: TcpAddress) -> None:
        self.address = address
        self.label = address.label
        self.can_read = address.status
        self.status_timeout = address.status_timeout
        self.sent = 0
        self._sock: socket.socket | None = None

    def open(self, deadline: float) -> None:
        """Resolve and connect within the connect time-out (and the deadline)."""
        limit = min(deadline, time.monotonic() + self.address.connect_timeout)
        wait = left(limit)
        try:
            self._sock = _connect(
                _resolve(self.address.host, self.address.port, wait), self.address.port, limit
            )
        except TimeoutError:
            raise PrinterError(
                Failure.TIMEOUT,
                f"{self.label}: no connection within {wait:.1f} s (printer off, wrong address, "
                "or a firewall)",
            ) from None
        except ConnectionRefusedError:
            raise PrinterError(
                Failure.NOT_FOUND,
                f"{self.label}: connection refused (is this the printer's address and its raw "
                "printing port, usually 9100?)",
            ) from None
        except socket.gaierror:
            raise PrinterError(
                Failure.NOT_FOUND, f"{self.label}: unknown host {self.address.host!r}"
            ) from None
        except OSError as exc:
            raise os_error(self.label, exc, "connecting") from None
        # Status queries are 3-byte writes waiting for a 1-byte answer: without this, Nagle's
        # algorithm and delayed ACKs add about 40 ms to each.
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def write(self, data: bytes, deadline: float) -> None:
        """Send everything within the write time-out (and the deadline)."""
        sock = self._opened()
        start, total, done = time.monotonic(), len(data), 0
        deadline = min(deadline, start + self.address.write_timeout)
        try:
            while done < total:
                if (remaining := left(deadline)) <= 0:
                    raise timed_out(self.label, done, total, time.monotonic() - start)
                sock.settimeout(remaining)
                done += sock.send(data[done : done + CHUNK])
        except TimeoutError:
            raise timed_out(self.label, done, total, time.monotonic() - start) from None
        except OSError as exc:
            raise os_error(
                self.label, exc, f"sending (after {done:,} of {total:,} bytes)"
            ) from None
        finally:
            self.sent += done

    def read(self, size: int, deadline: float) -> bytes:
        """What arrives before the deadline; a closed connection is an error."""
        sock = self._opened()
        sock.settimeout(left(deadline) or 0.001)
        try:
            data = sock.recv(size)
        except TimeoutError:
            return b""
        except OSError as exc:
            raise os_error(self.label, exc, "reading") from None
        if not data:
            raise _closed_by_printer(self.label)
        return data

    def discard_input(self) -> None:
        """Drop unread input; a connection closed by the printer is an error."""
        sock = self._opened()
        sock.setblocking(False)
        try:
            while True:
                if not sock.recv(4096):
                    raise _closed_by_printer(self.label)
        except BlockingIOError:
            pass
        except OSError as exc:
            raise os_error(self.label, exc, "reading") from None

    def close(self) -> None:
        """Close after reading what the printer sent (unread input would reset the link)."""
        sock, self._sock = self._sock, None
        if sock is None:
            return
        try:
            sock.setblocking(False)
            while sock.recv(4096):
                pass
        except OSError:
            pass
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def _opened(self) -> socket.socket:
        """The connected socket, or an error when the transport was not opened."""
        if self._sock is None:
            raise PrinterError(Failure.IO_ERROR, f"{self.label}: not open")
        return self._sock


def _connect(hosts: list[str], port: int, limit: float) -> socket.socket:
    """A connection to the first of the addresses that accepts one before `limit`."""
    error: OSError = TimeoutError()
    for host in hosts:
        try:
            return socket.create_connection((host, port), timeout=left(limit) or 0.001)
        except OSError as exc:
            error = exc
    raise error


def _resolve(host: str, port: int, wait: float) -> list[str]:
    """The host's addresses; a name lookup may take at most `wait` seconds.

    getaddrinfo has no time-out of its own and a broken DNS server can stall it for
    half a minute, so names are looked up on a helper thread that is waited for, not joined.
    """
    with contextlib.suppress(ValueError):
        return [str(ipaddress.ip_address(host))]
    found: list[Any] = []

    def lookup() -> None:
        with contextlib.suppress(OSError):
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))

    helper = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    helper.start()
    helper.join(wait)
    if helper.is_alive():
        raise TimeoutError
    if not found:
        raise socket.gaierror(f"no address found for {host!r}")
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def _closed_by_printer(label: str) -> PrinterError:
    """The error for a connection the printer closed."""
    return PrinterError(Failure.CONNECTION_LOST, f"{label}: the printer closed the connection")
