"""The device side of enrolment: find the hub, show a pairing code, receive credentials.

    creds = load_credentials(data_dir) or obtain_credentials("kiosk", data_dir, on_code=show)
    client = LoketClient(creds.site, creds.device_id, creds.broker(), role=creds.role)

`obtain_credentials` blocks (run it off the UI thread); `on_code` gets the 6 digits to
show ('482913'; `format_code` makes '482 913'), again with a new code whenever the old
one expired or was guessed at too often. Credentials are stored owner-only.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pydantic import ValidationError

from link.mqtt import Broker, Connection, Incoming
from provisioning import sealing
from provisioning.discovery import HubAnnouncement, discover
from provisioning.files import private_dir, write_atomic, write_json
from provisioning.messages import Bundle, DeviceRole, EnrolReply, EnrolRequest
from provisioning.topics import ProvisioningTopics, enrol_client_id

log = logging.getLogger(__name__)

CREDENTIALS = "credentials.json"
CA_FILE = "ca.pem"
format_code = sealing.format_code


class EnrolmentFailed(Exception):
    """No credentials: no hub found, time ran out, or the caller stopped it."""


@dataclass(frozen=True)
class Credentials:
    """A device's identity and broker credential, as the hub issued them."""

    site: str
    device_id: str
    role: str
    name: str
    broker_url: str
    username: str
    password: str = field(repr=False)
    counter: str | None = None
    zone: str | None = None
    ca_file: str | None = None

    def broker(self) -> Broker:
        """Where and how to connect (TLS checked against the site's CA when it has one)."""
        parsed = Broker.parse(self.broker_url)
        return Broker(
            parsed.host,
            parsed.port,
            parsed.protocol,
            self.username,
            self.password,
            tls=parsed.tls,
            ca_file=self.ca_file or parsed.ca_file,
        )


def load_credentials(data_dir: str | os.PathLike[str]) -> Credentials | None:
    """The stored credentials, or None when the device is not enrolled yet."""
    path = Path(data_dir) / CREDENTIALS
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return Credentials(**raw)


def forget_credentials(data_dir: str | os.PathLike[str]) -> None:
    """Delete the stored credentials (e.g. after the hub revoked them), to enrol again."""
    for name in (CREDENTIALS, CA_FILE):
        (Path(data_dir) / name).unlink(missing_ok=True)


def store_credentials(data_dir: str | os.PathLike[str], bundle: Bundle) -> Credentials:
    """Keep a received bundle, owner-only (directory 0700, files 0600)."""
    folder = private_dir(data_dir)
    ca_file = None
    if bundle.ca_pem:
        ca_file = str(write_atomic(folder / CA_FILE, bundle.ca_pem))
    creds = Credentials(
        site=bundle.site,
        device_id=bundle.device_id,
        role=bundle.role,
        name=bundle.name,
        broker_url=bundle.broker or "",
        username=bundle.username,
        password=bundle.password,
        counter=bundle.counter,
        zone=bundle.zone,
        ca_file=ca_file,
    )
    write_json(folder / CREDENTIALS, asdict(creds))
    return creds


def obtain_credentials(
    device_kind: DeviceRole,
    data_dir: str | os.PathLike[str],
    on_code: Callable[[str], None],
    *,
    site: str | None = None,
    hub: HubAnnouncement | None = None,
    timeout: float | None = None,
    interfaces: Sequence[str] | None = None,
    version: str | None = None,
    poll: float = 2.0,
    stop: threading.Event | None = None,
) -> Credentials:
    """Stored credentials, or enrol: find the hub (zeroconf, or `hub`), show a code, wait
    for an administrator's approval, store what arrives. Raises EnrolmentFailed when
    `timeout` seconds pass (None: wait for ever) or `stop` is set."""
    stored = load_credentials(data_dir)
    if stored is not None:
        return stored
    deadline = None if timeout is None else time.monotonic() + timeout
    stop = stop or threading.Event()
    while hub is None:
        _check(deadline, stop, "no Loket hub found on the network")
        hub = discover(min(5.0, _left(deadline)), site=site, interfaces=interfaces)
    log.info("found the hub of site %s at %s", hub.site, hub.broker)
    attempt = _Attempt(device_kind, hub, version)
    try:
        while True:
            attempt.begin(on_code)
            bundle = attempt.wait(deadline, stop, poll)
            if bundle is not None:
                creds = store_credentials(data_dir, bundle)
                attempt.acknowledge()
                return creds
    finally:
        attempt.close()


def _left(deadline: float | None) -> float:
    return 5.0 if deadline is None else max(0.0, deadline - time.monotonic())


def _check(deadline: float | None, stop: threading.Event, why: str) -> None:
    if stop.is_set():
        raise EnrolmentFailed("enrolment stopped")
    if deadline is not None and time.monotonic() >= deadline:
        raise EnrolmentFailed(why)


class _Attempt:
    """One code's enrolment: an anonymous MQTT session, the PAKE exchanges, the polling."""

    #: Answers that did not prove the code before the device shows a new one: as many
    #: guesses as the hub allows (Pairing.max_guesses), so a fake hub gets no more.
    MAX_BAD_ANSWERS = 10

    def __init__(self, kind: DeviceRole, hub: HubAnnouncement, version: str | None) -> None:
        self.kind = kind
        self.hub = hub
        self.version = version
        self.topics = ProvisioningTopics(hub.site)
        self.replies: queue.Queue[Incoming] = queue.Queue()
        self.connection: Connection | None = None
        self.keys: sealing.Keys | None = None

    def begin(self, on_code: Callable[[str], None]) -> None:
        """A new code, exchange and session; shows the code."""
        self.close()
        self.code, self.nonce = sealing.new_code(), sealing.new_nonce()
        self.pake = sealing.DevicePake(self.code, self.nonce, self.hub.site)
        self.answered: dict[str, bytes] = {}  # the hub's messages answered: our proof
        self.keys = None
        self.client_id = enrol_client_id(self.hub.site, self.nonce)
        parsed = Broker.parse(self.hub.enrol_url)
        # No CA yet: TLS without checking the broker; the PAKE is what proves the hub.
        broker = Broker(parsed.host, parsed.port, parsed.protocol, tls=parsed.tls, verify=False)
        self.connection = Connection(self.client_id, broker, on_message=self.replies.put)
        self.connection.subscribe(self.topics.enrol_reply(self.client_id))
        self.connection.start()
        on_code(self.code)

    def request(self, kind: str = "request", proof: bytes | None = None) -> bytes:
        """The request (or confirmation, or acknowledgement) payload."""
        message = EnrolRequest(
            type=kind,  # type: ignore[arg-type]
            nonce=self.nonce,
            kind=self.kind,
            pake=sealing.b64(self.pake.message),
            hostname=socket.gethostname()[:100],
            version=self.version,
            proof=sealing.b64(proof) if proof else None,
        )
        return message.model_dump_json(exclude_none=True).encode()

    def _send(self, payload: bytes) -> None:
        assert self.connection is not None
        self.connection.publish(self.topics.enrol_request(self.client_id), payload)

    def _renew(self) -> None:
        """A new exchange for the same code (a SPAKE2 state serves once)."""
        self.pake = sealing.DevicePake(self.code, self.nonce, self.hub.site)
        self._send(self.request())

    def wait(self, deadline: float | None, stop: threading.Event, poll: float) -> Bundle | None:
        """The bundle once approved; None when this code is void (show a new one)."""
        assert self.connection is not None
        bad = 0
        next_send = 0.0
        while bad < self.MAX_BAD_ANSWERS:
            _check(deadline, stop, "no approval in time")
            if time.monotonic() >= next_send and self.connection.online:
                self._send(self.request())
                next_send = time.monotonic() + poll
            reply = self._next_reply(poll)
            if reply is None:
                continue
            if reply.status == "refused":
                log.info("the hub dropped this pairing code (%s); showing a new one", reply.reason)
                return None
            outcome = self._handle(reply)
            if isinstance(outcome, Bundle):
                return outcome
            bad += 0 if outcome else 1
        return None

    def _next_reply(self, poll: float) -> EnrolReply | None:
        try:
            incoming = self.replies.get(timeout=min(0.2, poll))
            reply = EnrolReply.model_validate_json(incoming.payload)
        except (queue.Empty, ValidationError):
            return None
        return reply if reply.nonce == self.nonce else None

    def _handle(self, reply: EnrolReply) -> Bundle | bool:
        """The bundle, or whether the reply was in order (False: a bad answer)."""
        if reply.status == "pending":
            if reply.reason == "again":  # the hub used up our message in a trial
                self._renew()
            return True
        if reply.status == "confirm":
            if self._confirm(reply):
                return True
            self._renew()
            return False
        bundle = self._open(reply)
        return bundle if bundle is not None else False

    def _confirm(self, reply: EnrolReply) -> bool:
        """Answer the hub's proof that it knows the code with ours; False if it does not."""
        message = reply.pake or ""
        if message in self.answered:  # repeated: answer again
            self._send(self.request("confirm", self.answered[message]))
            return True
        try:
            keys = self.pake.answer(sealing.unb64(message), sealing.unb64(reply.proof or ""))
        except ValueError as error:
            log.info("an answer that does not prove this code: %s", error)
            return False
        self.keys = keys
        self.answered[message] = keys.device_proof
        self._send(self.request("confirm", keys.device_proof))
        return True

    def _open(self, reply: EnrolReply) -> Bundle | None:
        if self.keys is None:
            return None
        try:
            sealed = sealing.Sealed(
                sealing.unb64(reply.iv or ""), sealing.unb64(reply.ciphertext or "")
            )
            bundle = Bundle.model_validate_json(sealing.open_sealed(sealed, self.keys, self.nonce))
        except (ValueError, ValidationError) as error:
            log.warning("ignored an answer that does not open with this code: %s", error)
            return None
        if bundle.site != self.hub.site or bundle.role != self.kind:
            log.warning("ignored credentials for %s/%s", bundle.site, bundle.role)
            return None
        return bundle if bundle.broker else bundle.model_copy(update={"broker": self.hub.broker})

    def acknowledge(self) -> None:
        """Tell the hub the bundle arrived (it then forgets the request)."""
        if self.connection is not None and self.keys is not None:
            self._send(self.request("ack", self.keys.ack_proof(self.nonce)))

    def close(self) -> None:
        """End the anonymous session (after sending what is queued)."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None
