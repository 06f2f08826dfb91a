"""The office's verbs and topics at a real Mosquitto reading the generated ACL: only the web
account sends office verbs; only web and staff read the alerts; a kiosk reads only its own
orders. Each check tries to break the rule from a real enrolled device's credentials."""

from __future__ import annotations

import json
import queue
from dataclasses import replace
from pathlib import Path

import pytest

from link.client import LoketClient
from link.protocol.office import OFFICE_VERBS
from link.protocol.roles import ROLE_VERBS, Role
from link.protocol.topics import WEB_DEVICE, Topics
from provisioning.broker_files import acl_text
from provisioning.files import read_json
from tests.mqtt_fixtures import started, until
from tests.provisioning_helpers import SITE, RawClient, Rig, rig

__all__ = ["rig"]
pytestmark = pytest.mark.security
TOPICS = Topics(SITE)
NOT_AUTHORISED = 135
PAUSE = {"v": 1, "request_id": "sneaky", "by": "an", "service_id": "eid", "message": {"nl": "x"}}


def test_the_acl_gives_office_verbs_to_the_web_account_only() -> None:
    acl = acl_text(SITE, [])
    for verb in OFFICE_VERBS:
        lines = [line for line in acl.splitlines() if line.endswith(f"/{verb}")]
        assert lines == [f"topic write {TOPICS.command(WEB_DEVICE, verb)}"], verb
    for role in (Role.KIOSK, Role.STAFF, Role.DISPLAY):
        assert not ROLE_VERBS[role] & OFFICE_VERBS, role


def _reads(raw: RawClient, forbidden: str, marker: str) -> bool:
    """Whether the broker delivers `forbidden` to `raw`: subscribed first, then `marker`,
    a retained topic it may read; once the marker is in, whatever came before is all."""
    raw.client.subscribe(forbidden, qos=1)
    raw.client.subscribe(marker, qos=1)
    topics = []
    while marker not in topics:
        topics.append(raw.messages.get(timeout=5).topic)
    return forbidden in topics


@pytest.mark.parametrize(
    ("role", "approve"),
    [
        ("kiosk", {"name": "Kiosk inkom"}),
        ("staff", {"name": "Terminal loket 3", "counter": "3"}),
        ("display", {"name": "Scherm hal", "zone": "gelijkvloers"}),
    ],
)
def test_no_device_but_the_web_process_may_send_an_office_verb(
    rig: Rig, tmp_path: Path, role: str, approve: dict[str, str]
) -> None:
    creds = rig.enrol(role, tmp_path / role, **approve)
    raw = RawClient(rig.broker, creds.username, creds.password, client_id=role)
    try:
        assert raw.reason() == 0
        for verb in ("pause_service", "acknowledge_alert", "audit_log", "record_audit"):
            own = TOPICS.command(creds.device_id, verb)
            assert raw.publish(own, json.dumps(PAUSE).encode()).value == NOT_AUTHORISED, verb
            as_web = TOPICS.command(WEB_DEVICE, verb)  # pretending to be the web process
            assert raw.publish(as_web, json.dumps(PAUSE).encode()).value == NOT_AUTHORISED
        reads = _reads(raw, TOPICS.alerts, TOPICS.office)
        assert reads == (role == "staff"), "only staff (and web) read the alerts"
    finally:
        raw.close()
    assert not rig.process.hub.engine.state.office.pauses
    assert not rig.process.hub.engine.store.audit()


def test_the_web_account_sends_office_verbs_and_a_kiosk_reads_only_its_own_orders(
    rig: Rig, tmp_path: Path
) -> None:
    login = read_json(Path(rig.prov.web_credentials))
    mine = rig.enrol("kiosk", tmp_path / "inkom", name="Kiosk inkom")
    other = rig.enrol("kiosk", tmp_path / "boven", name="Kiosk verdieping")
    for creds in (mine, other):  # both online, so the hub sends them orders
        client = LoketClient(creds.site, creds.device_id, creds.broker(), role="kiosk")
        started(client).close()
        until(lambda c=creds: rig.process.hub.devices.presence(c.device_id), what="presence")
    raw = RawClient(rig.broker, mine.username, mine.password, client_id="k")
    web_broker = replace(rig.broker, username=login["username"], password=login["password"])
    web = started(LoketClient(SITE, WEB_DEVICE, web_broker, role="web"))
    try:
        assert raw.reason() == 0
        subacks: queue.Queue[object] = queue.Queue()
        raw.client.on_subscribe = lambda *args: subacks.put(args)
        raw.client.subscribe(TOPICS.device_orders(other.device_id), qos=1)
        raw.client.subscribe(TOPICS.device_orders(mine.device_id), qos=1)
        subacks.get(timeout=5), subacks.get(timeout=5)
        paused = web.request("pause_service", by="an", service_id="eid", message={"nl": "Pauze"})
        assert paused.ok, paused.error
        assert web.request("paper_refilled", by="an", kiosk_id=other.device_id).ok
        assert web.request("paper_refilled", by="an", kiosk_id=mine.device_id).ok
        first = raw.messages.get(timeout=5)
        assert first.topic == TOPICS.device_orders(mine.device_id), "the other kiosk's order"
    finally:
        web.close()
        raw.close()
