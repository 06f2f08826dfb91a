"""`loket hub` as a process: starts, serves, exposes metrics, stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from link.client import LoketClient
from loket.broker import Amqtt, Mosquitto, free_port
from queue_engine.hub.bootstrap import build_hub
from tests.mqtt_fixtures import SITE, TOWNHALL, FrozenClock, started

ROOT = Path(__file__).resolve().parent.parent


def always_open(tmp_path: Path) -> Path:
    """The town hall, open around the clock (the process reads the real clock)."""
    data = yaml.safe_load(TOWNHALL.read_text(encoding="utf-8"))
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    data["site"]["opening_hours"] = {day: ["00:00-23:59"] for day in days}
    for service in data["services"]:
        service.pop("opening_hours", None)
        service["last_ticket_minutes"] = 0
    path = tmp_path / "townhall-24h.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def hub_process(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "loket.cli", "hub", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def running(mosquitto: Mosquitto, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = free_port()
    proc = hub_process(
        "--config", str(always_open(tmp_path)), "--db", str(tmp_path / "site.db"),
        "--broker", mosquitto.broker.url, "--metrics-port", str(port), "--log-format", "json",
    )  # fmt: skip
    yield proc, port
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=10)


def scrape(port: int) -> str:
    deadline = time.monotonic() + 10
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as page:
                return str(page.read().decode())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_hub_process_serves_and_counts_and_stops_on_sigterm(
    running: tuple[subprocess.Popen[str], int], connect: Callable[..., LoketClient]
) -> None:
    proc, port = running
    scrape(port)
    kiosk = started(connect("kiosk-inkom"))
    reply = kiosk.request("issue_ticket", service_id="eid", timeout=10)
    assert reply.ok, reply.error
    kiosk.request("issue_ticket", service_id="nope", timeout=10)
    metrics = scrape(port)
    assert 'loket_commands_total{result="ok",verb="issue_ticket"} 1.0' in metrics
    assert 'loket_commands_total{result="not_found",verb="issue_ticket"} 1.0' in metrics
    assert "loket_command_seconds_bucket" in metrics
    assert "loket_broker_connected 1.0" in metrics
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=15)
    assert proc.returncode == 0, out
    assert '"logger": "queue_engine.hub.hub"' in out and "stopped" in out


def test_a_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("site: {id: x}\n", encoding="utf-8")
    proc = hub_process("--config", str(bad), "--db", str(tmp_path / "x.db"),
                       "--broker", "mqtt://127.0.0.1:1")  # fmt: skip
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert "bad.yaml" in out and "site.name" in out


def test_a_bad_broker_url_is_a_clear_error(tmp_path: Path) -> None:
    proc = hub_process("--config", str(TOWNHALL), "--db", str(tmp_path / "x.db"),
                       "--broker", "http://127.0.0.1:80")  # fmt: skip
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 2 and "scheme must be mqtt://" in out


def test_the_embedded_pure_python_broker_serves_mqtt_3_1_1(tmp_path: Path) -> None:
    """Where Mosquitto is not installed, the hub runs on amqtt (MQTT 3.1.1 only)."""
    from tests.sites import local

    broker = Amqtt().start()
    process = build_hub(TOWNHALL, tmp_path / "s.db", broker.broker,
                        clock=FrozenClock(local("2026-12-03 09:00")))  # fmt: skip
    client = LoketClient(SITE, "kiosk-inkom", broker.broker)
    try:
        process.hub.start()
        started(client)
        reply = client.request("issue_ticket", service_id="eid", timeout=10)
        assert reply.ok and reply.data.ticket.number == "ID001"
    finally:
        client.close()
        process.close()
        broker.stop()


def test_no_command_loads_kivy_until_an_app_runs() -> None:
    """Kivy takes over logging and stderr when imported: `loket hub` (and every other
    non-app command) must not import it, not even through another command's options."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIVY")}
    code = (
        "import sys, loket.cli; loket.cli.build_parser(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'kivy'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env={**env, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert out.stdout.strip() == "[]"
