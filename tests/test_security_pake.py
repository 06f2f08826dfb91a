"""Issue 13, item 2: a recorded enrolment gives no offline test of the code, and a fake hub
can neither complete an enrolment nor obtain credentials."""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loket.broker import Mosquitto
from provisioning import sealing
from provisioning.discovery import Advertiser, HubAnnouncement
from provisioning.enrol import load_credentials, obtain_credentials
from provisioning.messages import EnrolReply, EnrolRequest
from provisioning.topics import ProvisioningTopics, enrol_client_id
from tests.mqtt_fixtures import until
from tests.provisioning_helpers import SITE, RawClient, Rig, record_service, rig

__all__ = ["rig"]
pytestmark = pytest.mark.security
LOOPBACK = ["127.0.0.1"]
PTOPICS = ProvisioningTopics(SITE)


def offline_checks(code: str, request: dict[str, Any], replies: list[dict[str, Any]]) -> int:
    """How many of an eavesdropper's offline tests say `code` is the one: the verifier
    (the old protocol), and every way to check a guess against the PAKE's messages."""
    hits = 0
    if "verifier" in request and "public_key" in request:  # main's protocol: HMAC(scrypt)
        key = hashlib.scrypt(
            code.encode(),
            salt=b"loket-enrol-v1|" + bytes.fromhex(request["nonce"]),
            n=2**14,
            r=8,
            p=1,
            dklen=32,
        )
        public = sealing.unb64(request["public_key"])
        mac = hmac.new(key, b"verifier|" + public, hashlib.sha256).digest()
        hits += hmac.compare_digest(mac, sealing.unb64(request["verifier"]))
    nonce = request["nonce"]
    for reply in replies:
        if "pake" in request and reply.get("status") == "confirm":
            # As the hub, with the device's message: do the keys match the hub's proof?
            _message, keys = sealing.hub_pake(code, nonce, SITE, sealing.unb64(request["pake"]))
            hits += hmac.compare_digest(keys.hub_proof, sealing.unb64(reply["proof"]))
            # As the device, with the hub's message: does the hub's proof check out?
            try:
                sealing.DevicePake(code, nonce, SITE).answer(
                    sealing.unb64(reply["pake"]), sealing.unb64(reply["proof"])
                )
                hits += 1
            except sealing.SealError:
                pass
    return hits


def test_a_recorded_enrolment_gives_no_offline_test_of_the_code(rig: Rig, tmp_path: Path) -> None:
    received, sent = record_service(rig)
    codes, result = rig.start_enrolment("kiosk", tmp_path / "kiosk")
    code = codes.get(timeout=10)
    rig.waiting()
    assert rig.admin("approve", code=code, role="kiosk", name="Kiosk inkom").ok
    result.get(timeout=10)
    request = json.loads(next(m.payload for m in received if "/enrol/request/" in m.topic))
    replies = [json.loads(p) for topic, p in sent if "/enrol/reply/" in topic]
    assert any(r["status"] == "confirm" for r in replies)
    # Even the right code passes none of the attacker's tests: each of the million
    # candidates looks the same, so the only way to test one is to ask a device or the hub.
    assert offline_checks(code, request, replies) == 0
    assert offline_checks(f"{(int(code) + 1) % 10**6:06d}", request, replies) == 0


class FakeHub:
    """A hub that is not the site's: its own open broker, advertised as the site's, that
    answers each enrolment request with a challenge made with a guessed code."""

    def __init__(self) -> None:
        self.mosquitto = Mosquitto().start()
        self.requests: queue.Queue[EnrolRequest] = queue.Queue()
        self.guesses = 0
        broker = self.mosquitto.broker
        self.advertiser = Advertiser(
            HubAnnouncement(SITE, broker.url), broker.port, addresses=LOOPBACK, interfaces=LOOPBACK
        )
        self.spy = RawClient(broker, client_id="fake-hub")
        self.spy.client.on_message = lambda c, u, msg: self._answer(msg.topic, msg.payload)
        assert self.spy.reason() == 0
        self.spy.client.subscribe(PTOPICS.all_enrol_requests, qos=1)
        self.advertiser.start()

    def _answer(self, topic: str, payload: bytes) -> None:
        request = EnrolRequest.model_validate_json(payload)
        self.requests.put(request)
        if request.type != "request" or self.guesses >= 12:  # bounded
            return
        self.guesses += 1
        guess = f"{self.guesses:06d}"
        message, keys = sealing.hub_pake(guess, request.nonce, SITE, sealing.unb64(request.pake))
        challenge = EnrolReply(
            nonce=request.nonce,
            status="confirm",
            pake=sealing.b64(message),
            proof=sealing.b64(keys.hub_proof),
        )
        client = enrol_client_id(SITE, request.nonce)
        self.spy.client.publish(PTOPICS.enrol_reply(client), challenge.model_dump_json(), qos=1)

    def close(self) -> None:
        """Withdraw the advertisement, stop the broker."""
        self.advertiser.close()
        self.spy.close()
        self.mosquitto.close()


@pytest.fixture
def fake_hub() -> Iterator[FakeHub]:
    """A fake hub advertised on loopback."""
    hub = FakeHub()
    try:
        yield hub
    finally:
        hub.close()


def test_a_fake_hub_gets_nothing_from_an_enrolling_device(
    fake_hub: FakeHub, rig: Rig, tmp_path: Path
) -> None:
    data = tmp_path / "kiosk"
    codes: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    outcome: queue.Queue[object] = queue.Queue()

    def device() -> None:
        try:
            outcome.put(
                obtain_credentials(
                    "kiosk", data, codes.put, interfaces=LOOPBACK, poll=0.2, stop=stop, timeout=30
                )
            )
        except Exception as error:
            outcome.put(error)

    thread = threading.Thread(target=device, daemon=True)
    thread.start()
    try:
        first = codes.get(timeout=20)  # found the fake hub: the only one advertised
        request = fake_hub.requests.get(timeout=10)
        assert (
            "pake" in request.model_fields_set
            and offline_checks(first, request.model_dump(), []) == 0
        )
        # Its guessed answers do not convince the device: after 10 it shows a new code.
        second = codes.get(timeout=20)
        assert fake_hub.guesses >= 10
        assert load_credentials(data) is None
        # With the device's code the fake hub registers itself at the real hub; the
        # administrator approves the code the device shows: the hub gives nothing away.
        attacker = _impersonate(rig, request)
        reply = rig.admin("approve", code=second, role="kiosk", name="Kiosk inkom")
        assert not reply.ok and reply.error is not None and reply.error.code == "wrong_code"
        assert attacker.empty() or all(r.status != "approved" for r in list(attacker.queue))
        record = rig.prov.registry.find("kiosk-inkom")
        assert record is not None and not record.has_credentials
    finally:
        stop.set()
        thread.join(10)
    assert load_credentials(data) is None


def _impersonate(rig: Rig, recorded: EnrolRequest) -> queue.Queue[EnrolReply]:
    """An attacker's enrolment at the real hub, replaying the device's recorded message
    (it cannot make one for the code: it does not know it), proving with what it has."""
    nonce = sealing.new_nonce()
    client_id = enrol_client_id(SITE, nonce)
    replies: queue.Queue[EnrolReply] = queue.Queue()
    raw = RawClient(rig.enrol_broker, exact_id=client_id)
    assert raw.reason() == 0
    forged = recorded.model_copy(update={"nonce": nonce, "hostname": "attacker"})

    def answer(topic: str, payload: bytes) -> None:
        reply = EnrolReply.model_validate_json(payload)
        replies.put(reply)
        if reply.status == "confirm":  # its best proof: keys from a guess of its own
            keys = sealing.DevicePake("000000", nonce, SITE)
            proof = hmac.new(keys.message, b"x", hashlib.sha256).digest()
            confirm = forged.model_copy(update={"type": "confirm", "proof": sealing.b64(proof)})
            raw.client.publish(topic.replace("/reply/", "/request/"), confirm.model_dump_json())

    raw.client.on_message = lambda c, u, msg: answer(msg.topic, msg.payload)
    raw.client.subscribe(PTOPICS.enrol_reply(client_id), qos=1)
    raw.publish(PTOPICS.enrol_request(client_id), forged.model_dump_json().encode())
    until(lambda: any(p.client_id == client_id for p in rig.prov.pairing.pending()))
    return replies
