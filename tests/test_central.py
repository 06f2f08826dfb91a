"""Several sites, one central view: each site's broker bridges events/log to a central broker,
the collector keeps the events, and one report shows every site and all of them merged."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from central.collector import Collector, decode
from central.store import CentralStore
from link.client import LoketClient
from link.mqtt import Connection, Incoming
from link.protocol.topics import Topics, parse_events_log
from loket.broker import INSTALL_HINT, Mosquitto, mosquitto_binary
from loket.cli import main
from queue_engine.domain.events import CounterStatusChanged
from queue_engine.domain.kpi import compute_kpis
from queue_engine.domain.model import CounterStatus
from queue_engine.hub.bootstrap import HubProcess, build_hub
from queue_engine.hub.event_log import entry
from queue_engine.reporting.multi import multi_kpis
from siteconfig import load_site
from tests.mqtt_fixtures import FrozenClock
from tests.sites import local

ROOT = Path(__file__).resolve().parent.parent
TOWNHALL = ROOT / "config" / "townhall.yaml"
CAREHOME = ROOT / "config" / "carehome.yaml"
DAY = date(2026, 12, 3)


def bridge(name: str, central: Mosquitto) -> str:
    """A site broker's bridge that sends its events/log to the central broker."""
    return (
        f"connection {name}\naddress 127.0.0.1:{central.port}\n"
        "topic loket/v1/+/events/log out 1\ncleansession false\n"
        f"remote_clientid {name}\nbridge_protocol_version mqttv311\n"
        "restart_timeout 1\ntry_private false\n"
    )


@dataclass
class Site:
    """A site: its broker, its hub, and a kiosk and a staff terminal."""

    id: str
    broker: Mosquitto
    hub: HubProcess
    kiosk: LoketClient
    staff: LoketClient
    service: str

    def visitors(self, count: int, served: int) -> None:
        """Issue `count` tickets and serve `served` of them."""
        for _ in range(count):
            assert self.kiosk.request("issue_ticket", service_id=self.service).ok
        for _ in range(served):
            assert self.staff.request("call_next").data.ticket
            assert self.staff.request("start").ok
            assert self.staff.request("finish").ok

    def log_counts(self) -> Counter[tuple[str, str]]:
        """What the site's own store holds, per event type."""
        return Counter((self.id, e.type_name) for e in self.hub.store.events())


@pytest.fixture
def city(tmp_path: Path) -> Iterator[tuple[Mosquitto, list[Site], CentralStore, Collector]]:
    """A central broker with a collector, and two sites bridged to it."""
    if mosquitto_binary() is None:
        pytest.fail(f"these tests need a real Mosquitto; {INSTALL_HINT}")
    (tmp_path / "central").mkdir()
    central = Mosquitto(
        extra=f"persistence true\npersistence_location {tmp_path / 'central'}/\n"
    ).start()
    store = CentralStore(tmp_path / "central.db")
    sites_collected = [load_site(config).id for config in (TOWNHALL, CAREHOME)]
    collector = Collector(central.broker, store, sites=sites_collected)
    closers: list[Callable[[], None]] = [central.close, store.close, collector.close]
    sites: list[Site] = []
    try:
        collector.start()
        assert collector.connection.wait_online(5)
        clock = FrozenClock(local("2026-12-03 09:30"))
        plan = [
            (TOWNHALL, "kiosk-inkom", "staff-loket-3", "eid"),
            (CAREHOME, "zuil-inkomhal", "terminal-onthaal", "onthaal"),
        ]
        for config, kiosk_id, staff_id, service in plan:
            site_id = load_site(config).id
            broker = Mosquitto(extra=bridge(f"bridge-{site_id}", central)).start()
            closers.append(broker.close)
            hub = build_hub(config, tmp_path / f"{site_id}.db", broker.broker, clock=clock)
            hub.hub.start()
            closers.append(hub.close)
            assert hub.hub.connection.wait_online(5)
            kiosk = LoketClient(site_id, kiosk_id, broker.broker, role="kiosk")
            staff = LoketClient(site_id, staff_id, broker.broker, role="staff")
            for client in (kiosk, staff):
                closers.append(client.close)
                client.start()
                assert client.wait_online(5)
            assert staff.request("counter_status", status="open").ok
            sites.append(Site(site_id, broker, hub, kiosk, staff, service))
        yield central, sites, store, collector
    finally:
        for close in reversed(closers):
            close()


def wait_until(check: Callable[[], bool], timeout: float) -> bool:
    """Poll `check` until it holds or `timeout` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def all_logs(sites: list[Site]) -> Counter[tuple[str, str]]:
    total: Counter[tuple[str, str]] = Counter()
    for site in sites:
        total += site.log_counts()
    return total


def test_two_sites_reach_the_central_store_once_each_and_merge_into_one_report(
    city: tuple[Mosquitto, list[Site], CentralStore, Collector], tmp_path: Path
) -> None:
    central, sites, store, collector = city
    townhall, carehome = sites
    townhall.visitors(4, served=2)
    carehome.visitors(3, served=1)
    assert wait_until(lambda: Counter(store.counts()) == all_logs(sites), 10), (
        store.counts(),
        all_logs(sites),
    )
    assert store.sites() == sorted(s.id for s in sites)

    # The central broker goes away for a while; the sites carry on, their bridges queue.
    central.stop()
    townhall.visitors(2, served=1)
    carehome.visitors(2, served=2)
    started = time.monotonic()
    central.start()
    assert wait_until(lambda: Counter(store.counts()) == all_logs(sites), 20), (
        store.counts(),
        all_logs(sites),
    )
    assert time.monotonic() - started < 20
    assert collector.dropped == 0

    # The same events, in the same order, as each site's own log.
    for site in sites:
        own = [(e.type_name, e.at) for e in site.hub.store.events()]
        assert [(e.type_name, e.at) for e in store.events(site.id)] == own

    # The merged figures are those of the sites added up.
    configs = {townhall.id: TOWNHALL, carehome.id: CAREHOME}
    report = multi_kpis([(load_site(configs[s.id]), list(store.events(s.id))) for s in sites], DAY)
    per_site = [
        compute_kpis(s.hub.store.events(), load_site(configs[s.id]), DAY).overall() for s in sites
    ]
    merged = report.merged.overall()
    assert [r.issued for r in per_site] == [6, 5]
    assert merged.issued == 11
    assert merged.served == sum(r.served for r in per_site) == 6
    assert merged.open == sum(r.open for r in per_site)
    assert [r.issued for r in report.rows()] == [6, 5, 11]

    out = tmp_path / "report"
    args = ["report", "--multi", str(store.path), "--config", str(TOWNHALL)]
    args += ["--config", str(CAREHOME), "--day", DAY.isoformat(), "--out", str(out)]
    assert main(args) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "all sites" in page and townhall.id in page and carehome.id in page
    assert (out / townhall.id / "index.html").exists()
    assert (out / "kpi-sites.csv").read_text().count("\n") == 4  # header, 2 sites, merged


def test_the_central_store_keeps_each_site_and_seq_once(tmp_path: Path) -> None:
    store = CentralStore(tmp_path / "central.db")
    try:
        event = CounterStatusChanged(local("2026-12-03 09:00"), "loket-1", CounterStatus.OPEN)
        topic = Topics("stad-voorbeeld").events_log
        message = Incoming(topic, entry("stad-voorbeeld", 7, event).model_dump_json().encode())
        decoded = decode(message)
        assert decoded is not None and decoded[1] == event
        assert store.add("stad-voorbeeld", 7, event, "{}", local("2026-12-03 09:00"))
        assert not store.add("stad-voorbeeld", 7, event, "{}", local("2026-12-03 09:01"))
        assert store.add("wzc-ter-linde", 7, event, "{}", local("2026-12-03 09:00"))
        assert store.counts() == {
            ("stad-voorbeeld", "CounterStatusChanged"): 1,
            ("wzc-ter-linde", "CounterStatusChanged"): 1,
        }
        other = Topics("wzc-ter-linde").events_log
        assert decode(Incoming(other, message.payload)) is None  # the topic names another site
        assert parse_events_log(topic) == "stad-voorbeeld"
        assert parse_events_log("loket/v1/x/events/called") is None
    finally:
        store.close()


def test_loket_collect_keeps_events_until_stopped(mosquitto: Mosquitto, tmp_path: Path) -> None:
    db = tmp_path / "central.db"
    command = [sys.executable, "-m", "loket.cli", "collect", "--broker", mosquitto.broker.url]
    command += ["--db", str(db), "--client-id", f"collect-{tmp_path.name}"]
    command += ["--site", "stad-voorbeeld"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    publisher = Connection("collect-test-publisher", mosquitto.broker, on_message=lambda _: None)
    try:
        publisher.start()
        assert publisher.wait_online(5)
        event = CounterStatusChanged(local("2026-12-03 09:00"), "loket-1", CounterStatus.OPEN)
        topics = Topics("stad-voorbeeld")
        payload = entry("stad-voorbeeld", 1, event).model_dump_json().encode()

        def stored() -> bool:
            publisher.publish(topics.events_log, payload)  # again until it is subscribed
            if not db.exists():
                return False
            store = CentralStore(db)
            try:
                return store.counts() == {("stad-voorbeeld", "CounterStatusChanged"): 1}
            finally:
                store.close()

        assert wait_until(stored, 10)
    finally:
        publisher.close()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "stored" in err
