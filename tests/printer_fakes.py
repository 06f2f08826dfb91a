"""Fake ESC/POS printers on real wires: a process on a socat pty pair, a loopback TCP server.

Both keep every byte they receive and answer the real-time status queries DLE EOT 1-4 with
the bytes an Epson TM printer sends. The status tables below are written out by hand from
the ESC/POS reference, not taken from `printer_drivers`, so the tests check its decoding.

Run as a process: `python -m tests.printer_fakes PTY CAPTURE`; it reads commands on stdin
(`status paper_out`, `paper_out_after 200`, `silent`, `stall`, `quit`) and answers each with `ok`.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Answers to DLE EOT 1 (printer), 2 (offline cause), 3 (error cause), 4 (paper sensor).
ANSWERS = {
    "online": {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12},
    "paper_low": {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E},  # near-end sensor bits 2-3
    "paper_out": {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E},  # offline; paper-end stop; end sensor
    "cover_open": {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12},  # offline; cover bit 2
    "error": {1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12},  # offline; error bit 6; cutter error bit 3
}


@dataclass
class FakePrinter:
    """The printer's logic: keep bytes, answer status queries, run out of paper on cue."""

    status: str = "online"
    paper_out_after: int | None = None
    silent: bool = False
    stalled: bool = False
    """Stops reading, like a printer holding its busy line."""
    received: bytearray = field(default_factory=bytearray)
    _tail: bytes = b""

    def feed(self, data: bytes) -> bytes:
        """Take bytes from the host; returns what the printer sends back."""
        self.received += data
        if self.paper_out_after is not None and len(self.received) >= self.paper_out_after:
            self.status = "paper_out"
        stream, answers = self._tail + data, bytearray()
        at = stream.find(b"\x10\x04")
        while at >= 0 and at + 2 < len(stream):
            if (n := stream[at + 2]) in ANSWERS[self.status]:
                answers.append(ANSWERS[self.status][n])
            at = stream.find(b"\x10\x04", at + 2)
        self._tail = stream[-2:]
        return b"" if self.silent else bytes(answers)

    def command(self, line: str) -> None:
        """Apply a control command such as 'status paper_low'."""
        verb, _, value = line.strip().partition(" ")
        if verb == "status":
            self.status = value
        elif verb == "paper_out_after":
            self.paper_out_after = int(value)
        elif verb == "silent":
            self.silent = True
        elif verb == "stall":
            self.stalled = True
        else:
            raise ValueError(f"unknown command {line!r}")


def serve_pty(pty: str, capture: str) -> None:
    """The fake printer process: the far end of the pty pair, controlled through stdin."""
    printer = FakePrinter()
    fd = os.open(pty, os.O_RDWR | os.O_NOCTTY)
    with open(capture, "wb", buffering=0) as out:
        print("ready", flush=True)
        while True:
            ready, _, _ = select.select([sys.stdin] if printer.stalled else [fd, sys.stdin], [], [])
            if sys.stdin in ready:
                line = sys.stdin.readline()
                if not line or line.strip() == "quit":
                    break
                printer.command(line)
                print("ok", flush=True)
            if fd in ready:
                data = os.read(fd, 4096)
                out.write(data)
                if answer := printer.feed(data):
                    os.write(fd, answer)
    os.close(fd)


class SerialFake:
    """socat's pty pair with the fake printer process on one end; tests open `port`."""

    def __init__(self, folder: Path) -> None:
        if shutil.which("socat") is None:
            raise RuntimeError("socat is not installed (Debian package socat; `make test`)")
        self.port = str(folder / "printer")
        self.capture = folder / "received.bin"
        far = folder / "fake"
        self._socat = subprocess.Popen(
            ["socat", f"pty,raw,echo=0,link={self.port}", f"pty,raw,echo=0,link={far}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(lambda: Path(self.port).exists() and far.exists(), "socat's ptys")
        self._fake = subprocess.Popen(
            [sys.executable, "-m", "tests.printer_fakes", str(far), str(self.capture)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._expect("ready")

    def command(self, line: str) -> None:
        """Send a control command to the fake and wait until it took effect."""
        assert self._fake.stdin is not None
        self._fake.stdin.write(line + "\n")
        self._fake.stdin.flush()
        self._expect("ok")

    @property
    def received(self) -> bytes:
        """Everything the fake printer has read so far."""
        return self.capture.read_bytes()

    def stop(self) -> None:
        """Stop the fake and socat, and close their pipes."""
        with contextlib.suppress(BrokenPipeError, OSError):
            assert self._fake.stdin is not None
            self._fake.stdin.write("quit\n")
            self._fake.stdin.flush()
        _finish(self._fake, grace=2.0)
        _finish(self._socat, grace=0.0)

    def _expect(self, word: str) -> None:
        """Read the fake's next line and check it."""
        assert self._fake.stdout is not None
        line = self._fake.stdout.readline().strip()
        if line != word:
            raise RuntimeError(f"fake printer said {line!r}, expected {word!r}")


def _finish(process: subprocess.Popen[str] | subprocess.Popen[bytes], grace: float) -> None:
    """Give it `grace` seconds to end by itself, then terminate; wait, close the pipes."""
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


def _wait_for(condition: object, what: str, timeout: float = 5.0) -> None:
    """Poll until `condition()` is true."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not appear within {timeout} s")
        time.sleep(0.01)


class TcpFake:
    """A printer on 127.0.0.1: answers status, or stays silent, or drops the link mid-job."""

    def __init__(
        self,
        printer: FakePrinter | None = None,
        drop_after: int | None = None,
        reading: bool = True,
    ) -> None:
        self.printer = printer or FakePrinter()
        self.drop_after = drop_after
        self.reading = reading
        self.connections = 0
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(4)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="tcp-fake-printer", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The printer address of this fake."""
        return f"tcp:127.0.0.1:{self.port}"

    def close(self) -> None:
        """Stop serving and close every socket."""
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()

    def _serve(self) -> None:
        """Accept connections one at a time, like a printer's raw port."""
        while not self._stop.is_set():
            ready, _, _ = select.select([self._server], [], [], 0.05)
            if ready:
                conn, _ = self._server.accept()
                self.connections += 1
                with conn:
                    self._talk(conn)

    def _talk(self, conn: socket.socket) -> None:
        """Read, answer, and drop the connection when told to."""
        while not self._stop.is_set():
            if not self.reading:
                time.sleep(0.01)
                continue
            ready, _, _ = select.select([conn], [], [], 0.05)
            if not ready:
                continue
            data = conn.recv(4096)
            if not data:
                return
            answer = self.printer.feed(data)
            if self.drop_after is not None and len(self.printer.received) >= self.drop_after:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if answer:
                conn.sendall(answer)


@contextlib.contextmanager
def tcp_fake(**kw: object) -> Iterator[TcpFake]:
    """A TcpFake that is closed afterwards."""
    fake = TcpFake(**kw)  # type: ignore[arg-type]
    try:
        yield fake
    finally:
        fake.close()


if __name__ == "__main__":
    serve_pty(sys.argv[1], sys.argv[2])
