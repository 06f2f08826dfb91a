"""The kiosk's link to its hub over a real Mosquitto: online only while broker and hub are."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.hub import HubLink, HubUnavailable
from kiosk.offline import OfflineStore
from kiosk.sync import OfflineSync
from loket.broker import Mosquitto
from queue_engine.hub.bootstrap import build_hub
from siteconfig import load_site_config
from tests.mqtt_fixtures import SITE, TOWNHALL, FrozenClock
from tests.sites import local


def eventually(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


@pytest.fixture
def broker() -> Iterator[Mosquitto]:
    """A private Mosquitto, so this test may stop it."""
    made = Mosquitto().start()
    yield made
    made.close()


def test_online_follows_the_broker_and_the_hub(broker: Mosquitto, tmp_path: Path) -> None:
    clock = FrozenClock(local("2026-12-03 09:00"))
    hub = build_hub(TOWNHALL, tmp_path / "site.db", broker.broker, clock=clock)
    link = HubLink(SITE, "kiosk-inkom", broker.broker, timeout=1.0)
    changes: list[bool] = []
    link.on_change(changes.append)
    link.start()
    try:
        assert link.client.wait_online(5)
        hub.hub.start()
        assert eventually(lambda: link.online)
        reply = link.request("issue_ticket", service_id="snelbalie", language="fr")
        assert reply.ok and reply.data.ticket.language == "fr"

        store = OfflineStore(tmp_path / "offline.json")
        config = load_site_config(TOWNHALL)
        report = OfflineSync(link, store, config, lambda: local("2026-12-03 09:00")).run_once()
        assert report.leased > 0 and not report.unsupported, "the real hub leases numbers"

        hub.close()  # the hub says offline (retained), the broker stays
        assert eventually(lambda: not link.online)
        with pytest.raises(HubUnavailable):
            link.request("issue_ticket", service_id="snelbalie")

        hub = build_hub(TOWNHALL, tmp_path / "site.db", broker.broker, clock=clock)
        hub.hub.start()
        assert eventually(lambda: link.online)

        broker.stop()  # now the broker goes away
        assert eventually(lambda: not link.online)
        assert False in changes and True in changes
    finally:
        link.close()
        hub.close()


def test_systemd_watchdog_pings_reach_the_notify_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from kiosk.bootstrap import sd_notify

    path = str(tmp_path / "notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(path)
        server.settimeout(2)
        monkeypatch.setenv("NOTIFY_SOCKET", path)
        sd_notify("WATCHDOG=1")
        assert server.recv(64) == b"WATCHDOG=1"
