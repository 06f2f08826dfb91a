"""The front office's verbs over a real Mosquitto and a real hub: each action from the web
device, what it changes for kiosks, counters and displays, the audit log, retries."""

from __future__ import annotations

import json
import queue
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from link.client import LoketClient
from link.protocol import office as o
from link.protocol.orders import KioskOrder, ReprintOrder
from link.protocol.topics import WEB_DEVICE, Topics
from loket.broker import Mosquitto
from queue_engine.hub.bootstrap import HubProcess
from tests.mqtt_fixtures import SITE, FrozenClock, started, until

Connect = Callable[..., LoketClient]


class Latest:
    """The last retained message of a topic, as the client's callback hands it over."""

    def __init__(self) -> None:
        self.value: Any = None

    def __call__(self, message: Any) -> None:
        self.value = message

    def when(self, check: Callable[[Any], bool], what: str) -> Any:
        """Wait until the latest message passes `check`."""
        return until(lambda: self.value is not None and check(self.value) and self.value, what=what)


def office(connect: Connect) -> LoketClient:
    """The web process's link, as the office page will use it."""
    return started(connect(WEB_DEVICE, role="web"))


def ask(web: LoketClient, verb: str, **fields: Any) -> Any:
    """An office command from the supervisor `an.peeters`; its data (refusals raise)."""
    return web.request(verb, by="an.peeters", **fields).result


def test_pausing_a_service_refuses_walk_ins_with_the_message_until_resumed(
    hub: HubProcess, connect: Connect
) -> None:
    services = Latest()
    kiosk = connect("kiosk-inkom", role="kiosk")
    kiosk.on_services(services)
    started(kiosk)
    web = office(connect)
    message = {"nl": "Vandaag geen paspoorten meer", "fr": "Plus de passeports aujourd'hui"}
    paused = ask(web, "pause_service", service_id="paspoort", message=message)
    assert paused.paused and paused.message == message
    tile = services.when(
        lambda s: next(x for x in s.services if x.id == "paspoort").reason == "paused",
        "the paused service in state/services",
    )
    row = next(x for x in tile.services if x.id == "paspoort")
    assert not row.available and row.notice == message
    refused = kiosk.request("issue_ticket", service_id="paspoort")
    assert refused.error is not None and refused.error.not_available().reason == "paused"
    staff = started(connect("staff-loket-3", role="staff"))
    forced = staff.request("issue_ticket", service_id="paspoort", channel="desk", force=True)
    assert forced.ok, "staff at the desk may still issue one"
    assert ask(web, "resume_service", service_id="paspoort").paused is False
    services.when(lambda s: next(x for x in s.services if x.id == "paspoort").available, "resumed")
    assert kiosk.request("issue_ticket", service_id="paspoort").ok
    again = web.request("resume_service", by="an.peeters", service_id="paspoort")
    assert again.error is not None and again.error.code == "invalid_transition"


def raw_office(mosquitto: Mosquitto, verb: str, **payload: Any) -> dict[str, Any]:
    """Send an office command exactly as given (past the client's own checks); its reply."""
    topics = Topics(SITE)
    replies: queue.Queue[bytes] = queue.Queue()
    subscribed: queue.Queue[bool] = queue.Queue()
    raw = paho.Client(CallbackAPIVersion.VERSION2, protocol=MQTTProtocolVersion.MQTTv311)
    raw.on_message = lambda _c, _u, msg: replies.put(msg.payload)
    raw.on_subscribe = lambda *_: subscribed.put(True)
    raw.connect(mosquitto.host, mosquitto.port)
    raw.loop_start()
    try:
        raw.subscribe(topics.reply(WEB_DEVICE), 1)
        subscribed.get(timeout=5)
        body = {"v": 1, "request_id": f"raw-{verb}-{id(payload)}", **payload}
        raw.publish(topics.command(WEB_DEVICE, verb), json.dumps(body).encode(), qos=1)
        while True:
            reply: dict[str, Any] = json.loads(replies.get(timeout=5))
            if reply["request_id"] == body["request_id"]:
                return reply
    finally:
        raw.loop_stop()
        raw.disconnect()


def test_a_pause_message_needs_the_sites_own_language_and_safe_text(
    hub: HubProcess, connect: Connect, mosquitto: Mosquitto
) -> None:
    web = office(connect)
    no_dutch = web.request("pause_service", by="an", service_id="eid", message={"fr": "Non"})
    assert no_dutch.error is not None and "in nl" in no_dutch.error.message
    for text in ("=HYPERLINK(1)", "<script>", "twee\nregels", "@SUM(A1)"):
        with pytest.raises(ValueError, match=r"message\.nl"):
            web.request("pause_service", by="an", service_id="eid", message={"nl": text})
        bad = raw_office(
            mosquitto, "pause_service", by="an", service_id="eid", message={"nl": text}
        )
        assert bad["error"]["code"] == "invalid_request", text
        assert "message.nl" in bad["error"]["message"]
    for by in ("", "an peeters", "a\u001b[31m"):
        nobody = raw_office(
            mosquitto, "pause_service", by=by, service_id="eid", message={"nl": "P"}
        )
        assert nobody["error"]["code"] == "invalid_request" and "by" in nobody["error"]["message"]
    unsigned = raw_office(mosquitto, "pause_service", service_id="eid", message={"nl": "Pauze"})
    assert unsigned["error"]["code"] == "invalid_request"
    assert not hub.hub.engine.state.office.pauses


def test_keep_open_today_overrides_full_today(
    hub: HubProcess, connect: Connect, clock: FrozenClock
) -> None:
    from tests.sites import local

    clock.set(local("2026-12-03 18:30"))  # Thursday evening: open until 19:30
    kiosk = started(connect("kiosk-inkom", role="kiosk"))
    web = office(connect)
    reasons = set()
    for _ in range(200):
        reply = kiosk.request("issue_ticket", service_id="paspoort")
        if not reply.ok:
            reasons.add(reply.error.not_available().reason)
            break
    assert reasons == {"full_today"}
    kept = ask(web, "keep_open_today", service_id="paspoort")
    assert kept.keep_open and kept.day.isoformat() == "2026-12-03"
    assert kiosk.request("issue_ticket", service_id="paspoort").ok
    ask(web, "keep_open_today", service_id="paspoort", keep_open=False)
    again = kiosk.request("issue_ticket", service_id="paspoort")
    assert again.error is not None and again.error.not_available().reason == "full_today"


def test_a_temporary_counter_serves_for_today_and_closes(
    hub: HubProcess, connect: Connect, clock: FrozenClock
) -> None:
    desk = Latest()
    web = connect(WEB_DEVICE, role="web")
    web.on_office(desk)
    started(web)
    opened = ask(
        web,
        "open_temporary_counter",
        counter_id="geboorte",
        name="Geboorteaangifte",
        services=["geboorte"],
        zone="gelijkvloers",
        floor=0,
        room="B.03",
    )
    assert opened.temporary and opened.open
    state = desk.when(lambda s: s.temporary_counters, "the temporary counter in state/office")
    assert state.temporary_counters[0].name == "Geboorteaangifte"
    # A staff terminal moved to the new counter calls its visitors like at any other.
    terminal = hub.hub.devices.device("staff-loket-7")
    assert terminal is not None
    hub.hub.devices.enrol(replace(terminal, counter="geboorte"))
    kiosk = started(connect("kiosk-inkom", role="kiosk"))
    staff = started(connect("staff-loket-7", role="staff"))
    number = kiosk.request("issue_ticket", service_id="geboorte", force=False)
    if not number.ok:
        pytest.fail(f"no ticket for geboorte: {number.error}")
    assert staff.request("counter_status", status="open").ok
    called = staff.request("call_next").result
    assert called.ticket is not None and called.ticket.counter_name == "Geboorteaangifte"
    busy = web.request("close_temporary_counter", by="an", counter_id="geboorte")
    assert busy.error is not None and "still has" in busy.error.message
    assert staff.request("finish").ok
    closed = ask(web, "close_temporary_counter", counter_id="geboorte")
    assert not closed.open
    desk.when(lambda s: not s.temporary_counters, "the counter gone from state/office")
    gone = staff.request("call_next")
    assert gone.error is not None and gone.error.code == "not_found"


def test_a_counter_assigned_to_other_services_calls_them_today(
    hub: HubProcess, connect: Connect
) -> None:
    counters: dict[str, Any] = {}
    web = connect(WEB_DEVICE, role="web")
    web.on_counter(lambda c: counters.__setitem__(c.id, c))
    started(web)
    kiosk = started(connect("kiosk-inkom", role="kiosk"))
    staff = started(connect("staff-loket-3", role="staff"))
    ticket = kiosk.request("issue_ticket", service_id="afval").result.ticket
    assigned = ask(web, "assign_counter", counter_id="loket-3", services=["afval", "eid"])
    assert assigned.services == ["afval", "eid"] and not assigned.temporary
    until(lambda: counters.get("loket-3") and counters["loket-3"].services == ["afval", "eid"])
    assert staff.request("counter_status", status="open").ok
    assert staff.request("call_next").result.ticket.number == ticket.number
    back = ask(web, "assign_counter", counter_id="loket-3")
    assert back.services == ["eid", "paspoort", "rijbewijs"]
    until(lambda: counters["loket-3"].services == ["eid", "paspoort", "rijbewijs"])
    unknown = web.request("assign_counter", by="an", counter_id="loket-99", services=["eid"])
    assert unknown.error is not None and unknown.error.code == "not_found"
    nothing = web.request("assign_counter", by="an", counter_id="loket-3", services=["nope"])
    assert nothing.error is not None and nothing.error.code == "not_found"


def test_an_info_message_is_published_until_it_expires_or_is_withdrawn(
    hub: HubProcess, connect: Connect, clock: FrozenClock
) -> None:
    info = Latest()
    display = connect("display-gelijkvloers", role="display")
    display.on_info(info)
    started(display)
    web = office(connect)
    until_at = clock() + timedelta(minutes=30)
    posted = ask(
        web,
        "post_info",
        texts={"nl": "Loket 5 is vandaag gesloten"},
        until=until_at.isoformat(),
        zones=["gelijkvloers"],
    ).info
    shown = info.when(lambda s: s.messages, "the info message on state/info")
    assert [m.id for m in shown.messages] == [posted.id]
    assert shown.messages[0].zones == ["gelijkvloers"]
    other = ask(web, "post_info", texts={"nl": "Koffie"}, until=until_at.isoformat()).info
    info.when(lambda s: len(s.messages) == 2, "two messages")
    assert ask(web, "withdraw_info", info_id=other.id).info_id == other.id
    info.when(lambda s: [m.id for m in s.messages] == [posted.id], "one withdrawn")
    clock.set(until_at + timedelta(seconds=1))  # `now` moved on: the message expired
    info.when(lambda s: not s.messages, "the expired message gone")
    later = (clock() + timedelta(hours=1)).isoformat()
    wrong_zone = web.request("post_info", by="an", texts={"nl": "x"}, until=later, zones=["kelder"])
    assert wrong_zone.error is not None and "unknown zone kelder" in wrong_zone.error.message
    past = web.request("post_info", by="an", texts={"nl": "x"}, until=clock().isoformat())
    assert past.error is not None and "in the past" in past.error.message


def test_the_office_cancels_and_transfers_any_ticket(hub: HubProcess, connect: Connect) -> None:
    kiosk = started(connect("kiosk-inkom", role="kiosk"))
    web = office(connect)
    first = kiosk.request("issue_ticket", service_id="eid").result.ticket
    second = kiosk.request("issue_ticket", service_id="eid").result.ticket
    moved = ask(web, "office_transfer", number=first.number, to_service_id="paspoort")
    assert moved.ticket.service_id == "paspoort" and moved.ticket.status == "waiting"
    cancelled = ask(web, "office_cancel", number=second.number, reason="visitor_left")
    assert cancelled.ticket.status == "cancelled"
    gone = web.request("office_cancel", by="an", number=second.number)
    assert gone.error is not None and gone.error.code == "not_found"


def test_a_reprint_reaches_only_the_chosen_kiosk_which_reports_back(
    hub: HubProcess, connect: Connect
) -> None:
    orders: queue.Queue[KioskOrder] = queue.Queue()
    other: queue.Queue[KioskOrder] = queue.Queue()
    kiosk = connect("kiosk-inkom", role="kiosk")
    kiosk.on_orders(orders.put)
    started(kiosk)
    upstairs = connect("kiosk-verdieping", role="kiosk")
    upstairs.on_orders(other.put)
    started(upstairs)
    until(lambda: hub.hub.devices.presence("kiosk-inkom"), what="the kiosk's presence")
    web = office(connect)
    ticket = upstairs.request("issue_ticket", service_id="eid").result.ticket
    sent = ask(web, "reprint_ticket", number=ticket.number, kiosk_id="kiosk-inkom")
    order = orders.get(timeout=5).order
    assert isinstance(order, ReprintOrder) and order.order_id == sent.order_id
    assert order.ticket.number == ticket.number and order.ticket.token == ticket.token
    assert other.empty(), "another kiosk never sees the order"
    report = kiosk.request(
        "report_print",
        order_id=order.order_id,
        number=ticket.number,
        printed=True,
        printer="online",
    )
    assert report.ok
    log = ask(web, "audit_log", limit=2).entries
    assert [(e.action, e.by) for e in log] == [
        ("reprint.printed", "kiosk-inkom"),
        ("reprint_ticket", "an.peeters"),
    ]
    offline = web.request("reprint_ticket", by="an", number=ticket.number, kiosk_id="display-1")
    assert offline.error is not None and offline.error.code == "not_found"


def test_every_action_is_in_the_audit_log_and_a_retry_does_nothing_twice(
    hub: HubProcess, connect: Connect, clock: FrozenClock
) -> None:
    info = Latest()
    web = connect(WEB_DEVICE, role="web")
    web.on_info(info)
    started(web)
    until_at = (clock() + timedelta(hours=1)).isoformat()
    first = web.request(
        "post_info", by="an", texts={"nl": "Welkom"}, until=until_at, request_id="p1"
    )
    again = web.request(
        "post_info", by="an", texts={"nl": "Welkom"}, until=until_at, request_id="p1"
    )
    assert again == first
    info.when(lambda s: len(s.messages) == 1, "one message")
    assert ask(web, "record_audit", action="login", detail={"role": "supervisor"}).at
    entries = ask(web, "audit_log").entries
    assert [e.action for e in entries] == ["login", "post_info"]
    assert entries[1].by == "an" and entries[1].actor == WEB_DEVICE
    assert entries[1].detail["text"] == "Welkom"
    assert entries[0].detail == {"role": "supervisor"}
    later = ask(web, "audit_log", since=clock().isoformat(), limit=1)
    assert len(later.entries) == 1 and later.more
    assert len(hub.hub.office.messages(hub.hub.engine.state, clock())[0][1].messages) == 1


@pytest.mark.parametrize(
    ("device", "role"),
    [("kiosk-inkom", "kiosk"), ("staff-loket-3", "staff"), ("display-gelijkvloers", "display")],
)
def test_no_other_device_may_send_an_office_verb(
    hub: HubProcess, connect: Connect, device: str, role: str
) -> None:
    client = started(connect(device, role=role))
    for verb, fields in (
        ("pause_service", {"service_id": "eid", "message": {"nl": "Pauze"}}),
        ("acknowledge_alert", {"alert_id": "a1"}),
        ("record_audit", {"action": "login"}),
        ("audit_log", {}),
        ("office_cancel", {"number": "ID001"}),
    ):
        reply = client.request(verb, by="an", **fields)
        assert reply.error is not None and reply.error.code == "forbidden", (device, verb)
    assert not hub.hub.engine.store.audit()
    assert not hub.hub.engine.state.office.pauses


def test_office_settings_and_the_audit_log_survive_a_restart(
    hub: HubProcess, connect: Connect, clock: FrozenClock, tmp_path: Any, mosquitto: Any
) -> None:
    from queue_engine.hub.bootstrap import build_hub
    from tests.mqtt_fixtures import TOWNHALL

    web = office(connect)
    until_at = (clock() + timedelta(hours=1)).isoformat()
    ask(web, "pause_service", service_id="eid", message={"nl": "Even geduld"})
    ask(web, "keep_open_today", service_id="paspoort")
    ask(web, "open_temporary_counter", counter_id="tijdelijk", name="Extra loket", services=["eid"])
    ask(web, "assign_counter", counter_id="loket-2", services=["rijbewijs"])
    ask(web, "post_info", texts={"nl": "Welkom"}, until=until_at)
    hub.close()
    again = build_hub(TOWNHALL, tmp_path / "site.db", mosquitto.broker, clock=clock)
    again.hub.start()
    try:
        state = again.hub.engine.state
        assert set(state.office.pauses) == {"eid"}
        assert set(state.office.overrides) == {"paspoort"}
        assert "tijdelijk" in state.site.counters
        assert [cs.service_id for cs in state.site.counters["loket-2"].services] == ["rijbewijs"]
        assert [i.texts["nl"] for i in state.office.live_info(clock())] == ["Welkom"]
        assert len(again.store.audit()) == 5
        published: Latest = Latest()
        watcher = connect("display-gelijkvloers", role="display")
        watcher.on_office(published)
        started(watcher)
        published.when(lambda s: s.paused and s.temporary_counters, "state/office after restart")
    finally:
        again.close()


def test_the_kiosk_cannot_report_a_print_for_someone_else(
    hub: HubProcess, connect: Connect
) -> None:
    staff = started(connect("staff-loket-3", role="staff"))
    reply = staff.request(
        "report_print", order_id="r1", number="ID001", printed=True, printer="online"
    )
    assert reply.error is not None and reply.error.code == "forbidden"


def test_office_verbs_are_closed_schemas() -> None:
    for verb in o.OFFICE_VERBS:
        schema = o.REQUESTS[verb].model_json_schema()
        assert schema.get("additionalProperties") is False, verb
        assert "by" in schema["required"], verb
