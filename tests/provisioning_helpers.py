"""A provisioned hub over a real Mosquitto that reads the generated password and ACL files,
and devices that enrol against it."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from link.mqtt import Broker, Incoming
from loket.broker import Mosquitto, free_port
from provisioning.admin import ask
from provisioning.broker_files import BIND_CLIENT_IDS, client_id_prefix
from provisioning.discovery import HubAnnouncement
from provisioning.enrol import Credentials, obtain_credentials
from provisioning.hubside import HubProvisioning
from provisioning.messages import AdminReply
from queue_engine.hub.bootstrap import HubProcess, build_hub
from tests.mqtt_fixtures import TOWNHALL, FrozenClock, until

SITE = "stad-voorbeeld"


@dataclass
class Rig:
    """A provisioned town-hall hub and the broker it configures."""

    mosquitto: Mosquitto
    prov: HubProvisioning
    process: HubProcess
    folder: Path
    clock: FrozenClock
    threads: list[threading.Thread] = field(default_factory=list)

    enrol_port: int = 0

    @property
    def broker(self) -> Broker:
        """The broker, without credentials (the listener that takes credentials only)."""
        return self.mosquitto.broker

    @property
    def enrol_broker(self) -> Broker:
        """The enrolment listener (anonymous clients let in, for enrolment only)."""
        return Broker(self.mosquitto.host, self.enrol_port)

    def announcement(self) -> HubAnnouncement:
        """What a device would find by zeroconf."""
        return HubAnnouncement(SITE, self.broker.url, enrol=self.enrol_broker.url)

    def admin(self, verb: str, **fields: Any) -> AdminReply[Any]:
        """What `loket devices VERB` asks."""
        return ask(self.folder, verb, timeout=10, **fields)

    def start_enrolment(
        self, kind: str, data_dir: Path, hub: HubAnnouncement | None = None, **kw: Any
    ) -> tuple[queue.Queue[str], queue.Queue[Any]]:
        """Run a device's enrolment in a thread: (codes it shows, its result)."""
        codes: queue.Queue[str] = queue.Queue()
        result: queue.Queue[Any] = queue.Queue()
        hub = hub or self.announcement()

        def device() -> None:
            try:
                result.put(
                    obtain_credentials(
                        kind, data_dir, codes.put, hub=hub, timeout=20, poll=0.5, **kw
                    )
                )
            except Exception as error:
                result.put(error)

        thread = threading.Thread(target=device, daemon=True)
        thread.start()
        self.threads.append(thread)
        return codes, result

    def waiting(self, count: int = 1) -> None:
        """Wait until the hub holds `count` requests waiting for approval."""
        until(lambda: len(self.prov.pairing.pending()) >= count)

    def enrol(self, kind: str, data_dir: Path, **approve: Any) -> Credentials:
        """Enrol a device from start to end."""
        codes, result = self.start_enrolment(kind, data_dir)
        code = codes.get(timeout=10)
        self.waiting()
        reply = self.admin("approve", code=code, role=kind, **approve)
        assert reply.ok, reply.error
        creds = result.get(timeout=10)
        assert isinstance(creds, Credentials), creds
        return creds


def provisioned_hub(
    tmp_path: Path, clock: FrozenClock, extra: str = "", **open_kw: Any
) -> Iterator[Rig]:
    """Start Mosquitto with the generated files, the hub, and provisioning beside it."""
    folder = tmp_path / "provisioning"
    mosquitto = Mosquitto(port=free_port())
    # Enrolled devices are sent to the listener that binds client ids to users; devices
    # enrol on another, the only one that lets anonymous clients in.
    open_kw.setdefault("public_broker", mosquitto.broker.url)
    enrol_port = free_port()
    open_kw.setdefault("enrol_port", enrol_port)
    prov = HubProvisioning.open(TOWNHALL, folder, mosquitto.broker, **open_kw)
    # As root, Mosquitto drops to its own user, which may not read a test's private files.
    as_root = "user root\n" if os.geteuid() == 0 else ""
    mosquitto.extra = (
        BIND_CLIENT_IDS
        + prov.files.mosquitto_lines()
        + as_root
        + f"listener {enrol_port} {mosquitto.host}\n"
        + extra
    )
    prov.files.reload = mosquitto.reload
    process: HubProcess | None = None
    rig: Rig | None = None
    try:
        mosquitto.start()
        process = build_hub(
            TOWNHALL, tmp_path / "site.db", prov.broker, clock=clock, devices=prov.devices()
        )
        rig = Rig(mosquitto, prov, process, folder, clock, enrol_port=enrol_port)
        process.hub.start()
        assert process.hub.connection.wait_online(5), "the hub could not log in"
        prov.start(process.hub)
        assert prov.service is not None
        assert prov.service.connection.wait_online(5)
        yield rig
    finally:
        prov.close()
        if process is not None:
            process.close()
        mosquitto.close()
        for thread in rig.threads if rig else []:
            thread.join(timeout=25)


@pytest.fixture
def rig(tmp_path: Path, clock: FrozenClock) -> Iterator[Rig]:
    """A provisioned hub (no zeroconf)."""
    yield from provisioned_hub(tmp_path, clock)


def record_service(rig: Rig) -> tuple[list[Incoming], list[tuple[str, bytes]]]:
    """What the hub's provisioning service receives and publishes from now on."""
    service = rig.prov.service
    assert service is not None
    received: list[Incoming] = []
    sent: list[tuple[str, bytes]] = []
    handle, publish = service._handle, service.connection.publish

    def handled(incoming: Incoming) -> None:
        received.append(incoming)
        handle(incoming)

    def published(topic: str, payload: bytes, **kw: Any) -> None:
        sent.append((topic, payload))
        publish(topic, payload, **kw)

    service._handle = handled  # type: ignore[method-assign]
    service.connection.publish = published  # type: ignore[method-assign]
    return received, sent


class RawClient:
    """A bare paho client, to see exactly what the broker answers."""

    def __init__(
        self,
        broker: Broker,
        username: str | None = None,
        password: str | None = None,
        *,
        v5: bool = True,
        client_id: str = "",
        exact_id: str | None = None,
    ) -> None:
        """`client_id` gets the site's client-id prefix; `exact_id` is sent as it is."""
        if exact_id is None:
            client_id = client_id_prefix(SITE) + (client_id or os.urandom(4).hex())
        else:
            client_id = exact_id
        version = MQTTProtocolVersion.MQTTv5 if v5 else MQTTProtocolVersion.MQTTv311
        self.client = paho.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=version
        )
        if username:
            self.client.username_pw_set(username, password)
        self.connack: queue.Queue[Any] = queue.Queue()
        self.pubacks: queue.Queue[Any] = queue.Queue()
        self.messages: queue.Queue[paho.MQTTMessage] = queue.Queue()
        self.disconnected = threading.Event()
        self.disconnects = 0
        self.client.on_connect = lambda c, u, f, rc, p=None: self.connack.put(rc)
        self.client.on_publish = lambda c, u, mid, rc, p=None: self.pubacks.put(rc)
        self.client.on_message = lambda c, u, msg: self.messages.put(msg)
        self.client.on_disconnect = lambda *a: self._gone()
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()

    def _gone(self) -> None:
        self.disconnects += 1
        self.disconnected.set()

    def reason(self) -> Any:
        """The CONNACK's reason code."""
        return self.connack.get(timeout=5)

    def publish(self, topic: str, payload: bytes = b"{}") -> Any:
        """Publish with QoS 1 and return the PUBACK's reason code."""
        self.client.publish(topic, payload, qos=1)
        return self.pubacks.get(timeout=5)

    def close(self) -> None:
        """Disconnect and stop the loop."""
        self.client.disconnect()
        self.client.loop_stop()
