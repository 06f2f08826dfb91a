"""Issue 13, items 5 and 10a-b: enrolment cannot be blocked; revoke and list tell the truth."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from loket.cli import main
from provisioning.broker_files import MESSAGE_SIZE_LIMIT
from provisioning.pairing import Pairing
from provisioning.topics import ProvisioningTopics, enrol_client_id
from tests.mqtt_fixtures import until
from tests.provisioning_helpers import SITE, RawClient, Rig, record_service, rig
from tests.test_provisioning_units import Device

__all__ = ["rig"]
pytestmark = pytest.mark.security
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
PTOPICS = ProvisioningTopics(SITE)


def test_requests_from_one_source_take_few_slots_and_silent_ones_expire_soon() -> None:
    pairing = Pairing()
    flood = [Device() for _ in range(40)]
    for device in flood:  # one host name, as a script on a laptop would send
        request = device.request.model_copy(update={"hostname": "attacker"})
        pairing.request(device.client, request, NOW)
    assert len(pairing.pending()) == pairing.per_source  # 4 of 32 slots, not 32
    kiosk = Device()
    later = NOW + timedelta(seconds=31)  # the flood does not repeat itself; a device does
    assert pairing.request(kiosk.client, kiosk.request, NOW).status == "pending"
    pairing.request(kiosk.client, kiosk.request, NOW + timedelta(seconds=20))
    pairing.expire(later)
    assert [p.client_id for p in pairing.pending()] == [kiosk.client]


def test_the_broker_drops_an_oversized_enrolment_message(rig: Rig) -> None:
    received, _sent = record_service(rig)
    device = Device()
    client_id = enrol_client_id(SITE, device.nonce)
    anonymous = RawClient(rig.enrol_broker, exact_id=client_id)
    try:
        assert anonymous.reason() == 0
        topic = PTOPICS.enrol_request(client_id)
        anonymous.client.publish(topic, b"x" * (MESSAGE_SIZE_LIMIT + 1), qos=1, retain=True)
        small = RawClient(rig.enrol_broker, exact_id=client_id + "x")  # the broker still serves
        small.close()
        anonymous2 = RawClient(rig.enrol_broker, exact_id=client_id)
        assert anonymous2.reason() == 0
        anonymous2.publish(topic, b"small")
        until(lambda: received)
        assert received[0].payload == b"small", f"{len(received[0].payload)} bytes got through"
        anonymous2.close()
    finally:
        anonymous.close()


def test_a_retained_enrolment_request_does_not_refill_the_slots_after_a_restart(
    rig: Rig,
) -> None:
    device = Device()
    client_id = enrol_client_id(SITE, device.nonce)
    anonymous = RawClient(rig.enrol_broker, exact_id=client_id)
    try:
        assert anonymous.reason() == 0
        request = device.request.model_dump_json(exclude_none=True).encode()
        anonymous.client.publish(PTOPICS.enrol_request(client_id), request, qos=1, retain=True)
        assert anonymous.pubacks.get(timeout=5) is not None
    finally:
        anonymous.close()
    rig.waiting()  # taken live: a device asking now
    rig.prov.close()  # the hub restarts: new slots, the retained request comes again
    rig.prov.pairing = Pairing()
    rig.prov.start(rig.process.hub)
    assert rig.prov.service is not None and rig.prov.service.connection.wait_online(5)
    assert rig.admin("list").ok  # the service has read what the broker sent it
    assert rig.prov.pairing.pending() == []


def test_revoke_says_when_the_broker_was_not_reloaded(
    rig: Rig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rig.enrol("kiosk", tmp_path / "kiosk", name="Kiosk inkom")
    rig.prov.files.reload = None  # as with --broker-reload none, before the path unit runs
    assert main(["devices", "--data", str(rig.folder), "revoke", "Kiosk inkom"]) == 0
    out = capsys.readouterr().out
    assert "broker reloaded" not in out and "stays connected" in out


def test_list_escapes_a_host_name_with_terminal_escape_sequences(
    rig: Rig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    device = Device()
    hostile = "\x1b]0;pwned\x07\x1b[2J\x1b[31mkiosk\r\x9b"
    request = device.request.model_copy(update={"hostname": hostile})
    rig.prov.pairing.request(device.client, request, rig.clock())
    assert main(["devices", "--data", str(rig.folder), "list"]) == 0
    out = capsys.readouterr().out
    assert "waiting for approval" in out
    assert not any(ch in out for ch in "\x1b\x07\r\x9b"), repr(out)
    assert "\\x1b[31mkiosk" in out


def test_list_escapes_what_devices_report_in_every_column() -> None:
    from link.protocol.roles import Role
    from loket.cmd_devices import table
    from provisioning.messages import DeviceRow

    hostile = "\x1b]0;pwned\x07\x1b[2J"
    row = DeviceRow(
        id="kiosk-1",
        role=Role.KIOSK,
        name="Kiosk\x1b[31m",
        state="enrolled",
        version=f"1.0{hostile}",
        printer=f"paper_out{hostile}\r",
    )
    out = table([row])
    assert not any(ch in out for ch in "\x1b\x07\r"), repr(out)
    assert "\\x1b]0;pwned" in out and "paper_out" in out
