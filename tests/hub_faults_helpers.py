"""Helpers for the hub's fault tests: a raw MQTT client, the fuzz corpus, an always-open site."""

from __future__ import annotations

import collections
import json
import queue
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as paho
import yaml
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from link.mqtt import Broker
from link.protocol.messages import MAX_PAYLOAD, REQUESTS
from link.protocol.topics import Topics
from queue_engine.hub.bootstrap import HubProcess

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ENROLLED = (
    "kiosk-inkom",
    "kiosk-verdieping",
    "display-gelijkvloers",
    *(f"staff-loket-{n}" for n in range(1, 8)),
)
STRANGERS = ("laptop-x", "kiosk-inkom2", "STAFF-LOKET-3", "hub", "x")
VERBS = tuple(REQUESTS)
FIELDS = (
    *("request_id", "service_id", "language", "channel", "priority", "force", "ticket_id"),
    *("number", "minutes", "status", "v", "counter_id", "booking_code", "note"),
)
UNKNOWN_VERBS = ("fly", "issue_tickets", "drop_table", "Issue_Ticket", "call-next", "v1", "X_")


# --- an always-open copy of the town hall ----------------------------------------------


def always_open_site(source: Path, target: Path) -> Path:
    """Write `source` with every day open 00:00-23:59, no exceptions, no service hours or
    last-ticket limits, no caps, never full: tickets can be issued whenever the test runs."""
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    doc["site"]["opening_hours"] = {day: ["00:00-23:59"] for day in WEEKDAYS}
    for service in doc["services"]:
        for key in ("opening_hours", "last_ticket_minutes", "daily_cap"):
            service.pop(key, None)
        service["refuse_when_full"] = False
    target.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


class HubSubprocess:
    """`loket hub` as a child process, its log in a file."""

    def __init__(self, config: Path, db: Path, broker: Broker, log: Path) -> None:
        script = Path(sys.executable).with_name("loket")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "loket.cli"]
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [*command, "hub", "--config", str(config), "--db", str(db),
                 "--broker", broker.url, "--tick", "1"],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def kill(self) -> None:
        """SIGKILL: no goodbye, no flush."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def terminate(self, timeout: float) -> int:
        """SIGTERM and the exit status (killed, and an AssertionError, after `timeout` s)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(
                f"the hub ignored SIGTERM for {timeout} s:\n{self.tail()}"
            ) from None

    def close(self) -> None:
        """Make sure the process is gone (after a failed test)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def tail(self, lines: int = 20) -> str:
        """The end of its log."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


# --- a raw paho client ---------------------------------------------------------------


def _nodelay(client: paho.Client, userdata: Any, sock: Any) -> None:
    if isinstance(sock, socket.socket):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class RawClient:
    """A bare paho client (MQTT 5, TCP_NODELAY) that records what it receives."""

    def __init__(self, broker: Broker, name: str) -> None:
        self.received: queue.Queue[tuple[str, bytes, bytes | None]] = queue.Queue()
        self._subscribed = threading.Event()
        self._connected = threading.Event()
        self.client = paho.Client(
            CallbackAPIVersion.VERSION2, client_id=name, protocol=MQTTProtocolVersion.MQTTv5
        )
        self.client.on_socket_open = _nodelay
        self.client.on_connect = lambda *_: self._connected.set()
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.client.on_message = self._message
        self.client.max_inflight_messages_set(200)
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()
        assert self._connected.wait(5), f"{name} did not connect"

    def _message(self, client: paho.Client, userdata: Any, message: paho.MQTTMessage) -> None:
        props = getattr(message, "properties", None)
        correlation = getattr(props, "CorrelationData", None)
        self.received.put((message.topic, bytes(message.payload), correlation))

    def subscribe(self, topic_filter: str) -> None:
        """Subscribe and wait for the broker's acknowledgement."""
        self._subscribed.clear()
        self.client.subscribe(topic_filter, 1)
        assert self._subscribed.wait(5), f"no SUBACK for {topic_filter}"

    def publish(self, topic: str, payload: bytes, correlation: bytes | None = None) -> Any:
        """Publish at QoS 1 (with MQTT 5 correlation data if given)."""
        props = None
        if correlation is not None:
            props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
            props.CorrelationData = correlation
        return self.client.publish(topic, payload, qos=1, properties=props)

    def drain(self) -> list[tuple[str, bytes, bytes | None]]:
        """Everything received so far."""
        got = []
        while True:
            try:
                got.append(self.received.get_nowait())
            except queue.Empty:
                return got

    def close(self) -> None:
        """Disconnect and stop the network thread."""
        self.client.disconnect()
        self.client.loop_stop()


# --- the fuzz corpus -------------------------------------------------------------------


@dataclass(frozen=True)
class Shot:
    """One fuzz message: where it goes, what it carries."""

    topic: str
    payload: bytes
    kind: str
    correlation: bytes | None = None


def answerable_request_id(payload: bytes) -> str:
    """The request id the hub can echo for `payload`: '' when it cannot read one."""
    if len(payload) > MAX_PAYLOAD:
        return ""
    try:
        raw = json.loads(payload)
    except (ValueError, RecursionError):
        return ""
    rid = raw.get("request_id") if isinstance(raw, dict) else None
    if not (isinstance(rid, str) and 0 < len(rid) <= 100):
        return ""
    try:
        rid.encode("utf-8")
    except UnicodeEncodeError:
        return ""  # a lone surrogate cannot go out in a JSON reply
    return rid


def _valid_looking(rng: random.Random, rid: str) -> tuple[str, str, dict[str, Any]]:
    """A well-formed command that must be refused: unknown service, counter or ticket, or a
    role that may not send it. Returns (device, verb, payload)."""
    staff = f"staff-loket-{rng.randint(1, 7)}"
    kiosk = rng.choice(("kiosk-inkom", "kiosk-verdieping"))
    other_counter = rng.choice(("zz-counter", "balie-zz", "Q"))
    choices: list[tuple[str, str, dict[str, Any]]] = [
        (kiosk, "issue_ticket", {"service_id": rng.choice(("nope", "zz-eid", "pasport", "EIDX"))}),
        (staff, "issue_ticket", {"service_id": "nope", "channel": "desk", "force": True}),
        (kiosk, "issue_ticket", {"service_id": "huwelijk"}),  # appointments only
        (kiosk, "issue_ticket", {"service_id": "eid", "force": True}),  # forbidden
        (kiosk, "issue_ticket", {"service_id": "eid", "channel": "desk"}),  # forbidden
        (kiosk, "call_next", {}),  # forbidden for a kiosk
        ("display-gelijkvloers", "issue_ticket", {"service_id": "eid"}),  # forbidden
        ("display-verdieping", rng.choice(VERBS), {"counter_id": "loket-1"}),
        (kiosk, "check_in", {"booking_code": rng.choice(("ZZZZ-9999", "x", "0" * 40))}),
        (staff, "call_next", {"counter_id": other_counter}),
        (staff, "counter_status", {"counter_id": other_counter, "status": "open"}),
        (staff, "call_ticket", {"number": "ZZ999"}),
        (staff, "call_ticket", {"ticket_id": rng.choice((10**6, 10**9, 7_777_777))}),
        (staff, "cancel", {"ticket_id": 10**6 + rng.randint(0, 999)}),
        (staff, "cancel", {"number": "Q999"}),
        (staff, "reactivate", {"ticket_id": 10**7}),
        (staff, "hold", {"ticket_id": 10**6, "minutes": 5}),
        (staff, "transfer", {"ticket_id": 10**6, "to_service_id": "nope"}),
        (staff, "transfer", {"number": "ZZ001", "to_counter_id": "loket-99"}),
        (kiosk, "add_visit_service", {"ticket_id": 10**6, "service_id": "kinderopvang"}),
        (staff, "add_visit_service", {"number": "ZZ123", "service_id": "nope"}),
        (staff, "cancel", {"ticket_id": 2**70}),
    ]
    device, verb, fields = rng.choice(choices)
    return device, verb, {"request_id": rid, **fields}


def _wrong_types(rng: random.Random, rid: str) -> dict[str, Any]:
    junk: list[Any] = [None, 1, -1.5, True, [], {}, [rid], {"a": 1}, "", "x" * 200, 1e308]
    payload: dict[str, Any] = {"request_id": rid, "service_id": "nope"}
    field = rng.choice(FIELDS)
    payload[field] = rng.choice(junk)
    return payload


def _mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not out:
            break
        at = rng.randrange(len(out))
        action = rng.randrange(4)
        if action == 0:
            out[at] = rng.randrange(256)
        elif action == 1:
            del out[at]
        elif action == 2:
            out.insert(at, rng.choice(b'{}[]",:\\0123456789 tfn\x00\xff'))
        else:
            out[at:at] = out[max(0, at - 8) : at]
    return bytes(out)


def _nested(rng: random.Random, rid: str) -> bytes:
    depth = rng.choice((10, 100, 300, 2000, 20000))
    opener, closer = rng.choice(((b"[", b"]"), (b'{"a":', b"}")))
    junk = opener * depth + b"1" + closer * depth
    if rng.random() < 0.5:
        return b'{"request_id": "' + rid.encode() + b'", "service_id": "eid", "z": ' + junk + b"}"
    return junk


def fuzz_shots(site: str, count: int, seed: int) -> Iterator[Shot]:
    """`count` messages that must all be refused or dropped, deterministic for `seed`."""
    rng = random.Random(seed)
    topics = Topics(site)
    prefix = f"{topics.base}/cmd/"
    kinds = (
        ["bytes"] * 10 + ["mutated"] * 20 + ["truncated"] * 8 + ["wrong_types"] * 10
        + ["unknown_verb"] * 5 + ["huge"] * 2 + ["nested"] * 4 + ["valid_looking"] * 25
        + ["stranger"] * 6 + ["bad_topic"] * 6 + ["surrogate"] * 2 + ["not_object"] * 2
    )  # fmt: skip
    for i in range(count):
        rid = f"fz-{i}"
        kind = rng.choice(kinds)
        device = rng.choice(ENROLLED)
        verb = rng.choice(VERBS)
        if kind == "bytes":
            payload = rng.randbytes(rng.randint(0, 300))
        elif kind in ("mutated", "truncated"):
            device, verb, fields = _valid_looking(rng, rid)
            text = json.dumps(fields).encode()
            cut = text[: rng.randrange(len(text))]
            payload = _mutate(rng, text) if kind == "mutated" else cut
        elif kind == "wrong_types":
            payload = json.dumps(_wrong_types(rng, rid)).encode()
        elif kind == "unknown_verb":
            verb = rng.choice(UNKNOWN_VERBS)
            payload = json.dumps({"request_id": rid, "service_id": "eid"}).encode()
        elif kind == "huge":
            size = rng.choice((5_000, 60_000, MAX_PAYLOAD + 1, 100_000))
            where = rng.choice(("service_id", "request_id", "note"))
            huge = {"request_id": rid, where: "é" * (size // 2)}  # two bytes a character
            payload = json.dumps(huge, ensure_ascii=False).encode()
        elif kind == "nested":
            payload = _nested(rng, rid)
        elif kind == "valid_looking":
            device, verb, fields = _valid_looking(rng, rid)
            payload = json.dumps(fields).encode()
        elif kind == "stranger":
            device = rng.choice(STRANGERS)
            payload = json.dumps({"request_id": rid, "service_id": "eid"}).encode()
        elif kind == "surrogate":
            payload = b'{"request_id": "\\ud800' + rid.encode() + b'", "service_id": "eid"}'
        elif kind == "not_object":
            value = rng.choice(([rid], rid, 1, None, True, [{"request_id": rid}]))
            payload = json.dumps(value).encode()
        else:
            payload = json.dumps({"request_id": rid, "service_id": "eid"}).encode()
            yield Shot(prefix + _bad_topic_tail(rng), payload, kind)
            continue
        correlation = rng.randbytes(rng.randint(0, 64)) if rng.random() < 0.25 else None
        yield Shot(topics.command(device, verb), payload, kind, correlation)


def _bad_topic_tail(rng: random.Random) -> str:
    """Two topic levels under cmd/ that are not a device id and a verb (but match cmd/+/+)."""
    return rng.choice(
        (
            "kiosk inkom/issue_ticket",
            "kiosk-inkom/issue ticket",
            "/issue_ticket",
            "kiosk-inkom/",
            "-kiosk/issue_ticket",
            "kiosk.inkom/issue_ticket",
            "kiösk/issue_ticket",
            f"{'k' * 65}/issue_ticket",
            "kiosk-inkom/issue_ticket;drop",
            "\u200bkiosk/call_next",
        )
    )


def expected_replies(shots: list[Shot], topics: Topics) -> tuple[dict[str, list[str]], int]:
    """Per device, the request ids its replies must carry (one per command); and how many
    messages the hub must drop for their topic."""
    expected: dict[str, list[str]] = {}
    dropped = 0
    for shot in shots:
        parsed = topics.parse_command(shot.topic)
        if parsed is None:
            dropped += 1
            continue
        expected.setdefault(parsed[0], []).append(answerable_request_id(shot.payload))
    return expected, dropped


def send_windowed(
    sender: RawClient, listener: RawClient, shots: list[Shot], topics: Topics, *,
    window: int, timeout: float,
) -> list[tuple[str, bytes, bytes | None]]:  # fmt: skip
    """Publish every shot, with at most `window` replies outstanding; return the replies
    (all of them, or as many as came within `timeout` seconds)."""
    replies: list[tuple[str, bytes, bytes | None]] = []
    outstanding = 0
    deadline = time.monotonic() + timeout
    for shot in shots:
        while outstanding - len(replies) >= window and time.monotonic() < deadline:
            replies.extend(listener.drain())
            time.sleep(0.001)
        sender.publish(shot.topic, shot.payload, shot.correlation)
        outstanding += topics.parse_command(shot.topic) is not None
    while len(replies) < outstanding and time.monotonic() < deadline:
        replies.extend(listener.drain())
        time.sleep(0.005)
    return replies


def assert_correlation_echoed(
    shots: list[Shot], replies: list[tuple[str, bytes, bytes | None]]
) -> None:
    """Each reply to a request id sent once carries that command's MQTT 5 correlation data."""
    sent = collections.Counter(answerable_request_id(s.payload) for s in shots)
    correlation = {answerable_request_id(s.payload): s.correlation for s in shots}
    checked = 0
    for _topic, payload, got in replies:
        rid = json.loads(payload)["request_id"]
        if rid and sent[rid] == 1 and correlation[rid]:
            assert got == correlation[rid], f"reply to {rid} lost its correlation data"
            checked += 1
    assert checked > 100, "too few replies with correlation data to check"


# --- queue state ---------------------------------------------------------------------


def queue_snapshot(process: HubProcess) -> dict[str, Any]:
    """The queue as the engine holds it and as the store has it."""
    state = process.hub.engine.state
    with sqlite3.connect(f"file:{process.store.path}?mode=ro", uri=True) as db:
        counts = {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("tickets", "events", "numbering", "counters")
        }
    db.close()
    return {
        "tickets": {tid: repr(ticket) for tid, ticket in state.tickets.items()},
        "counters": {cid: repr(counter) for cid, counter in state.counters.items()},
        "numbering": dict(state.numbering),
        "in_use": dict(state.in_use),
        "store": counts,
    }
