"""Enrolment, roles and revocation against a real Mosquitto reading the generated files."""

from __future__ import annotations

import json
import queue
import stat
import time
from pathlib import Path

from paho.mqtt.reasoncodes import ReasonCode

from link.client import LoketClient
from link.protocol.topics import Topics
from provisioning.devconfig import on_config
from provisioning.enrol import CREDENTIALS, load_credentials
from provisioning.messages import DeviceConfigMessage
from tests.mqtt_fixtures import started
from tests.provisioning_helpers import SITE, RawClient, Rig, rig, until

__all__ = ["rig"]
TOPICS = Topics(SITE)
NOT_AUTHORISED = 135


def client_for(creds, **kw) -> LoketClient:  # type: ignore[no-untyped-def]
    return LoketClient(creds.site, creds.device_id, creds.broker(), role=creds.role, **kw)


def test_a_kiosk_enrols_stores_its_credentials_and_issues_a_ticket(
    rig: Rig, tmp_path: Path
) -> None:
    data = tmp_path / "kiosk"
    creds = rig.enrol("kiosk", data, name="Kiosk inkom")
    assert (creds.device_id, creds.role, creds.name) == ("kiosk-inkom", "kiosk", "Kiosk inkom")
    assert stat.S_IMODE((data / CREDENTIALS).stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert load_credentials(data) == creds
    configs: queue.Queue[DeviceConfigMessage] = queue.Queue()
    kiosk = client_for(creds)
    on_config(kiosk, configs.put)
    try:
        started(kiosk)
        reply = kiosk.request("issue_ticket", service_id="eid")
        assert reply.ok and reply.data.ticket.number == "ID001"
        config = configs.get(timeout=5)  # retained; the printer from the site file
        assert config.name == "Kiosk inkom"
        assert config.printer == "serial:/dev/ttyUSB0?baudrate=19200"
    finally:
        kiosk.close()
    listing = rig.admin("list").data
    row = next(d for d in listing.devices if d.id == "kiosk-inkom")
    assert row.state == "enrolled" and row.role == "kiosk"


def test_a_display_cannot_publish_a_command_and_the_hub_never_acts_on_it(
    rig: Rig, tmp_path: Path
) -> None:
    creds = rig.enrol("display", tmp_path / "display", name="Scherm hal", zone="gelijkvloers")
    topic = TOPICS.command(creds.device_id, "issue_ticket")
    payload = json.dumps({"v": 1, "request_id": "sneaky", "service_id": "eid"}).encode()
    # One session at a time: the broker takes the username as the client id.
    v5 = RawClient(rig.broker, creds.username, creds.password, client_id="d5")
    try:
        assert v5.reason() == 0
        v5.client.subscribe(TOPICS.reply(creds.device_id), qos=1)
        # MQTT 5: the broker says no with a reason code on the PUBACK.
        assert v5.publish(topic, payload) == ReasonCode(4, identifier=NOT_AUTHORISED)  # PUBACK
        other = TOPICS.services  # nobody but the hub publishes state
        assert v5.publish(other, b"{}").value == NOT_AUTHORISED
    finally:
        v5.close()
    v311 = RawClient(rig.broker, creds.username, creds.password, v5=False, client_id="d3")
    try:
        assert v311.reason() == 0
        # MQTT 3.1.1: a PUBACK like any other, and the message silently dropped.
        assert v311.publish(topic, payload) == 0
    finally:
        v311.close()
    # The hub never saw either: no ticket, no reply; the next ticket is the first.
    assert v5.messages.empty()
    assert not rig.process.hub.engine.state.tickets
    kiosk = rig.enrol("kiosk", tmp_path / "kiosk", name="kiosk-inkom")
    client = started(client_for(kiosk))
    try:
        assert client.request("issue_ticket", service_id="eid").data.ticket.number == "ID001"
    finally:
        client.close()


def test_a_staff_terminal_cannot_act_on_another_counter(rig: Rig, tmp_path: Path) -> None:
    creds = rig.enrol("staff", tmp_path / "staff", name="Terminal loket 3", counter="3")
    assert (creds.device_id, creds.counter) == ("staff-loket-3", "loket-3")
    raw = RawClient(rig.broker, creds.username, creds.password, client_id="s3")
    try:
        assert raw.reason() == 0
        other = TOPICS.command("staff-loket-4", "call_next")
        assert raw.publish(other, b'{"v":1,"request_id":"x"}').value == NOT_AUTHORISED
    finally:
        raw.close()
    staff = started(client_for(creds))
    try:
        refused = staff.request("call_next", counter_id="loket-4")
        assert refused.error is not None and refused.error.code == "forbidden"
        assert staff.request("counter_status", status="open").ok
    finally:
        staff.close()


def test_a_revoked_device_is_disconnected_and_cannot_connect_again(
    rig: Rig, tmp_path: Path
) -> None:
    creds = rig.enrol("kiosk", tmp_path / "kiosk", name="Kiosk inkom")
    raw = RawClient(rig.broker, creds.username, creds.password, client_id="k1")
    try:
        assert raw.reason() == 0
        reply = rig.admin("revoke", device="Kiosk inkom")
        assert reply.ok and reply.data.device == "kiosk-inkom"
        assert raw.disconnected.wait(5), "the broker kept the revoked device's session"
    finally:
        raw.close()
    again = RawClient(rig.broker, creds.username, creds.password, client_id="k2")
    try:
        assert again.reason().is_failure
    finally:
        again.close()
    assert rig.process.hub.devices.device("kiosk-inkom") is None
    row = next(d for d in rig.admin("list").data.devices if d.id == "kiosk-inkom")
    assert row.state == "revoked"


def test_wrong_codes_are_refused_and_repeated_guesses_rate_limited(
    rig: Rig, tmp_path: Path
) -> None:
    # The clock jumps a minute at once below: the device's repeats in between are not seen.
    rig.prov.pairing.silence = __import__("datetime").timedelta(minutes=5)
    codes, result = rig.start_enrolment("kiosk", tmp_path / "kiosk")
    code = codes.get(timeout=10)
    rig.waiting()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        reply = rig.admin("approve", code=wrong, role="kiosk", name="Kiosk inkom")
        assert reply.error is not None and reply.error.code == "wrong_code"
    limited = rig.admin("approve", code=code, role="kiosk", name="Kiosk inkom")
    assert limited.error is not None and limited.error.code == "rate_limited"
    assert limited.error.retry_after is not None and 0 < limited.error.retry_after <= 60
    rig.clock.set(rig.clock() + __import__("datetime").timedelta(seconds=61))
    assert rig.admin("approve", code=code, role="kiosk", name="Kiosk inkom").ok
    assert result.get(timeout=10).device_id == "kiosk-inkom"


def test_the_code_must_match_the_app_and_an_update_applies_live(rig: Rig, tmp_path: Path) -> None:
    codes, result = rig.start_enrolment("staff", tmp_path / "staff")
    code = codes.get(timeout=10)
    rig.waiting()
    mismatch = rig.admin("approve", code=code, role="kiosk", name="Kiosk x")
    assert mismatch.error is not None and mismatch.error.code == "role_mismatch"
    assert rig.admin("approve", code=code, role="staff", name="Tijdelijk", counter="loket-6").ok
    creds = result.get(timeout=10)
    configs: queue.Queue[DeviceConfigMessage] = queue.Queue()
    staff = client_for(creds)
    topic = TOPICS.device_config(creds.device_id)
    on_config(staff, configs.put)
    try:
        started(staff)
        assert configs.get(timeout=5).counter == "loket-6"
        assert rig.admin("update", device="tijdelijk", counter="Loket 7").ok
        assert configs.get(timeout=5).counter == "loket-7"
        assert staff.request("counter_status", status="open").data.counter_id == "loket-7"
    finally:
        staff.close()
    # Another device cannot read this one's configuration.
    kiosk = rig.enrol("kiosk", tmp_path / "kiosk", name="kiosk-inkom")
    peek = RawClient(rig.broker, kiosk.username, kiosk.password, client_id="peek")
    try:
        assert peek.reason() == 0
        peek.client.subscribe(topic, qos=1)
        peek.client.subscribe(f"{TOPICS.base}/enrol/#", qos=1)
        peek.client.subscribe(TOPICS.services, qos=1)  # public state: allowed, and retained
        seen = until(lambda: peek.messages.get(timeout=2))
        assert seen.topic == TOPICS.services  # nothing of the staff terminal's config came first
        time.sleep(0.3)
        assert peek.messages.empty()
    finally:
        peek.close()
