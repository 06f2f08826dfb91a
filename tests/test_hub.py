"""The hub over a real Mosquitto: requests and replies, roles, bad input, state, calls."""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from link.client import HubUnavailable, LoketClient
from link.mqtt import Broker
from link.protocol import messages as m
from link.protocol.topics import Topics
from loket.broker import Mosquitto
from queue_engine.hub.bootstrap import HubProcess
from tests.mqtt_fixtures import SITE, FrozenClock, started, until

Connect = Callable[..., LoketClient]
TOPICS = Topics(SITE)


def test_kiosk_issues_a_ticket_and_a_retry_gets_the_same_one(
    hub: HubProcess, connect: Connect
) -> None:
    kiosk = started(connect("kiosk-inkom", role="kiosk"))
    first = kiosk.request("issue_ticket", service_id="eid", language="fr", request_id="k-1")
    again = kiosk.request("issue_ticket", service_id="eid", language="fr", request_id="k-1")
    assert first.ok and first.data.ticket.number == "ID001"
    assert first.data.ticket.service_name.startswith("Carte")
    assert again == first
    assert kiosk.request("issue_ticket", service_id="eid").data.ticket.number == "ID002"


def test_staff_calls_and_the_display_hears_it(hub: HubProcess, connect: Connect) -> None:
    calls: queue.Queue[m.CalledEvent] = queue.Queue()
    display = connect("display-gelijkvloers", role="display")
    display.on_called(calls.put)
    started(display)
    kiosk = started(connect("kiosk-inkom", role="kiosk"))
    staff = started(connect("staff-loket-3", role="staff"))
    number = kiosk.request("issue_ticket", service_id="paspoort").data.ticket.number
    assert staff.request("counter_status", status="open").ok
    called = staff.request("call_next")
    assert called.data.ticket.number == number
    event = calls.get(timeout=5)
    assert (event.call.number, event.call.counter_name) == (number, "Loket 3")
    assert staff.request("recall").ok
    assert calls.get(timeout=5).call.recall == 1


def test_roles_are_enforced(hub: HubProcess, connect: Connect) -> None:
    display = started(connect("display-gelijkvloers"))
    kiosk = started(connect("kiosk-inkom"))
    staff = started(connect("staff-loket-3"))
    assert display.request("issue_ticket", service_id="eid").error.code == "forbidden"
    assert kiosk.request("call_next", counter_id="loket-3").error.code == "forbidden"
    other = staff.request("call_next", counter_id="loket-4")
    assert other.error.code == "forbidden" and "loket-3" in other.error.message
    forced = kiosk.request("issue_ticket", service_id="eid", force=True, channel="kiosk")
    assert forced.error.code == "forbidden"
    stranger = started(connect("laptop-x"))
    assert stranger.request("issue_ticket", service_id="eid").error.code == "unknown_device"


def test_staff_issue_for_the_desk_and_phone_with_channel(hub: HubProcess, connect: Connect) -> None:
    staff = started(connect("staff-loket-3"))
    desk = staff.request("issue_ticket", service_id="eid", channel="desk")
    phone = staff.request("issue_ticket", service_id="eid", channel="phone")
    default = staff.request("issue_ticket", service_id="eid")
    assert [r.data.ticket.channel for r in (desk, phone, default)] == [
        "desk",
        "phone",
        "desk",
    ]


def test_engine_refusals_come_back_as_error_replies(hub: HubProcess, connect: Connect) -> None:
    kiosk = started(connect("kiosk-inkom"))
    reply = kiosk.request("issue_ticket", service_id="huwelijk")
    assert reply.error.code == "not_available"
    assert reply.error.details["reason"] == "appointments_only"
    unknown = kiosk.request("issue_ticket", service_id="nope")
    assert unknown.error.code == "not_found"


def test_tickets_by_number(hub: HubProcess, connect: Connect) -> None:
    kiosk = started(connect("kiosk-inkom"))
    staff = started(connect("staff-loket-3"))
    kiosk.request("issue_ticket", service_id="eid")
    second = kiosk.request("issue_ticket", service_id="eid").data.ticket.number
    staff.request("counter_status", status="open")
    assert staff.request("call_ticket", number=second).data.ticket.number == second
    missing = staff.request("call_ticket", number="ZZ999")
    assert missing.error.code == "not_found"


def raw_client(broker: Broker, protocol: MQTTProtocolVersion) -> paho.Client:
    client = paho.Client(CallbackAPIVersion.VERSION2, protocol=protocol)
    client.connect(broker.host, broker.port)
    client.loop_start()
    return client


def collect(client: paho.Client, topic: str) -> queue.Queue[paho.MQTTMessage]:
    got: queue.Queue[paho.MQTTMessage] = queue.Queue()
    client.on_message = lambda c, u, msg: got.put(msg)
    client.subscribe(topic, 1)
    time.sleep(0.2)
    return got


def test_bad_input_gets_an_error_reply_and_the_hub_goes_on(
    hub: HubProcess, mosquitto: Mosquitto
) -> None:
    raw = raw_client(mosquitto.broker, MQTTProtocolVersion.MQTTv311)
    try:
        replies = collect(raw, TOPICS.reply("kiosk-inkom"))
        cases = {
            b"{not json": "invalid_request",
            b'{"request_id": "a1"}': "invalid_request",
            b'{"request_id": "a2", "service_id": "eid", "colour": "red"}': "invalid_request",
            b'{"request_id": "a3", "service_id": "eid", "v": 2}': "invalid_request",
            b'"just a string"': "invalid_request",
            b"x" * (70 * 1024): "too_large",
        }
        for payload, code in cases.items():
            raw.publish(TOPICS.command("kiosk-inkom", "issue_ticket"), payload, qos=1)
            reply = json.loads(replies.get(timeout=5).payload)
            assert (reply["ok"], reply["error"]["code"]) == (False, code), payload[:40]
        raw.publish(TOPICS.command("kiosk-inkom", "fly"), b'{"request_id": "a4"}', qos=1)
        reply = json.loads(replies.get(timeout=5).payload)
        assert reply["error"]["code"] == "unknown_verb" and reply["request_id"] == "a4"
        good = b'{"request_id": "a5", "service_id": "eid"}'
        raw.publish(TOPICS.command("kiosk-inkom", "issue_ticket"), good, qos=1)
        reply = json.loads(replies.get(timeout=5).payload)
        assert reply["ok"] and reply["data"]["ticket"]["number"] == "ID001"
    finally:
        raw.disconnect()
        raw.loop_stop()


def test_mqtt5_correlation_data_is_echoed(hub: HubProcess, mosquitto: Mosquitto) -> None:
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    raw = raw_client(mosquitto.broker, MQTTProtocolVersion.MQTTv5)
    try:
        replies = collect(raw, TOPICS.reply("kiosk-inkom"))
        props = Properties(PacketTypes.PUBLISH)
        props.CorrelationData = b"corr-42"
        props.ResponseTopic = TOPICS.reply("kiosk-inkom")
        raw.publish(
            TOPICS.command("kiosk-inkom", "issue_ticket"),
            b'{"request_id": "c1", "service_id": "eid"}',
            qos=1,
            properties=props,
        )
        reply = replies.get(timeout=5)
        assert reply.properties.CorrelationData == b"corr-42"
        assert json.loads(reply.payload)["request_id"] == "c1"
    finally:
        raw.disconnect()
        raw.loop_stop()


def test_a_client_on_mqtt_3_1_1_works_too(
    hub: HubProcess, mosquitto: Mosquitto, connect: Connect
) -> None:
    old = Broker(mosquitto.host, mosquitto.port, protocol="3.1.1")
    kiosk = started(connect("kiosk-inkom", broker=old))
    assert kiosk.request("issue_ticket", service_id="eid").ok


def test_retained_state_reaches_a_late_subscriber(hub: HubProcess, connect: Connect) -> None:
    kiosk = started(connect("kiosk-inkom"))
    staff = started(connect("staff-loket-3"))
    kiosk.request("issue_ticket", service_id="eid")
    kiosk.request("issue_ticket", service_id="eid")
    staff.request("counter_status", status="open")
    staff.request("call_next")
    time.sleep(0.3)
    services: list[m.ServicesState] = []
    counters: dict[str, m.CounterStateMessage] = {}
    calls: list[m.CallsState] = []
    late = connect("display-verdieping")
    late.on_services(services.append)
    late.on_counter(lambda c: counters.__setitem__(c.id, c))
    late.on_calls(calls.append)
    started(late)
    until(lambda: services and "loket-3" in counters and calls)
    eid = next(s for s in services[-1].services if s.id == "eid")
    assert eid.waiting == 1 and eid.available
    assert (counters["loket-3"].status, counters["loket-3"].ticket) == ("open", "ID001")
    assert calls[-1].calls[0].number == "ID001"
    text = json.dumps([s.model_dump(mode="json") for s in services])
    assert "token" not in text and "booking" not in text


def test_device_presence_is_tracked_with_a_last_will(hub: HubProcess, connect: Connect) -> None:
    kiosk = started(connect("kiosk-inkom", role="kiosk", version="0.1.0"))

    def seen() -> object:
        presence = hub.hub.devices.presence("kiosk-inkom")
        return presence if presence and presence.online else None

    presence = until(seen)  # the broker may still hold an earlier test's "offline"
    assert presence.version == "0.1.0"  # type: ignore[attr-defined]
    kiosk.publish_status(True, printer="paper_low")
    until(lambda: hub.hub.devices.presence("kiosk-inkom").printer == "paper_low")  # type: ignore[union-attr]
    kiosk.close()
    until(lambda: not hub.hub.devices.presence("kiosk-inkom").online)  # type: ignore[union-attr]


def test_request_times_out_clearly_without_a_hub(connect: Connect) -> None:
    kiosk = started(connect("kiosk-inkom"))
    start = time.monotonic()
    try:
        kiosk.request("issue_ticket", service_id="eid", timeout=0.6)
    except HubUnavailable as error:
        assert "issue_ticket" in str(error)
    else:
        raise AssertionError("expected HubUnavailable")
    assert time.monotonic() - start < 2


def test_a_kiosk_leases_numbers_and_hands_in_an_offline_ticket(
    hub: HubProcess, connect: Connect, clock: FrozenClock
) -> None:
    kiosk = started(connect("kiosk-inkom"))
    leased = kiosk.request("lease_numbers", service_id="eid", count=5)
    assert leased.ok and leased.data.numbers == ["ID999", "ID998", "ID997", "ID996", "ID995"]
    issued_at = clock().isoformat()
    clock.set(clock() + timedelta(minutes=10))
    first = kiosk.request(
        "submit_offline_ticket", request_id="inkom-offline-1", service_id="eid",
        number="ID999", issued_at=issued_at, language="en",
    )  # fmt: skip
    again = kiosk.request(
        "submit_offline_ticket", request_id="inkom-offline-1", service_id="eid",
        number="ID999", issued_at=issued_at, language="en",
    )  # fmt: skip
    assert first.ok and again == first
    assert first.data.ticket.queued_since == datetime.fromisoformat(issued_at)
    staff = started(connect("staff-loket-3"))
    refused = staff.request("lease_numbers", service_id="eid")
    assert refused.error.code == "forbidden"
    assert kiosk.request("issue_ticket", service_id="eid").data.ticket.number == "ID001"


def test_staff_get_the_full_ticket_with_transfer_notes(hub: HubProcess, connect: Connect) -> None:
    kiosk = started(connect("kiosk-inkom"))
    three = started(connect("staff-loket-3"))
    four = started(connect("staff-loket-4"))
    number = kiosk.request("issue_ticket", service_id="paspoort").data.ticket.number
    three.request("counter_status", status="open")
    three.request("call_next")
    three.request("transfer", to_counter_id="loket-4", note="Brengt het oude paspoort mee")
    four.request("counter_status", status="open")
    assert four.request("call_next").data.ticket.transfer_notes == ["Brengt het oude paspoort mee"]
    details = four.request("ticket_details")
    assert details.ok and details.data.ticket.number == number
    assert details.data.ticket.transfer_notes == ["Brengt het oude paspoort mee"]
    assert details.data.ticket.documents[0].service_id == "paspoort"
    assert four.request("ticket_details", counter_id="loket-3").error.code == "forbidden"
    assert kiosk.request("ticket_details").error.code == "forbidden"
    rows = hub.hub.engine.store  # details are never stored as requests
    with rows.transaction() as tx:
        assert tx.reply_for("staff-loket-4", details.request_id) is None
