"""The typed replies: one closed model per verb, what a real hub sends fits the published
schema, the client hands back typed data over MQTT 3.1.1 and 5, old stored replies replay."""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import paho.mqtt.client as paho
import pytest
from jsonschema import Draft202012Validator
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from pydantic import ValidationError

from link.client import LoketClient
from link.mqtt import Broker
from link.protocol import messages as m
from link.protocol.replies import (
    REPLIES,
    CallResult,
    ErrorBody,
    LeaseResult,
    NotAvailableDetails,
    ReplyMessage,
    TicketReply,
    TicketStatusResult,
    TicketView,
    reply_schema,
)
from link.protocol.topics import WEB_DEVICE, Topics
from loket.broker import Mosquitto
from queue_engine.domain import commands as c
from queue_engine.domain.model import TicketStatus
from queue_engine.hub.bootstrap import HubProcess
from queue_engine.ports import Change, RequestRecord
from tests.mqtt_fixtures import SITE, FrozenClock, started, until
from tests.sites import Desk
from tests.test_checkin import booked  # noqa: F401

Connect = Callable[..., LoketClient]
PUBLISHED = Path(__file__).resolve().parent.parent / "docs" / "protocol"


def _objects(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object schema inside a JSON Schema, with where it is."""
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{where}/{index}")


def test_every_verb_has_a_reply_model_whose_schema_is_closed_at_every_level() -> None:
    assert REPLIES.keys() == m.REQUESTS.keys()
    for verb in REPLIES:
        objects = list(_objects(reply_schema(verb)))
        assert len(objects) >= 3, verb  # the envelope, the data, the error at least
        for where, schema in objects:
            extra = schema.get("additionalProperties")
            if "properties" in schema or "patternProperties" in schema:
                assert extra is False, f"reply-{verb}{where} is open"
            else:  # a map (an error's details): every value has a schema
                assert isinstance(extra, dict) and extra, f"reply-{verb}{where} is open"


def test_a_reply_with_a_field_the_contract_does_not_name_is_refused() -> None:
    view = {
        "id": 1,
        "number": "P001",
        "service_id": "paspoort",
        "service_name": "Paspoort",
        "status": "waiting",
        "kind": "walk_in",
        "priority": "normal",
        "language": "nl",
        "channel": "kiosk",
        "issued_at": "2026-12-03T08:00:00+00:00",
        "queued_since": "2026-12-03T08:00:00+00:00",
    }
    assert TicketView.model_validate(view).status is TicketStatus.WAITING
    with pytest.raises(ValidationError, match="extra"):
        TicketView.model_validate({**view, "initials": "JP"})
    envelope = {"request_id": "r1", "ok": True, "data": {"ticket": {**view, "name": "Jan"}}}
    with pytest.raises(ValidationError, match="extra"):
        ReplyMessage[TicketReply].model_validate(envelope)
    with pytest.raises(ValidationError, match="extra"):
        ReplyMessage[TicketReply].model_validate({**envelope, "data": {"ticket": view}, "x": 1})
    with pytest.raises(ValidationError, match="status"):
        TicketView.model_validate({**view, "status": "lost"})


def test_refusal_details_are_read_as_types_and_a_garbled_one_is_none() -> None:
    from datetime import UTC, datetime

    from queue_engine.domain.errors import (
        CheckInReason,
        CheckInRefused,
        NotAvailable,
        Unavailability,
    )

    later = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    for error in (
        NotAvailable("full", Unavailability.FULL_TODAY, later),
        CheckInRefused("x", CheckInReason.TOO_EARLY, later),
    ):
        body = ErrorBody(code=error.code, message=error.message, details=error.details)
        wire = ErrorBody.model_validate_json(body.model_dump_json())
        typed = wire.not_available() or wire.check_in_refusal()
        assert typed is not None and typed.reason == error.reason
        assert (
            typed.next_available if isinstance(typed, NotAvailableDetails) else typed.when
        ) == later
    assert (
        ErrorBody(code="not_available", message="?", details={"reason": "lunch"}).not_available()
        is None
    )
    assert ErrorBody(code="not_found", message="?").check_in_refusal() is None


def _raw_listener(broker: Broker, topic: str) -> tuple[paho.Client, queue.Queue[bytes]]:
    got: queue.Queue[bytes] = queue.Queue()
    subscribed: queue.Queue[bool] = queue.Queue()
    raw = paho.Client(CallbackAPIVersion.VERSION2, protocol=MQTTProtocolVersion.MQTTv311)
    raw.on_message = lambda _c, _u, msg: got.put(msg.payload)
    raw.on_subscribe = lambda *_: subscribed.put(True)
    raw.connect(broker.host, broker.port)
    raw.loop_start()
    raw.subscribe(topic, 1)
    subscribed.get(timeout=5)
    return raw, got


def _check(payloads: queue.Queue[bytes], sent: dict[str, str]) -> set[str]:
    """Validate each reply on the wire against reply-<verb>.schema.json; the verbs seen."""
    seen: set[str] = set()
    deadline = time.monotonic() + 10
    while len(seen) < len(sent) and time.monotonic() < deadline:
        payload = payloads.get(timeout=max(0.1, deadline - time.monotonic()))
        raw = json.loads(payload)
        verb = sent[raw["request_id"]]
        schema = json.loads((PUBLISHED / f"reply-{verb}.schema.json").read_text())
        errors = [e.message for e in Draft202012Validator(schema).iter_errors(raw)]
        assert not errors, f"{verb}: {errors} in {raw}"
        seen.add(raw["request_id"])
    return seen


def test_real_replies_of_a_real_hub_fit_their_published_schemas(
    hub: HubProcess, connect: Connect, mosquitto: Mosquitto, clock: FrozenClock
) -> None:
    topics = Topics(SITE)
    raw, payloads = _raw_listener(mosquitto.broker, f"{topics.base}/reply/+")
    sent: dict[str, str] = {}
    kiosk = started(connect("kiosk-inkom", role="kiosk"))
    staff = started(connect("staff-loket-3", role="staff"))
    web = started(connect(WEB_DEVICE, role="web"))

    def ask(client: LoketClient, verb: str, **fields: Any) -> Any:
        rid = f"{verb}-{len(sent)}"
        sent[rid] = verb
        return client.request(verb, request_id=rid, **fields)

    try:
        first = ask(kiosk, "issue_ticket", service_id="paspoort").result.ticket
        second = ask(kiosk, "issue_ticket", service_id="paspoort").result.ticket
        leased = ask(kiosk, "lease_numbers", service_id="eid", count=2).result
        issued_at = clock().isoformat()
        number = leased.numbers[0]
        ask(kiosk, "submit_offline_ticket", service_id="eid", number=number, issued_at=issued_at)
        ask(kiosk, "check_in", booking_code="NO-SUCH-CODE")  # refused: the error form
        ask(staff, "call_next")  # the counter is closed: refused
        ask(staff, "counter_status", status="open")
        ask(staff, "call_next")
        ask(staff, "recall")
        ask(staff, "start")
        ask(staff, "ticket_details")
        ask(staff, "transfer", to_service_id="eid", note="oude paspoort mee")
        ask(staff, "call_ticket", number=second.number)
        ask(staff, "no_show")
        ask(staff, "reactivate", number=second.number)
        ask(staff, "hold", number=second.number, minutes=5)
        ask(staff, "cancel", number=second.number)
        ask(web, "ticket_status", tokens=[first.token, second.token, "x" * 22])
        ask(web, "delay_request", token=first.token)
        ask(kiosk, "issue_ticket", service_id="rijbewijs")
        ask(staff, "finish")
        _office(ask, web, kiosk, clock, hub)
        assert _check(payloads, sent) == set(sent)
        assert {sent[rid] for rid in sent} == set(REPLIES) - {"add_visit_service"}
    finally:
        raw.loop_stop()
        raw.disconnect()


def test_a_check_in_reply_fits_its_published_schema(booked: Desk) -> None:  # noqa: F811
    reply = booked.run(c.CheckIn, booking_code="BX-7Q4O")
    added = booked.run(c.AddVisitService, ticket_id=reply.data.ticket.id, service_id="passport")
    for verb, sent in (("check_in", reply), ("add_visit_service", added)):
        schema = json.loads((PUBLISHED / f"reply-{verb}.schema.json").read_text())
        Draft202012Validator(schema).validate(json.loads(sent.json))
    assert reply.data.documents and reply.data.appointments[0].start.tzinfo is not None


@pytest.mark.parametrize("protocol", ["3.1.1", "5"])
def test_the_client_returns_typed_replies_over_mqtt_311_and_5(
    hub: HubProcess, connect: Connect, mosquitto: Mosquitto, protocol: str
) -> None:
    broker = Broker(mosquitto.host, mosquitto.port, protocol=protocol)
    kiosk = started(connect("kiosk-inkom", broker=broker))
    staff = started(connect("staff-loket-3", broker=broker))
    issued = kiosk.request("issue_ticket", service_id="eid", language="fr")
    assert isinstance(issued.data, TicketReply) and issued.data.ticket.number == "ID001"
    assert issued.data.ticket.status is TicketStatus.WAITING
    lease = kiosk.request("lease_numbers", service_id="eid", count=1)
    assert isinstance(lease.data, LeaseResult) and lease.data.numbers == ["ID999"]
    staff.request("counter_status", status="open")
    called = staff.request("call_next")
    assert isinstance(called.data, CallResult) and called.data.ticket is not None
    assert called.data.ticket.counter_id == "loket-3" and called.data.tier
    refused = kiosk.request("call_next")
    assert refused.data is None and refused.error is not None
    assert refused.error.code == "forbidden"
    web = started(connect(WEB_DEVICE, broker=broker))
    token = issued.data.ticket.token
    assert token is not None
    status = web.request("ticket_status", tokens=[token])
    assert isinstance(status.data, TicketStatusResult)
    assert status.data.tickets[token].status is TicketStatus.CALLED  # type: ignore[union-attr]


OLD_ISSUE = (
    '{"v":1,"request_id":"k-1","ok":true,"data":{"ticket":{"id":7,"number":"P007",'
    '"service_id":"passport","service_name":"Passport","status":"waiting","kind":"walk_in",'
    '"priority":"normal","language":"en","channel":"kiosk",'
    '"issued_at":"2026-12-01T09:00:00+00:00","queued_since":"2026-12-01T09:00:00+00:00",'
    '"scheduled_at":null,"called_at":null,"recall_count":0,"counter_id":null,'
    '"counter_name":null,"target_counter_id":null,"visit_services":[],"transfers":0,'
    '"transfer_notes":[],"position":1,"expected_wait_s":600,"token":"abcdefghijklmnopqrstuv"}},'
    '"error":null}'
)
OLD_REFUSAL = (
    '{"v":1,"request_id":"k-2","ok":false,"data":{},"error":{"code":"not_available",'
    '"message":"closed","details":{"reason":"closed_now","next_available":null}}}'
)


def test_replies_stored_by_older_code_replay_byte_for_byte_and_typed(desk: Desk) -> None:
    with desk.engine.store.transaction() as tx:
        for rid, text in (("k-1", OLD_ISSUE), ("k-2", OLD_REFUSAL)):
            tx.write(Change(), RequestRecord("k1", rid, "issue_ticket", desk.now, text))
    issued = desk.run(c.IssueTicket, request_id="k-1", actor="k1", service_id="passport")
    assert issued.replayed and issued.json == OLD_ISSUE
    assert isinstance(issued.data, TicketReply) and issued.data.ticket.number == "P007"
    refused = desk.run(c.IssueTicket, request_id="k-2", actor="k1", service_id="passport")
    assert refused.replayed and refused.json == OLD_REFUSAL
    assert refused.data is None and refused.error_code == "not_available"
    old = ReplyMessage[TicketReply].model_validate_json(OLD_REFUSAL)
    assert old.data is None and old.error is not None


def test_a_new_reply_replays_exactly_the_bytes_first_sent(desk: Desk) -> None:
    first = desk.run(c.IssueTicket, request_id="k-9", actor="k1", service_id="passport")
    again = desk.run(c.IssueTicket, request_id="k-9", actor="k1", service_id="passport")
    assert again.replayed and again.json == first.json and again.data == first.data
    parsed = ReplyMessage[TicketReply].model_validate_json(first.json)
    assert parsed.result == first.data


def _office(
    ask: Any, web: LoketClient, kiosk: LoketClient, clock: FrozenClock, hub: HubProcess
) -> None:
    """Every office verb once (and the kiosk's print report), as the web process sends it."""
    until_at = (clock() + timedelta(hours=1)).isoformat()
    by = {"by": "an.peeters"}
    ticket = ask(kiosk, "issue_ticket", service_id="eid").result.ticket
    ask(web, "pause_service", **by, service_id="afval", message={"nl": "Even niet"})
    ask(web, "resume_service", **by, service_id="afval")
    ask(web, "keep_open_today", **by, service_id="afval")
    ask(web, "open_temporary_counter", **by, counter_id="extra", name="Extra", services=["eid"])
    ask(web, "close_temporary_counter", **by, counter_id="extra")
    ask(web, "assign_counter", **by, counter_id="loket-5", services=["eid"])
    info = ask(web, "post_info", **by, texts={"nl": "Welkom"}, until=until_at).result.info
    ask(web, "withdraw_info", **by, info_id=info.id)
    ask(web, "office_transfer", **by, number=ticket.number, to_service_id="paspoort")
    until(lambda: hub.hub.devices.presence("kiosk-inkom"), what="the kiosk's presence")
    order = ask(web, "reprint_ticket", **by, number=ticket.number, kiosk_id="kiosk-inkom")
    ask(kiosk, "report_print", order_id=order.result.order_id, number=ticket.number,
        printed=True, printer="online")  # fmt: skip
    ask(web, "office_cancel", **by, number=ticket.number)
    ask(web, "paper_refilled", **by, kiosk_id="kiosk-inkom")
    ask(web, "acknowledge_alert", **by, alert_id="a0")  # refused: not_found
    ask(web, "record_audit", **by, action="login", detail={"role": "manager"})
    ask(web, "audit_log", **by, limit=5)
