"""The one thin wrapper over paho-mqtt: our own types in, our own types out.

A `Connection` connects in the background and keeps reconnecting with backoff, sets
TCP_NODELAY (without it a QoS 1 round trip costs tens of milliseconds), restores its
subscriptions after each reconnect, and hands every message over as an `Incoming`.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Broker:
    """Where the broker is: `mqtt://host:port`, `?protocol=3.1.1` for an MQTT 3.1.1 broker;
    `mqtts://host:8883?ca=/path/ca.pem` over TLS, checked against that CA (default: the
    system's). `verify=False` skips the check (only for enrolment, which seals its own data)."""

    host: str = "127.0.0.1"
    port: int = 1883
    protocol: str = "5"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    tls: bool = False
    ca_file: str | None = None
    verify: bool = True

    @classmethod
    def parse(cls, url: str) -> Broker:
        """Read a broker URL; a clear error says which part is wrong."""
        parts = urlsplit(url if "://" in url else f"mqtt://{url}")
        if parts.scheme not in ("mqtt", "mqtts"):
            raise ValueError(
                f"broker URL {url!r}: scheme must be mqtt:// or mqtts://, not {parts.scheme}://"
            )
        tls = parts.scheme == "mqtts"
        try:
            port = parts.port or (8883 if tls else 1883)
        except ValueError:
            raise ValueError(f"broker URL {url!r}: the port is not a number") from None
        query = parse_qs(parts.query)
        protocol = query.get("protocol", ["5"])[0]
        if protocol not in ("5", "3.1.1"):
            raise ValueError(f"broker URL {url!r}: protocol must be 5 or 3.1.1")
        host = parts.hostname or "127.0.0.1"
        ca_file = query.get("ca", [None])[0]
        return cls(host, port, protocol, parts.username, parts.password, tls, ca_file)

    @property
    def url(self) -> str:
        """The URL again (without credentials)."""
        suffix = "" if self.protocol == "5" else "?protocol=3.1.1"
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}{suffix}"


@dataclass(frozen=True)
class Incoming:
    """A received message."""

    topic: str
    payload: bytes
    retained: bool = False
    correlation: bytes | None = None
    response_topic: str | None = None


def _nodelay(client: paho.Client, userdata: Any, sock: Any) -> None:
    if isinstance(sock, socket.socket):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class Connection:
    """One MQTT session that keeps itself connected."""

    def __init__(
        self,
        client_id: str,
        broker: Broker,
        *,
        on_message: Callable[[Incoming], None],
        on_online: Callable[[bool], None] | None = None,
        will: tuple[str, bytes] | None = None,
        keepalive: int = 15,
        session_expiry: int = 0,
    ) -> None:
        """`session_expiry` > 0 keeps the session (subscriptions, queued QoS 1 messages)
        on the broker for that many seconds while disconnected, also across restarts."""
        self.broker = broker
        self._session_expiry = session_expiry
        self._on_message = on_message
        self._on_online = on_online
        self._subscriptions: dict[str, int] = {}
        self._lock = threading.Lock()
        self._online = threading.Event()
        self._keepalive = keepalive
        self._closing = False
        v5 = broker.protocol == "5"
        self._client = paho.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=MQTTProtocolVersion.MQTTv5 if v5 else MQTTProtocolVersion.MQTTv311,
            clean_session=None if v5 else session_expiry <= 0,
        )
        self._v5 = v5
        if broker.username:
            self._client.username_pw_set(broker.username, broker.password)
        if broker.tls:
            required = ssl.CERT_REQUIRED if broker.verify else ssl.CERT_NONE
            self._client.tls_set(ca_certs=broker.ca_file, cert_reqs=required)
            self._client.tls_insecure_set(not broker.verify)
        if will is not None:
            self._client.will_set(will[0], will[1], qos=1, retain=True)
        self._client.reconnect_delay_set(1, 2)
        self._client.on_socket_open = _nodelay
        self._client.on_connect = self._connected
        self._client.on_disconnect = self._disconnected
        self._client.on_message = self._received

    @property
    def online(self) -> bool:
        """Whether the session is connected now."""
        return self._online.is_set()

    def start(self) -> None:
        """Connect in the background; keeps retrying until `close`."""
        if self._v5 and self._session_expiry > 0:
            properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
            properties.SessionExpiryInterval = self._session_expiry
            self._client.connect_async(
                self.broker.host,
                self.broker.port,
                self._keepalive,
                clean_start=False,
                properties=properties,
            )
        else:
            self._client.connect_async(self.broker.host, self.broker.port, self._keepalive)
        self._client.loop_start()

    def wait_online(self, timeout: float) -> bool:
        """Block until connected (True) or `timeout` seconds passed (False)."""
        return self._online.wait(timeout)

    def subscribe(self, topic_filter: str, qos: int = 1) -> None:
        """Subscribe now if connected, and again after every reconnect."""
        with self._lock:
            self._subscriptions[topic_filter] = qos
        if self.online:
            self._client.subscribe(topic_filter, qos)

    def publish(
        self,
        topic: str,
        payload: bytes,
        *,
        qos: int = 1,
        retain: bool = False,
        correlation: bytes | None = None,
        response_topic: str | None = None,
    ) -> bool:
        """Queue a message; False if paho refused it at once (queued messages survive)."""
        properties = None
        if self._v5 and (correlation is not None or response_topic is not None):
            properties = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
            if correlation is not None:
                properties.CorrelationData = correlation
            if response_topic is not None:
                properties.ResponseTopic = response_topic
        info = self._client.publish(topic, payload, qos=qos, retain=retain, properties=properties)
        return info.rc in (paho.MQTT_ERR_SUCCESS, paho.MQTT_ERR_NO_CONN)

    def close(self, last: tuple[str, bytes] | None = None, timeout: float = 2.0) -> None:
        """Publish `last` (retained) if connected, then disconnect and stop the loop."""
        if last is not None and self.online:
            info = self._client.publish(last[0], last[1], qos=1, retain=True)
            try:
                info.wait_for_publish(timeout)
            except (RuntimeError, ValueError):
                log.debug("final message not sent")
        self._closing = True
        self._client.disconnect()
        self._client.loop_stop()
        self._online.clear()

    def _connected(self, client: paho.Client, userdata: Any, flags: Any, reason: Any,
                   properties: Any = None) -> None:  # fmt: skip
        if reason.is_failure:
            log.warning("broker %s refused the connection: %s", self.broker.url, reason)
            return
        with self._lock:
            subscriptions = list(self._subscriptions.items())
        for topic_filter, qos in subscriptions:
            client.subscribe(topic_filter, qos)
        self._online.set()
        log.info("connected to %s", self.broker.url)
        if self._on_online is not None:
            self._on_online(True)

    def _disconnected(self, client: paho.Client, userdata: Any, flags: Any, reason: Any,
                      properties: Any = None) -> None:  # fmt: skip
        was_online = self._online.is_set()
        self._online.clear()
        if was_online and not self._closing:
            log.warning("lost the broker %s: %s", self.broker.url, reason)
        if was_online and self._on_online is not None:
            self._on_online(False)

    def _received(self, client: paho.Client, userdata: Any, message: paho.MQTTMessage) -> None:
        props = getattr(message, "properties", None)
        incoming = Incoming(
            topic=message.topic,
            payload=bytes(message.payload),
            retained=bool(message.retain),
            correlation=getattr(props, "CorrelationData", None),
            response_topic=getattr(props, "ResponseTopic", None),
        )
        try:
            self._on_message(incoming)
        except Exception:
            log.exception("handling a message on %s failed", message.topic)
