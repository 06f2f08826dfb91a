"""The client every app uses to talk to its hub: requests with retries, typed state, presence.

    client = LoketClient("stad-voorbeeld", "kiosk-inkom", Broker.parse("mqtt://127.0.0.1"))
    client.on_services(show_tiles)          # called with a ServicesState, from paho's thread
    client.start()
    reply = client.request("issue_ticket", service_id="eid", language="nl")
    reply.data.ticket.number if reply.ok else reply.error.code   # a ReplyMessage[TicketReply]

Callbacks run on the network thread: handing over to a UI thread is the UI's job.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any, Literal, TypeVar, overload

from pydantic import BaseModel, ValidationError

from link.mqtt import Broker, Connection, Incoming
from link.protocol import messages as m
from link.protocol import office as o
from link.protocol import replies as r
from link.protocol.orders import KioskOrder
from link.protocol.topics import Topics

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
#: The verbs whose reply is the ticket as the command left it.
TicketVerb = Literal[
    "issue_ticket",
    "add_visit_service",
    "call_ticket",
    "recall",
    "start",
    "finish",
    "no_show",
    "reactivate",
    "hold",
    "transfer",
    "cancel",
    "submit_offline_ticket",
    "delay_request",
]


class HubUnavailable(Exception):
    """No reply came from the hub within the time allowed (after every retry)."""


class _Pending:
    """A request waiting for its reply, and the model its data is read as."""

    def __init__(self, model: type[r.ReplyData]) -> None:
        self.model = model
        self.done = threading.Event()
        self.reply: r.ReplyMessage[Any] | None = None


class _Addressed(BaseModel):
    """Just enough of a reply to find the request it answers."""

    request_id: str


class LoketClient:
    """One device's connection to its site's hub."""

    def __init__(
        self,
        site_id: str,
        device_id: str,
        broker: Broker,
        *,
        role: str | None = None,
        version: str | None = None,
        on_online: Callable[[bool], None] | None = None,
    ) -> None:
        self.topics = Topics(site_id)
        self.device_id = device_id
        self.role = role
        self.version = version
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._handlers: dict[str, Callable[[Incoming], None]] = {}
        self._on_online_cb = on_online
        self.connection = Connection(
            f"loket-{site_id}-{device_id}",
            broker,
            on_message=self._received,
            on_online=self._online,
            will=(self.topics.device_status(device_id), self._status(False)),
        )
        self._route(self.topics.reply(device_id), self._replied)

    # --- life cycle -------------------------------------------------------------------

    def start(self) -> None:
        """Connect in the background (and keep reconnecting)."""
        self.connection.start()

    def wait_online(self, timeout: float = 5.0) -> bool:
        """Block until connected, or `timeout` seconds."""
        return self.connection.wait_online(timeout)

    @property
    def online(self) -> bool:
        """Connected to the broker now."""
        return self.connection.online

    def close(self) -> None:
        """Say offline, disconnect, stop the network thread."""
        self.connection.close(last=(self.topics.device_status(self.device_id), self._status(False)))

    # --- requests ---------------------------------------------------------------------

    @overload
    def request(
        self,
        verb: TicketVerb,
        *,
        timeout: float = ...,
        retries: int = ...,
        request_id: str | None = ...,
        **fields: Any,
    ) -> r.ReplyMessage[r.TicketReply]: ...
    @overload
    def request(
        self,
        verb: Literal["check_in"],
        *,
        timeout: float = ...,
        retries: int = ...,
        request_id: str | None = ...,
        **fields: Any,
    ) -> r.ReplyMessage[r.CheckInResult]: ...
    @overload
    def request(
        self,
        verb: Literal["call_next"],
        *,
        timeout: float = ...,
        retries: int = ...,
        request_id: str | None = ...,
        **fields: Any,
    ) -> r.ReplyMessage[r.CallResult]: ...
    @overload
    def request(
        self,
        verb: Literal["counter_status"],
        *,
        timeout: float = ...,
        retries: int = ...,
        request_id: str | None = ...,
        **fields: Any,
    ) -> r.ReplyMessage[r.CounterStatusResult]: ...
    @overload
    def request(
        self,
        verb: Literal["lease_numbers"],
        *,
        timeout: float = ...,
        retries: int = ...,
        request_id: str | None = ...,
        **fields: Any,
    ) -> r.ReplyMessage[r.LeaseResult]: ...
    @overload
    def request(
        self,
        verb: Literal["ticket_status"],
        *,
        timeout: float = ...,
        retries: int = ...,
        request_id: str | None = ...,
        **fields: Any,
    ) -> r.ReplyMessage[r.TicketStatusResult]: ...
    @overload
    def request(
        self,
        verb: Literal["ticket_details"],
        *,
        timeout: float = ...,
        retries: int = ...,
        request_id: str | None = ...,
        **fields: Any,
    ) -> r.ReplyMessage[r.TicketDetailsResult]: ...
    @overload
    def request(
        self,
        verb: str,
        *,
        timeout: float = ...,
        retries: int = ...,
        request_id: str | None = ...,
        **fields: Any,
    ) -> r.ReplyMessage[Any]: ...
    def request(
        self,
        verb: str,
        *,
        timeout: float = 3.0,
        retries: int = 2,
        request_id: str | None = None,
        **fields: Any,
    ) -> r.ReplyMessage[Any]:
        """Send a command and wait for its reply, its data read as the verb's reply model
        (`replies.REPLIES`); retries reuse the request id, so the hub
        applies it once. Raises HubUnavailable when no reply comes, ValueError when the
        command is malformed (before anything is sent). Nothing is sent while offline;
        a command sent just before the link dropped may still arrive later: retry it
        with the same `request_id` to learn its fate."""
        model = m.REQUESTS.get(verb)
        if model is None:
            raise ValueError(f"unknown command {verb!r}")
        rid = request_id or uuid.uuid4().hex
        payload = model(request_id=rid, **fields).model_dump_json(exclude_none=True).encode()
        pending = _Pending(r.REPLIES[verb])
        with self._lock:
            self._pending[rid] = pending
        try:
            for _attempt in range(retries + 1):
                # Never leave a command queued while offline: paho would send it after
                # the caller gave up, and the hub would act on it unseen.
                if self.connection.wait_online(timeout / (retries + 1)):
                    self.connection.publish(
                        self.topics.command(self.device_id, verb),
                        payload,
                        correlation=rid.encode(),
                        response_topic=self.topics.reply(self.device_id),
                    )
                if pending.done.wait(timeout / (retries + 1)):
                    assert pending.reply is not None
                    return pending.reply
        finally:
            with self._lock:
                self._pending.pop(rid, None)
        raise HubUnavailable(f"no reply to {verb} {rid} within {timeout:g} s")

    def _replied(self, incoming: Incoming) -> None:
        try:
            rid = _Addressed.model_validate_json(incoming.payload).request_id
        except ValidationError:
            log.warning("ignored a malformed reply on %s", incoming.topic)
            return
        with self._lock:
            pending = self._pending.get(rid)
        if pending is None or pending.reply is not None:
            return
        try:
            reply = r.ReplyMessage[pending.model].model_validate_json(  # type: ignore[name-defined]
                incoming.payload
            )
        except ValidationError as error:
            log.warning("ignored a malformed reply on %s: %s", incoming.topic, error)
            return
        pending.reply = reply
        pending.done.set()

    # --- state ------------------------------------------------------------------------

    def on_services(self, callback: Callable[[m.ServicesState], None]) -> None:
        """Every service's waiting count, expected wait and availability (retained)."""
        self._typed(self.topics.services, m.ServicesState, callback)

    def on_counter(self, callback: Callable[[m.CounterStateMessage], None]) -> None:
        """Each counter's status and ticket (retained)."""
        self._typed(self.topics.all_counters, m.CounterStateMessage, callback)

    def on_calls(self, callback: Callable[[m.CallsState], None]) -> None:
        """The last calls (retained)."""
        self._typed(self.topics.calls, m.CallsState, callback)

    def on_called(self, callback: Callable[[m.CalledEvent], None]) -> None:
        """Each call as it happens."""
        self._typed(self.topics.called, m.CalledEvent, callback)

    def on_device_status(self, callback: Callable[[m.DeviceStatus], None]) -> None:
        """Every device's presence, the hub's included."""
        self._typed(self.topics.all_device_status, m.DeviceStatus, callback)

    def on_info(self, callback: Callable[[o.InfoState], None]) -> None:
        """Info messages for the displays (retained)."""
        self._typed(self.topics.info, o.InfoState, callback)

    def on_office(self, callback: Callable[[o.OfficeState], None]) -> None:
        """What the office changed for today (retained)."""
        self._typed(self.topics.office, o.OfficeState, callback)

    def on_alerts(self, callback: Callable[[o.AlertsState], None]) -> None:
        """The open alerts (retained; the web process and staff terminals may read them)."""
        self._typed(self.topics.alerts, o.AlertsState, callback)

    def on_orders(self, callback: Callable[[KioskOrder], None]) -> None:
        """The hub's orders to this kiosk (reprint, check the printer)."""
        self._typed(self.topics.device_orders(self.device_id), KioskOrder, callback)

    def publish_status(self, online: bool = True, **fields: Any) -> None:
        """Publish this device's presence (retained), e.g. with its printer's state."""
        status = self._status(online, **fields)
        self.connection.publish(self.topics.device_status(self.device_id), status, retain=True)

    def _typed(self, topic_filter: str, model: type[M], callback: Callable[[M], None]) -> None:
        def deliver(incoming: Incoming) -> None:
            if not incoming.payload:
                return  # a retained message was cleared
            try:
                message = model.model_validate_json(incoming.payload)
            except ValidationError as error:
                log.warning("ignored a malformed message on %s: %s", incoming.topic, error)
                return
            callback(message)

        self._route(topic_filter, deliver)

    def _route(self, topic_filter: str, handler: Callable[[Incoming], None]) -> None:
        self._handlers[topic_filter] = handler
        self.connection.subscribe(topic_filter)

    def _received(self, incoming: Incoming) -> None:
        for topic_filter, handler in list(self._handlers.items()):
            if _matches(topic_filter, incoming.topic):
                handler(incoming)

    def _online(self, up: bool) -> None:
        if up:
            self.publish_status(True)
        if self._on_online_cb is not None:
            self._on_online_cb(up)

    def _status(self, online: bool, **fields: Any) -> bytes:
        status = m.DeviceStatus(
            device=self.device_id, online=online, role=self.role, version=self.version, **fields
        )
        return status.model_dump_json(exclude_none=True).encode()


def _matches(topic_filter: str, topic: str) -> bool:
    """MQTT topic matching with '+' and '#'."""
    want, have = topic_filter.split("/"), topic.split("/")
    for i, part in enumerate(want):
        if part == "#":
            return True
        if i >= len(have) or (part != "+" and part != have[i]):
            return False
    return len(want) == len(have)
