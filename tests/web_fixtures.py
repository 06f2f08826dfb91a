"""Fixtures for the live ticket page: the web process beside the test hub, and plain HTTP."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from live_page.process import WebProcess
from loket.broker import Mosquitto
from queue_engine.hub.bootstrap import HubProcess
from tests.mqtt_fixtures import TOWNHALL
from tests.mqtt_fixtures import until as wait_for


@pytest.fixture(name="web")
def web_fixture(hub: HubProcess, mosquitto: Mosquitto) -> Iterator[WebProcess]:
    """`loket web` for the town hall (with "I need 10 more minutes"), on a free port."""
    process = WebProcess(TOWNHALL, mosquitto.broker, port=0, allow_delay=True, ping_seconds=1.0)
    process.start()
    wait_for(lambda: process.link.live, what="the live page's link to the hub")
    yield process
    process.close()


def get(url: str, **headers: str) -> tuple[int, dict[str, str], str]:
    """Status, headers and text of a GET (errors included)."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode()


class EventStream:
    """A page's event stream read over a plain socket: each `data:` line as a dict."""

    def __init__(self, web: WebProcess, token: str, lang: str = "en") -> None:
        self.sock = socket.create_connection(("127.0.0.1", web.page.port), timeout=5)
        self.sock.sendall(f"GET /t/{token}/events?lang={lang} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
        self.buffer = b""
        self.head = self._until(b"\r\n\r\n").decode()

    def _until(self, mark: bytes) -> bytes:
        while mark not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise AssertionError("the event stream closed")
            self.buffer += chunk
        part, self.buffer = self.buffer.split(mark, 1)
        return part

    def next(self) -> dict[str, Any]:
        """The next event's data."""
        while True:
            block = self._until(b"\n\n").decode()
            for line in block.splitlines():
                if line.startswith("data: "):
                    data: dict[str, Any] = json.loads(line[6:])
                    return data

    def until(self, check: Any, timeout: float = 5.0) -> dict[str, Any]:
        """The first event for which `check(data)` holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            data = self.next()
            if check(data):
                return data
        raise AssertionError("no such event in time")

    def close(self) -> None:
        self.sock.close()
