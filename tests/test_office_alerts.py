"""Alerts: the rules without a hub, then over a real Mosquitto and a real hub: a kiosk's help
press and paper-out become alerts and are taken, devices go offline, waits pass their
target, the hub's own trouble, and a restart keeps what nobody took yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from link.client import LoketClient
from link.protocol.office import AlertsState
from link.protocol.topics import WEB_DEVICE
from loket.broker import Mosquitto
from queue_engine.domain.alerts import Alert, AlertKind, Condition, acknowledge, reconcile
from queue_engine.hub.alerts import HubHealth
from queue_engine.hub.bootstrap import HubProcess, build_hub
from tests.mqtt_fixtures import TOWNHALL, FrozenClock, started, until

Connect = Callable[..., LoketClient]
T0 = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
HELP = Condition(AlertKind.HELP_REQUESTED, "kiosk-inkom@t1", device_id="kiosk-inkom")
OUT = Condition(AlertKind.PAPER_OUT, "kiosk-inkom", device_id="kiosk-inkom")
GONE = Condition(AlertKind.DEVICE_OFFLINE, "display-1", device_id="display-1")


def apply(book: dict[str, Alert], changes: list[Alert]) -> dict[str, Alert]:
    return {**book, **{a.id: a for a in changes}}


def test_a_condition_opens_an_alert_that_closes_when_it_is_gone() -> None:
    book = apply({}, reconcile({}, [GONE], T0))
    (alert,) = book.values()
    assert (alert.kind, alert.device_id, alert.since, alert.open) == (
        GONE.kind,
        "display-1",
        T0,
        True,
    )
    assert reconcile(book, [GONE], T0 + timedelta(seconds=5)) == []
    book = apply(book, reconcile(book, [], T0 + timedelta(seconds=9)))
    assert not book[alert.id].open and book[alert.id].closed_at == T0 + timedelta(seconds=9)
    again = reconcile(book, [GONE], T0 + timedelta(minutes=1))
    assert len(again) == 1 and again[0].id != alert.id, "gone again: a new alert"


def test_help_and_paper_out_stay_until_a_person_takes_them() -> None:
    book = apply({}, reconcile({}, [HELP, OUT], T0))
    book = apply(book, reconcile(book, [], T0 + timedelta(seconds=30)))
    assert all(a.open and not a.active for a in book.values()), "still there for a person"
    help_alert = next(a for a in book.values() if a.kind is AlertKind.HELP_REQUESTED)
    out = next(a for a in book.values() if a.kind is AlertKind.PAPER_OUT)
    taken = acknowledge(help_alert, "an", T0 + timedelta(minutes=1))
    assert not taken.open and taken.acknowledged_by == "an"
    assert not acknowledge(out, "an", T0 + timedelta(minutes=1)).open, "out, then refilled"


def test_taken_while_it_holds_it_does_not_come_back_until_it_has_gone_once() -> None:
    book = apply({}, reconcile({}, [HELP, OUT], T0))
    for alert in list(book.values()):
        book[alert.id] = acknowledge(alert, "an", T0 + timedelta(seconds=5))
    help_alert = next(a for a in book.values() if a.kind is AlertKind.HELP_REQUESTED)
    out = next(a for a in book.values() if a.kind is AlertKind.PAPER_OUT)
    assert not help_alert.open and out.open and out.acknowledged_by == "an"
    assert reconcile(book, [HELP, OUT], T0 + timedelta(seconds=6)) == []
    book = apply(book, reconcile(book, [], T0 + timedelta(seconds=7)))
    assert not book[out.id].open, "paper back: the taken paper-out closes"
    assert len(reconcile(book, [OUT], T0 + timedelta(minutes=5))) == 1, "out again: new alert"


def test_the_hubs_own_trouble_is_an_alert_for_five_minutes() -> None:
    health = HubHealth()
    health.broker_up(T0)
    assert health.conditions(T0) == [], "the first connection is no reconnect"
    health.broker_up(T0 + timedelta(seconds=1))
    health.committed(0.002, T0)
    health.committed(2.5, T0)
    health.store_failed(T0)
    found = {c.subject: c.detail for c in health.conditions(T0 + timedelta(minutes=1))}
    assert set(found) == {"store", "commits", "broker"}
    assert "2.5 s" in found["commits"]
    assert health.conditions(T0 + timedelta(minutes=6)) == []


class Alerts:
    """office/alerts as the web process sees it."""

    def __init__(self, client: LoketClient) -> None:
        self.last: AlertsState | None = None
        client.on_alerts(self._got)

    def _got(self, state: AlertsState) -> None:
        self.last = state

    def when(self, check: Callable[[AlertsState], Any], what: str, timeout: float = 5) -> Any:
        return until(lambda: self.last is not None and check(self.last), timeout, what)

    def of(self, kind: str) -> list[Any]:
        return [a for a in (self.last.alerts if self.last else []) if a.kind == kind]


def present(hub: HubProcess, client: LoketClient) -> LoketClient:
    """A started device once the hub has its first status (which it publishes on
    connecting, from its network thread: a status sent before it would be overwritten)."""
    started(client)
    until(lambda: hub.hub.devices.presence(client.device_id), what=f"{client.device_id} present")
    return client


def web_with_alerts(connect: Connect) -> tuple[LoketClient, Alerts]:
    web = connect(WEB_DEVICE, role="web")
    alerts = Alerts(web)
    started(web)
    return web, alerts


def test_a_help_press_at_a_kiosk_is_an_alert_with_its_place_and_is_taken(
    hub: HubProcess, connect: Connect, clock: FrozenClock
) -> None:
    web, alerts = web_with_alerts(connect)
    alerts.when(lambda s: True, "the retained alerts")
    kiosk = present(hub, connect("kiosk-inkom", role="kiosk"))
    kiosk.publish_status(True, help_since=clock().isoformat())
    alerts.when(lambda s: alerts.of("help_requested"), "the help request as an alert")
    (alert,) = alerts.of("help_requested")
    assert (alert.device_name, alert.floor, alert.room) == ("Zuil inkomhal", 0, "inkomhal")
    assert alert.since == clock() and alert.acknowledged_by is None
    kiosk.publish_status(True)  # the visitor closed the help screen: the request stays
    alerts.when(lambda s: not alerts.of("help_requested")[0].active, "inactive, still open")
    taken = web.request("acknowledge_alert", by="jan", alert_id=alert.id).result
    assert taken.closed and taken.acknowledged_by == "jan"
    alerts.when(lambda s: not alerts.of("help_requested"), "the help request taken")
    twice = web.request("acknowledge_alert", by="an", alert_id=alert.id)
    assert twice.error is not None and twice.error.code == "invalid_transition"
    log = web.request("audit_log", by="jan").result.entries
    assert (log[0].action, log[0].by, log[0].detail["kind"]) == (
        "acknowledge_alert",
        "jan",
        "help_requested",
    )


def test_paper_out_is_an_alert_until_paper_is_refilled_and_the_kiosk_checks(
    hub: HubProcess, connect: Connect
) -> None:
    from link.protocol.orders import CheckPrinterOrder, KioskOrder

    web, alerts = web_with_alerts(connect)
    orders: list[KioskOrder] = []
    kiosk = connect("kiosk-inkom", role="kiosk")
    kiosk.on_orders(orders.append)
    present(hub, kiosk)
    kiosk.publish_status(True, printer="paper_out")
    alerts.when(lambda s: alerts.of("paper_out"), "paper-out as an alert")
    (alert,) = alerts.of("paper_out")
    refilled = web.request("paper_refilled", by="an", kiosk_id="kiosk-inkom").result
    assert refilled.closed == [alert.id]
    alerts.when(lambda s: not alerts.of("paper_out"), "the paper-out closed")
    until(lambda: orders, what="the kiosk told to check its printer")
    assert isinstance(orders[0].order, CheckPrinterOrder)
    kiosk.publish_status(True, printer="paper_out")  # its check says: still out
    alerts.when(lambda s: alerts.of("paper_out"), "paper-out again: a new alert")
    assert alerts.of("paper_out")[0].id != alert.id
    kiosk.publish_status(True, printer="paper_low")
    alerts.when(lambda s: alerts.of("paper_low"), "paper low")
    assert alerts.of("paper_out"), "paper-out stays until someone takes it"
    wrong = web.request("paper_refilled", by="an", kiosk_id="display-gelijkvloers")
    assert wrong.error is not None and wrong.error.code == "not_found"


def test_a_device_offline_a_wait_over_target_and_offline_tickets_are_alerts(
    hub: HubProcess, connect: Connect, clock: FrozenClock
) -> None:
    _web, alerts = web_with_alerts(connect)
    display = present(hub, connect("display-gelijkvloers", role="display"))
    kiosk = present(hub, connect("kiosk-inkom", role="kiosk"))
    assert kiosk.request("issue_ticket", service_id="geboorte").ok  # target 15 min
    kiosk.publish_status(True, offline_tickets=3)
    alerts.when(lambda s: alerts.of("offline_tickets"), "offline tickets as an alert")
    assert "3 offline" in alerts.of("offline_tickets")[0].detail
    display.close()  # says offline
    until(lambda: not _online(hub, "display-gelijkvloers"), what="the display offline")
    clock.set(clock() + timedelta(minutes=16))
    # Every display that is away is an alert (the other one never came); this one is too.
    alerts.when(
        lambda s: (
            "Scherm wachtzaal gelijkvloers" in {a.device_name for a in alerts.of("device_offline")}
        ),
        "the display offline",
    )
    alerts.when(lambda s: alerts.of("wait_over_target"), "the wait over its target")
    assert alerts.of("wait_over_target")[0].service_id == "geboorte"
    kiosk.publish_status(True, offline_tickets=0)
    alerts.when(lambda s: not alerts.of("offline_tickets"), "all handed in")


def test_alerts_nobody_took_are_still_there_after_a_restart(
    hub: HubProcess, connect: Connect, clock: FrozenClock, mosquitto: Mosquitto, tmp_path: Path
) -> None:
    web, alerts = web_with_alerts(connect)
    kiosk = present(hub, connect("kiosk-inkom", role="kiosk"))
    kiosk.publish_status(True, help_since=clock().isoformat(), printer="paper_out")
    alerts.when(lambda s: len(s.alerts) == 2, "two alerts")
    first = {a.id for a in alerts.last.alerts}  # type: ignore[union-attr]
    kiosk.close()
    web.close()
    hub.close()
    again = build_hub(TOWNHALL, tmp_path / "site.db", mosquitto.broker, clock=clock)
    again.hub.start()
    try:
        assert {a.id for a in again.hub.engine.state.alerts.values() if a.open} >= first
        later, seen = web_with_alerts(connect)
        seen.when(lambda s: {a.id for a in s.alerts} >= first, "the same alerts after a restart")
        (help_alert,) = seen.of("help_requested")
        assert later.request("acknowledge_alert", by="an", alert_id=help_alert.id).ok
    finally:
        again.close()


def test_kiosks_and_displays_are_not_sent_the_alerts(
    hub: HubProcess, connect: Connect, clock: FrozenClock
) -> None:
    """At the broker they may not read office/alerts (test_office_security); the hub also
    publishes no visitor data there."""
    _web, alerts = web_with_alerts(connect)
    kiosk = present(hub, connect("kiosk-inkom", role="kiosk"))
    kiosk.publish_status(True, help_since=clock().isoformat())
    alerts.when(lambda s: s.alerts, "an alert")
    assert alerts.last is not None
    raw = alerts.last.model_dump_json()
    for personal in ("booking", "initials", "token", "note"):
        assert personal not in raw


def _online(hub: HubProcess, device: str) -> bool:
    presence = hub.hub.devices.presence(device)
    return presence is not None and presence.online
