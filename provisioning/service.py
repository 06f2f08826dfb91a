"""The hub's provisioning service: enrolment requests, admin requests, device configuration.

It runs beside the hub with its own MQTT session (its own `provisioning` account: the
broker takes each username as its client id) and one worker thread, so it never slows
the queue. It changes the hub's `DeviceRegistry` in place: an approved device may send
commands at once, a revoked one no longer. It is the registry's only writer.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, NoReturn

from pydantic import ValidationError

from link.mqtt import Broker, Connection, Incoming
from link.protocol.topics import Topics
from provisioning import sealing
from provisioning.admin_ops import AdminOps, OpError
from provisioning.broker_files import Account, BrokerFiles
from provisioning.messages import (
    MAX_PAYLOAD,
    AdminData,
    AdminError,
    AdminReply,
    AdminRequest,
    DeviceConfigMessage,
    EnrolReply,
    EnrolRequest,
)
from provisioning.pairing import Pairing, PairingError
from provisioning.registry import DeviceRecord, Registry
from provisioning.topics import ProvisioningTopics, enrol_client_id
from queue_engine.domain.model import Site
from queue_engine.hub.devices import DeviceRegistry

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
#: Seconds the device showing an administrator's code has to prove it.
CONFIRM_WINDOW = 3.0


class ProvisioningService:
    """Enrols, lists, updates and revokes a site's devices over MQTT."""

    def __init__(
        self,
        site: Site,
        registry: Registry,
        devices: DeviceRegistry,
        broker: Broker,
        files: BrokerFiles,
        accounts: list[Account],
        *,
        public_broker: str | None,
        ca_pem: str | None,
        clock: Clock,
        pairing: Pairing | None = None,
    ) -> None:
        self.site = site
        self.topics = Topics(site.id)
        self.ptopics = ProvisioningTopics(site.id)
        self.registry = registry
        self.devices = devices
        self.clock = clock
        self.pairing = pairing or Pairing(site=site.id)
        self._approving: tuple[AdminRequest, float, set[str]] | None = None
        self.ops = AdminOps(
            site,
            registry,
            devices,
            files,
            accounts,
            self.pairing,
            public_broker=public_broker,
            ca_pem=ca_pem,
            publish_config=self.publish_config,
            clear_device=self._clear_device,
            deliver=self._send,
        )
        self._inbox: queue.Queue[Incoming] = queue.Queue()
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self.connection = Connection(
            f"loket-{site.id}-provisioning",
            broker,
            on_message=self._inbox.put,
            on_online=self._online,
        )

    def start(self) -> None:
        """Connect and serve."""
        self.connection.subscribe(self.ptopics.all_enrol_requests)
        self.connection.subscribe(self.ptopics.admin_request)
        self._worker = threading.Thread(target=self._run, name="loket-provisioning", daemon=True)
        self._worker.start()
        self.connection.start()

    def stop(self) -> None:
        """Stop serving and disconnect."""
        self._stop.set()
        if self._worker is not None:
            self._worker.join(timeout=10)
        self.connection.close()

    # --- worker -----------------------------------------------------------------------

    def _online(self, up: bool) -> None:
        if up:
            for record in self.registry.records():
                if record.has_credentials and record.revoked_at is None:
                    self.publish_config(record)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                incoming = self._inbox.get(timeout=0.5)
            except queue.Empty:
                self.pairing.expire(self.clock())
                self._check_trial()
                continue
            try:
                self._handle(incoming)
                self._check_trial()
            except Exception:
                log.exception("provisioning hit an error on %s; it carries on", incoming.topic)

    def _handle(self, incoming: Incoming) -> None:
        if len(incoming.payload) > MAX_PAYLOAD:
            log.warning("dropped %d bytes on %s: too large", len(incoming.payload), incoming.topic)
            return
        if incoming.topic == self.ptopics.admin_request:
            self._admin(incoming)
            return
        client = self.ptopics.parse_enrol_request(incoming.topic)
        if client is not None and not incoming.retained:  # a retained one: not a device now
            self._enrol(client, incoming.payload)

    def _enrol(self, client: str, payload: bytes) -> None:
        try:
            request = EnrolRequest.model_validate_json(payload)
            sealing.unb64(request.pake)
        except (ValidationError, ValueError):
            log.info("ignored a malformed enrolment request from %s", client)
            return
        if client != enrol_client_id(self.site.id, request.nonce):
            log.info("ignored an enrolment request whose nonce is not its client's (%s)", client)
            return
        now = self.clock()
        if request.type == "ack":
            device = self.pairing.acknowledge(client, request, now)
            if device is not None:
                log.info("device %s received its credentials", device)
            return
        if request.type == "confirm":
            pending = self.pairing.confirm(client, request)
            if pending is not None and self._approving is not None:
                admin, _deadline, clients = self._approving
                self._approving = None
                self._reply(admin, lambda: self.ops.complete_approve(admin, pending, now))
                self._again(clients)
            return
        reply = self.pairing.request(client, request, now)
        self._send(client, reply)

    def _send(self, client: str, reply: EnrolReply) -> None:
        self.connection.publish(self.ptopics.enrol_reply(client), reply.model_dump_json().encode())

    def _admin(self, incoming: Incoming) -> None:
        try:
            request = AdminRequest.model_validate_json(incoming.payload)
        except ValidationError as error:
            log.info("ignored a malformed admin request: %s", error.errors()[:1])
            return
        now = self.clock()
        if request.verb != "approve":
            self._reply(request, lambda: self.ops.run(request, now))
            return
        if self._approving is not None:
            busy = PairingError("busy", "another approval is under way; try again in a moment")
            self._reply(request, lambda: _raise(busy))
            return
        try:
            challenged = self.ops.begin_approve(request, now)
        except (OpError, PairingError) as error:
            refused = error
            self._reply(request, lambda: _raise(refused))
            return
        for pending in challenged:
            assert pending.challenge is not None
            self._send(pending.client_id, pending.challenge)
        clients = {p.client_id for p in challenged}
        self._approving = (request, time.monotonic() + CONFIRM_WINDOW, clients)

    def _check_trial(self) -> None:
        """End an approval no device proved: every one declined, or the time is up."""
        if self._approving is None:
            return
        request, deadline, clients = self._approving
        trial = self.pairing.trial
        if trial is not None and not trial.answered_by_none and time.monotonic() < deadline:
            return
        self._approving = None
        now = self.clock()
        self._reply(request, lambda: self.pairing.fail(now))
        self._again(clients)

    def _again(self, clients: set[str]) -> None:
        """Ask the devices of a finished trial for a new exchange (theirs is used up)."""
        for client, reply in self.pairing.again(clients, self.clock()):
            self._send(client, reply)

    def _reply(self, request: AdminRequest, work: Callable[[], AdminData | None]) -> None:
        """Run `work` for an admin request and publish its answer (or why it failed)."""
        try:
            data = work()
            reply: AdminReply[Any] = AdminReply(request_id=request.request_id, ok=True, data=data)
        except OpError as error:
            reply = AdminReply(
                request_id=request.request_id,
                ok=False,
                error=AdminError(code=error.code, message=error.message),
            )
        except PairingError as error:
            body = AdminError(code=error.code, message=error.message, retry_after=error.retry_after)
            reply = AdminReply(request_id=request.request_id, ok=False, error=body)
        self.connection.publish(self.ptopics.admin_reply, reply.model_dump_json().encode())

    # --- publishing -------------------------------------------------------------------

    def publish_config(self, record: DeviceRecord) -> None:
        """Publish a device's configuration (retained, on the topic only it may read)."""
        message = config_message(self.site.id, record, self.clock())
        payload = message.model_dump_json(exclude_none=True).encode()
        self.connection.publish(self.topics.device_config(record.id), payload, retain=True)

    def _clear_device(self, device_id: str) -> None:
        for topic in (self.topics.device_config(device_id), self.topics.device_status(device_id)):
            self.connection.publish(topic, b"", retain=True)


def _raise(error: Exception) -> NoReturn:
    raise error


def config_message(site: str, record: DeviceRecord, now: datetime) -> DeviceConfigMessage:
    """A device's configuration message."""
    s = record.settings
    return DeviceConfigMessage(
        site=site,
        device=record.id,
        role=record.role,
        name=record.name,
        counter=record.counter,
        zone=record.zone,
        languages=s.get("languages"),
        printer=s.get("printer"),
        printer_profile=s.get("printer_profile"),
        mode=s.get("mode"),
        large_text=bool(s.get("large_text", False)),
        high_contrast=bool(s.get("high_contrast", False)),
        revision=record.revision,
        updated_at=now,
    )
