"""Fixtures with real MQTT: a Mosquitto on a free loopback port, a hub, device clients."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from link.client import LoketClient
from link.mqtt import Broker
from loket.broker import INSTALL_HINT, Mosquitto, mosquitto_binary
from queue_engine.hub.bootstrap import HubProcess, build_hub
from tests.sites import local

ROOT = Path(__file__).resolve().parent.parent
TOWNHALL = ROOT / "config" / "townhall.yaml"
SITE = "stad-voorbeeld"


@pytest.fixture(scope="session")
def mosquitto() -> Iterator[Mosquitto]:
    """One real Mosquitto for the test session (make test installs it on Debian)."""
    if mosquitto_binary() is None:
        pytest.fail(f"these tests need a real Mosquitto; {INSTALL_HINT} (or run make test)")
    broker = Mosquitto().start()
    yield broker
    broker.close()


class FrozenClock:
    """A clock the test moves by hand; the hub reads it for every command."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def set(self, now: datetime) -> None:
        with self._lock:
            self.now = now


@pytest.fixture
def clock() -> FrozenClock:
    """Thursday 3 December 2026, 09:00 in Brussels: the town hall is open."""
    return FrozenClock(local("2026-12-03 09:00"))


@pytest.fixture
def hub(mosquitto: Mosquitto, tmp_path: Path, clock: FrozenClock) -> Iterator[HubProcess]:
    """The town hall's hub on a fresh SQLite file, connected to the test broker."""
    process = build_hub(TOWNHALL, tmp_path / "site.db", mosquitto.broker, clock=clock)
    process.hub.start()
    assert process.hub.connection.wait_online(5), "the hub did not connect to the broker"
    yield process
    process.close()


@pytest.fixture
def connect(mosquitto: Mosquitto) -> Iterator[Callable[..., LoketClient]]:
    """Make started, connected clients for devices of the town hall; closed afterwards."""
    made: list[LoketClient] = []

    def make(device: str, broker: Broker | None = None, **kw: object) -> LoketClient:
        client = LoketClient(SITE, device, broker or mosquitto.broker, **kw)  # type: ignore[arg-type]
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def until(check: Callable[[], Any], timeout: float = 5.0, what: str = "condition") -> Any:
    """Poll `check` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what} not met within {timeout} s")
        time.sleep(0.01)


def started(client: LoketClient) -> LoketClient:
    """Start a client and wait until it is connected."""
    client.start()
    assert client.wait_online(5), f"{client.device_id} did not connect"
    return client
