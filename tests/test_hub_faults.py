"""The hub under faults: fuzzed commands, SIGKILL in a burst, a broker restart.

Everything runs against a real Mosquitto on loopback and a real SQLite file.
"""

from __future__ import annotations

import collections
import json
import logging
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from datetime import time as dt_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from link.client import HubUnavailable, LoketClient
from link.protocol import messages as m
from link.protocol.topics import Topics
from loket.broker import Mosquitto
from queue_engine.hub.bootstrap import HubProcess, build_hub
from tests.hub_faults_helpers import (
    HubSubprocess,
    RawClient,
    always_open_site,
    assert_correlation_echoed,
    expected_replies,
    fuzz_shots,
    queue_snapshot,
    send_windowed,
)
from tests.mqtt_fixtures import SITE, TOWNHALL, FrozenClock, started, until

pytestmark = pytest.mark.faults

Connect = Callable[..., LoketClient]
TOPICS = Topics(SITE)
BRUSSELS = ZoneInfo("Europe/Brussels")
FUZZ_COUNT = 10_000
#: Commands in flight at most: Mosquitto drops QoS 1 messages beyond 1,000 queued for a
#: slow subscriber, and a site's devices never have more than a few requests open.
WINDOW = 200


def _prepare_queue(connect: Connect) -> LoketClient:
    """A few tickets, an open counter, one call: a queue the fuzz must leave alone."""
    kiosk = started(connect("kiosk-inkom"))
    staff = started(connect("staff-loket-3"))
    for service in ("eid", "paspoort", "snelbalie", "eid"):
        assert kiosk.request("issue_ticket", service_id=service).ok
    assert staff.request("counter_status", status="open").ok
    assert staff.request("call_next").ok
    return kiosk


def test_poison_payloads_get_an_error_reply_and_spare_their_batch(
    hub: HubProcess, mosquitto: Mosquitto, caplog: pytest.LogCaptureFixture
) -> None:
    """Two payloads that made the worker drop its whole batch unanswered (fixed in hub.py):
    JSON nested too deeply for json.loads, and a request id holding a lone surrogate."""
    nested = b'{"request_id": "deep", "z": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    surrogate = b'{"request_id": "\\ud800x", "service_id": "eid"}'
    listener = RawClient(mosquitto.broker, "poison-listener")
    sender = RawClient(mosquitto.broker, "poison-sender")
    try:
        listener.subscribe(TOPICS.reply("kiosk-inkom"))
        for i, poison in enumerate((nested, surrogate, nested, surrogate)):
            sender.publish(TOPICS.command("kiosk-inkom", "issue_ticket"), poison)
            good = json.dumps({"request_id": f"good-{i}", "service_id": "eid"}).encode()
            sender.publish(TOPICS.command("kiosk-inkom", "issue_ticket"), good)
        replies: list[dict[str, object]] = []
        until(
            lambda: (
                replies.extend(json.loads(p) for _, p, _ in listener.drain()) or len(replies) >= 8
            ),
            what="eight replies",
        )
    finally:
        sender.close()
        listener.close()
    assert sorted(str(r["request_id"]) for r in replies if r["ok"]) == [
        f"good-{i}" for i in range(4)
    ]
    refused = [r for r in replies if not r["ok"]]
    assert [(r["request_id"], r["error"]["code"]) for r in refused] == [  # type: ignore[index]
        ("", "invalid_request")
    ] * 4
    assert not [r for r in caplog.records if "carries on" in r.getMessage()]


@pytest.mark.slow
def test_fuzzed_commands_change_nothing_and_each_gets_one_reply(
    hub: HubProcess,
    connect: Connect,
    mosquitto: Mosquitto,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """10,000 random and mutated commands through the broker: each answered once (or, on a
    malformed topic, dropped with a log line), nothing in the queue changed, the hub alive."""
    caplog.set_level(logging.WARNING, logger="queue_engine.hub.hub")
    kiosk = _prepare_queue(connect)
    time.sleep(0.2)  # let the hub publish its state: the snapshot must be at rest
    before = queue_snapshot(hub)
    shots = list(fuzz_shots(SITE, FUZZ_COUNT, seed=20261203))
    expected, dropped = expected_replies(shots, TOPICS)
    listener = RawClient(mosquitto.broker, "fuzz-listener")
    sender = RawClient(mosquitto.broker, "fuzz-sender")
    try:
        listener.subscribe(f"{TOPICS.base}/reply/+")
        started_at = time.monotonic()
        replies = send_windowed(sender, listener, shots, TOPICS, window=WINDOW, timeout=25)
        answered_at = time.monotonic()
        time.sleep(0.3)  # a doubled reply would come now
        replies.extend(listener.drain())
    finally:
        sender.close()
        listener.close()
    print(
        f"fuzz: {len(shots)} commands, {len(replies)} replies in "
        f"{answered_at - started_at:.2f} s, {dropped} dropped for their topic"
    )

    got: dict[str, list[str]] = {}
    for topic, payload, _correlation in replies:
        reply = json.loads(payload)
        assert reply["ok"] is False, f"a fuzz command was accepted: {reply}"
        got.setdefault(topic.rsplit("/", 1)[1], []).append(reply["request_id"])
    for device, rids in expected.items():
        want, have = collections.Counter(rids), collections.Counter(got.get(device, []))
        assert have == want, f"{device}: missing {want - have}, extra {have - want}"
    assert set(got) == set(expected), "replies went to devices that sent nothing"
    assert_correlation_echoed(shots, replies)
    assert queue_snapshot(hub) == before, "a refused command changed the queue"
    drops = [r for r in caplog.records if "not a command topic" in r.getMessage()]
    assert len(drops) == dropped
    crashes = [r for r in caplog.records if "carries on" in r.getMessage()]
    assert not crashes, "the hub's worker hit an error"
    reply = kiosk.request("issue_ticket", service_id="eid")
    assert reply.ok and reply.data.ticket.number == "ID003"


# --- SIGKILL during a burst ---------------------------------------------------------------

BURST = (  # device, channel: two kiosks and two staff terminals issuing desk tickets
    ("kiosk-inkom", "kiosk"),
    ("kiosk-verdieping", "kiosk"),
    ("staff-loket-5", "desk"),
    ("staff-loket-6", "desk"),
)
BURST_SERVICES = ("adreswijziging", "bewonerskaart", "afval", "kinderopvang")
PER_DEVICE = 250
KILL_AFTER = 300
GIVE_UP_S = 30.0

Ack = tuple[str, str, int, str]  # device, request id, ticket id, number


def issue_until_answered(
    client: LoketClient, rid: str, service: str, channel: str, stop: threading.Event
) -> Ack:
    """Issue one ticket, retrying the same request id until the hub answers (or 30 s)."""
    deadline = time.monotonic() + GIVE_UP_S
    while not stop.is_set():
        try:
            reply = client.request(
                "issue_ticket", request_id=rid, service_id=service, channel=channel, timeout=1.5
            )
        except HubUnavailable:
            reply = None
        if reply is not None and not (reply.error and reply.error.code == "unavailable"):
            assert reply.ok, f"{client.device_id} {rid}: {reply.error}"
            ticket = reply.data.ticket
            return client.device_id, rid, ticket.id, ticket.number
        assert time.monotonic() < deadline, f"{client.device_id} {rid}: no answer in 30 s"
    raise AssertionError(f"{client.device_id} {rid}: the test stopped the burst")


def burst(
    client: LoketClient,
    channel: str,
    acks: list[Ack],
    errors: list[BaseException],
    stop: threading.Event,
) -> None:
    """One device's share of the burst: PER_DEVICE tickets, each with its own request id."""
    try:
        for i in range(PER_DEVICE):
            service = BURST_SERVICES[i % len(BURST_SERVICES)]
            rid = f"{client.device_id}-{i}"
            acks.append(issue_until_answered(client, rid, service, channel, stop))
    except BaseException as error:  # reported by the test's thread
        errors.append(error)


def watch_hub(watcher: LoketClient) -> threading.Event:
    """An event that is set while the hub says it is online."""
    online = threading.Event()

    def seen(status: m.DeviceStatus) -> None:
        if status.device == "hub":
            (online.set if status.online else online.clear)()

    watcher.on_device_status(seen)
    return online


@pytest.mark.slow
def test_sigkill_during_a_burst_loses_and_doubles_nothing(
    mosquitto: Mosquitto, connect: Connect, tmp_path: Path
) -> None:
    """`loket hub` SIGKILLed after ~300 of 1,000 tickets from four devices and started
    again: every answered ticket stored once, numbers unique, retries answered the same."""
    if datetime.now(BRUSSELS).time() >= dt_time(23, 58):
        pytest.skip("the always-open site closes at 23:59 local time")
    config = always_open_site(TOWNHALL, tmp_path / "always-open.yaml")
    db = tmp_path / "site.db"
    broker = mosquitto.broker
    watcher = connect("display-verdieping")
    hub_online = watch_hub(watcher)
    started(watcher)
    clients = [(started(connect(device)), channel) for device, channel in BURST]
    first = HubSubprocess(config, db, broker, tmp_path / "hub-1.log")
    second: HubSubprocess | None = None
    acks: list[Ack] = []
    errors: list[BaseException] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=burst, args=(client, channel, acks, errors, stop))
        for client, channel in clients
    ]
    try:
        assert hub_online.wait(15), f"the hub did not come up:\n{first.tail()}"
        began = time.monotonic()
        for thread in threads:
            thread.start()
        until(lambda: len(acks) >= KILL_AFTER or errors, timeout=20, what="300 answers")
        hub_online.clear()
        first.kill()
        killed_at, acks_at_kill, kill_time = time.monotonic(), len(acks), datetime.now(UTC)
        second = HubSubprocess(config, db, broker, tmp_path / "hub-2.log")
        assert hub_online.wait(15), f"the hub did not come back:\n{second.tail()}"
        back_after = time.monotonic() - killed_at
        for thread in threads:
            thread.join(timeout=GIVE_UP_S + 10)
        assert not errors, f"{errors[0]!r}\n{second.tail()}"
        finished = time.monotonic() - began
        # Acknowledged requests sent again get their first answer back, nothing new.
        again = acks[:: len(acks) // 20]
        by_device = {client.device_id: (client, channel) for client, channel in clients}
        for device, rid, tid, number in again:
            client, channel = by_device[device]
            service = BURST_SERVICES[int(rid.rsplit("-", 1)[1]) % len(BURST_SERVICES)]
            replay = issue_until_answered(client, rid, service, channel, stop)
            assert replay == (device, rid, tid, number), f"{rid} answered differently"
        assert second.terminate(timeout=10) == 0, second.tail()
    finally:
        stop.set()
        for thread in threads:
            if thread.is_alive():
                thread.join(timeout=10)
        first.close()
        if second is not None:
            second.close()
    assert first.proc.returncode == -signal.SIGKILL
    assert len(acks) == len(BURST) * PER_DEVICE
    stored_at = check_store(db, acks)
    # Stored before the kill, answered after it (most from the stored reply, by the new hub).
    late = [a for a in acks[acks_at_kill:] if stored_at[a[:2]] < kill_time]
    print(
        f"burst: {len(acks)} tickets in {finished:.1f} s; killed after {acks_at_kill} answers, "
        f"{len(late)} stored before the kill but answered after it; the new hub was online "
        f"{back_after:.2f} s after the kill"
    )


def check_store(db: Path, acks: list[Ack]) -> dict[tuple[str, str], datetime]:
    """Every acknowledged ticket is stored once, with its number; nothing else was issued.
    Returns when each request was stored."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tickets = {
            tid: (day, number)
            for tid, day, number in conn.execute("SELECT id, day, number FROM tickets")
        }
        rows = conn.execute(
            "SELECT actor, request_id, reply, at FROM requests WHERE verb = 'issue_ticket'"
        ).fetchall()
    requests = {(actor, rid): json.loads(reply) for actor, rid, reply, _ in rows}
    conn.close()
    answered = {(device, rid): (tid, number) for device, rid, tid, number in acks}
    assert len(answered) == len(acks), "a request id was acknowledged twice"
    for (device, rid), (tid, number) in answered.items():
        assert tid in tickets, f"acknowledged ticket {number} ({device} {rid}) is not stored"
        assert tickets[tid][1] == number, f"ticket {tid} is stored as {tickets[tid][1]}"
        stored = requests[(device, rid)]["data"]["ticket"]
        assert (stored["id"], stored["number"]) == (tid, number)
    numbers = list(tickets.values())
    assert len(numbers) == len(set(numbers)), "a number was issued twice on one day"
    assert len(tickets) == len(answered), "more tickets stored than requests answered"
    assert set(tickets) == {tid for tid, _ in answered.values()}
    assert set(requests) == set(answered)
    return {(actor, rid): datetime.fromisoformat(at) for actor, rid, _, at in rows}


# --- broker restart ----------------------------------------------------------------------


class Display:
    """What a display client saw: presence changes and retained state, with arrival times."""

    def __init__(self) -> None:
        self.online: list[tuple[bool, float]] = []
        self.services: list[tuple[float, m.ServicesState]] = []
        self.counters: list[tuple[float, m.CounterStateMessage]] = []
        self.calls: list[tuple[float, m.CallsState]] = []

    def attach(self, client: LoketClient) -> LoketClient:
        client.on_services(lambda s: self.services.append((time.monotonic(), s)))
        client.on_counter(lambda c: self.counters.append((time.monotonic(), c)))
        client.on_calls(lambda c: self.calls.append((time.monotonic(), c)))
        return client

    def forget(self) -> None:
        self.services.clear()
        self.counters.clear()
        self.calls.clear()

    def state(self) -> tuple[float, dict[str, int], str | None, list[str]] | None:
        """(when it was all there, waiting per service, loket-3's ticket, called numbers)."""
        counter = [(at, c) for at, c in self.counters if c.id == "loket-3"]
        if not (self.services and counter and self.calls):
            return None
        at = max(self.services[-1][0], counter[-1][0], self.calls[-1][0])
        waiting = {s.id: s.waiting for s in self.services[-1][1].services}
        return at, waiting, counter[-1][1].ticket, [c.number for c in self.calls[-1][1].calls]


def test_broker_restart_the_hub_republishes_and_numbering_goes_on(
    tmp_path: Path, connect: Connect, clock: FrozenClock
) -> None:
    """Mosquitto stopped and started again (no persistence): clients see it go, requests
    fail clearly, and within 5 s the display has the whole state back from the hub."""
    broker = Mosquitto().start()  # its own broker: stopping it disturbs no other test
    process = build_hub(TOWNHALL, tmp_path / "site.db", broker.broker, clock=clock)
    try:
        process.hub.start()
        assert process.hub.connection.wait_online(5)
        seen = Display()
        display = seen.attach(
            connect(
                "display-gelijkvloers",
                broker=broker.broker,
                on_online=lambda up: seen.online.append((up, time.monotonic())),
            )
        )
        started(display)
        kiosk = started(connect("kiosk-inkom", broker=broker.broker))
        staff = started(connect("staff-loket-3", broker=broker.broker))
        numbers = [
            kiosk.request("issue_ticket", service_id="eid").data.ticket.number for _ in range(3)
        ]
        assert numbers == ["ID001", "ID002", "ID003"]
        assert staff.request("counter_status", status="open").ok
        assert staff.request("call_next").data.ticket.number == "ID001"
        _, waiting, serving, called = until(
            lambda: (s := seen.state()) and s[2] == "ID001" and s[1]["eid"] == 2 and s,
            what="the display's state",
        )

        broker.stop()
        until(lambda: any(not up for up, _ in seen.online), what="the display going offline")
        until(lambda: not process.hub.connection.online, what="the hub seeing the broker go")
        with pytest.raises(HubUnavailable):
            kiosk.request("issue_ticket", service_id="eid", request_id="outage-1", timeout=0.6)
        seen.forget()
        restarted = time.monotonic()
        broker.start()
        back = until(seen.state, timeout=10, what="the state back")[0] - restarted
        print(f"broker restart: state back on the display {back:.2f} s after the restart")
        assert back < 5.0
        assert seen.online[-1][0] is True
        # The client sent nothing while offline, so the request it gave up on is not
        # carried out behind the kiosk's back: the state is as before the outage.
        until(lambda: seen.state()[1:] == (waiting, serving, called), what="no ghost ticket")
        time.sleep(0.3)
        assert len(process.hub.engine.state.tickets) == 3
        # Retried with its request id, it gets one ticket; numbering goes on where it was.
        retried = kiosk.request("issue_ticket", service_id="eid", request_id="outage-1")
        assert retried.data.ticket.number == "ID004"
        waiting["eid"] += 1
        until(lambda: seen.state()[1:] == (waiting, serving, called), what="the same state")
        assert kiosk.request("issue_ticket", service_id="eid").data.ticket.number == "ID005"
        assert len(process.hub.engine.state.tickets) == 5
    finally:
        process.close()
        broker.close()
