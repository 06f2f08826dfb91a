"""The hub: a site's queue over MQTT. One worker thread executes commands in arrival order.

The paho network thread only queues incoming commands; the worker takes what has
arrived, applies it to the engine as one group commit, then replies, announces calls and
publishes the retained state that changed (at most every `publish_interval` seconds, so a
burst of commands does not flood the displays).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from link.mqtt import Broker, Connection, Incoming
from link.protocol import messages as m
from link.protocol import office as o
from link.protocol.replies import CallResult, ErrorBody, ReplyMessage, TicketReply
from link.protocol.roles import Device, Role
from link.protocol.topics import HUB_DEVICE, WEB_DEVICE, Topics
from queue_engine.domain import commands as c
from queue_engine.domain.model import Site
from queue_engine.hub.details import ticket_details
from queue_engine.hub.devices import DeviceRegistry
from queue_engine.hub.dispatch import Refused, parse, to_command
from queue_engine.hub.event_log import EventLogPublisher
from queue_engine.hub.live_status import LiveStatus
from queue_engine.hub.metrics import HubMetrics
from queue_engine.hub.office import OfficeDesk, audit_answer, office_command
from queue_engine.hub.scope import check_scope
from queue_engine.hub.state import Snapshotter, call_of
from queue_engine.service.engine import Engine, Reply

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
CALL_VERBS = {"call_next", "call_ticket", "recall"}


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


@dataclass
class _Job:
    """One received command on its way through the worker."""

    incoming: Incoming
    device_id: str
    verb: str
    command: c.Command | None = None
    refused: ReplyMessage[Any] | None = None
    query: m.TicketStatusRequest | None = None
    details: m.TicketDetailsRequest | None = None
    audit: o.AuditLogRequest | None = None
    counter: str | None = None
    started: float = 0.0


class Hub:
    """Serves one site's engine over MQTT."""

    def __init__(
        self,
        site: Site,
        engine: Engine,
        broker: Broker,
        *,
        devices: DeviceRegistry,
        clock: Clock = system_clock,
        tick_seconds: float = 15.0,
        publish_interval: float = 0.25,
        batch: int = 200,
        metrics: HubMetrics | None = None,
    ) -> None:
        self.site = site
        self.engine = engine
        self.topics = Topics(site.id)
        self.devices = devices
        self.clock = clock
        self.tick_seconds = tick_seconds
        self.publish_interval = publish_interval
        self.batch = batch
        self.metrics = metrics or HubMetrics()
        self.snapshots = Snapshotter(site, self.topics)
        self.live = LiveStatus(site)
        if devices.device(WEB_DEVICE) is None:  # the live ticket page's process
            devices.enrol(Device(WEB_DEVICE, Role.WEB))
        self._inbox: queue.Queue[Incoming] = queue.Queue()
        self._stop = threading.Event()
        self._republish = threading.Event()
        self._worker: threading.Thread | None = None
        self._last_retention = datetime.min.replace(tzinfo=UTC)
        status = self.topics.device_status(HUB_DEVICE)
        self.connection = Connection(
            f"loket-{site.id}-hub",
            broker,
            on_message=self._received,
            on_online=self._online,
            will=(status, _status(False)),
        )
        self.event_log = EventLogPublisher(self.topics, self.connection.publish)
        self.office = OfficeDesk(engine, devices, self.topics, self.connection.publish)
        engine.on_events = self.event_log

    def start(self) -> None:
        """Load the queue, connect, and start serving."""
        now = self.clock()
        state = self.engine.refresh(now)
        day_start = self.site.at_local(state.day, datetime.min.time())
        self.snapshots.restore_calls(self.engine.store.events(day_start), state)
        self.connection.subscribe(self.topics.all_commands)
        self.connection.subscribe(self.topics.all_device_status)
        self.connection.start()
        self._worker = threading.Thread(target=self._run, name="loket-hub", daemon=True)
        self._worker.start()
        log.info("hub for site %s started", self.site.id)

    def stop(self) -> None:
        """Finish the commands already received, say offline, disconnect."""
        self._stop.set()
        if self._worker is not None:
            self._worker.join(timeout=10)
        self.connection.close(last=(self.topics.device_status(HUB_DEVICE), _status(False)))
        log.info("hub for site %s stopped", self.site.id)

    # --- network thread ---------------------------------------------------------------

    def _received(self, incoming: Incoming) -> None:
        device = self.topics.parse_device_status(incoming.topic)
        if device is not None:
            self.devices.update(device, incoming.payload, self.clock())
            self.metrics.devices_online.set(self.devices.online_count())
            self.office.alerts.due.set()
            return
        self._inbox.put(incoming)

    def _online(self, up: bool) -> None:
        self.metrics.broker_connected.set(1 if up else 0)
        if up:
            self.connection.publish(
                self.topics.device_status(HUB_DEVICE), _status(True), retain=True
            )
            self.office.health.broker_up(self.clock())
            self._republish.set()

    # --- worker thread ----------------------------------------------------------------

    def _run(self) -> None:
        next_tick = time.monotonic()
        last_publish = 0.0
        dirty = True
        while not self._stop.is_set() or not self._inbox.empty():
            jobs = self._take(timeout=min(0.05, max(0.0, next_tick - time.monotonic())))
            try:
                if jobs:
                    dirty = self._handle(jobs) or dirty
                if time.monotonic() >= next_tick:
                    self._tick()
                    next_tick = time.monotonic() + self.tick_seconds
                    dirty = True
                if self._republish.is_set():
                    self._republish.clear()
                    self.snapshots.forget()
                    self.office.forget()
                    dirty = True
                self.office.tick(self.clock())
                if dirty and time.monotonic() - last_publish >= self.publish_interval:
                    self._publish_state()
                    last_publish, dirty = time.monotonic(), False
            except Exception:
                log.exception("the hub's worker hit an error; it carries on")
                time.sleep(0.5)

    def _take(self, timeout: float) -> list[Incoming]:
        try:
            first = self._inbox.get(timeout=timeout)
        except queue.Empty:
            return []
        taken = [first]
        while len(taken) < self.batch:
            try:
                taken.append(self._inbox.get_nowait())
            except queue.Empty:
                break
        return taken

    def _prepare(self, incoming: Incoming) -> _Job | None:
        parsed = self.topics.parse_command(incoming.topic)
        if parsed is None:
            log.warning("dropped a message on %s: not a command topic", incoming.topic)
            return None
        job = _Job(incoming, *parsed, started=time.perf_counter())
        lookup = self.engine.state.in_use.get
        try:
            request = parse(self.devices.device(job.device_id), job.device_id, job.verb,
                            incoming.payload)  # fmt: skip
            device = self.devices.device(job.device_id)
            assert device is not None
            check_scope(device, job.verb, request, self.engine.state)
            if isinstance(request, m.TicketStatusRequest):
                job.query = request  # read-only: answered from memory, never stored
            elif isinstance(request, m.TicketDetailsRequest):
                job.details = request  # read-only too
                job.counter = device.counter
            elif isinstance(request, m.DelayRequest):
                job.command = self.live.delay(device, request, self.engine.state)
            elif isinstance(request, o.AuditLogRequest):
                job.audit = request  # read-only: answered from the store
            elif job.verb in o.REQUESTS:
                job.command = office_command(device, request, lookup, self.devices)
            else:
                job.command = to_command(device, job.verb, request, lookup)
        except Refused as refused:
            job.refused = refused.reply()
            log.info("refused %s from %s: %s", job.verb, job.device_id, refused.message)
        except ValueError as error:
            job.refused = Refused("", "invalid_request", str(error)).reply()
        except RecursionError:  # json.loads on deeply nested junk, before any schema check
            job.refused = Refused("", "invalid_request", "the payload is nested too deeply").reply()
        return job

    def _handle(self, batch: list[Incoming]) -> bool:
        """Execute a batch and answer it; True if it held commands that may change state."""
        jobs = [job for job in map(self._prepare, batch) if job is not None]
        runnable = [job for job in jobs if job.command is not None]
        now = self.clock()
        try:
            commands = [j.command for j in runnable if j.command]
            started = time.perf_counter()
            replies = self.engine.execute_many(commands, now) if commands else []
            self.office.health.committed(time.perf_counter() - started, now)
        except Exception:
            log.exception("the store failed; %d commands were not applied", len(runnable))
            self.office.health.store_failed(now)
            body = ErrorBody(code="unavailable", message="the queue could not store this; retry")
            for job in runnable:
                assert job.command is not None
                job.refused = ReplyMessage(request_id=job.command.request_id, ok=False, error=body)
            replies = []
        answers = dict(zip((id(j) for j in runnable), replies, strict=False))
        for job in jobs:
            if job.query is not None:
                self._answer(job, self.live.answer(job.query, self.engine.state, now))
                continue
            if job.details is not None:
                self._answer(job, ticket_details(self.engine.state, job.details, job.counter))
                continue
            if job.audit is not None:
                self._answer(job, audit_answer(self.engine, job.audit))
                continue
            reply = answers.get(id(job))
            if reply is not None:
                self._send(job, reply.json.encode(), "ok" if reply.ok else reply.error_code)
            else:
                assert job.refused is not None
                self._answer(job, job.refused)
            if reply is not None and reply.ok and not reply.replayed:
                self._announce(job, reply, now)
                if job.verb in o.REQUESTS:
                    self.office.committed(reply)
        return bool(runnable)

    def _answer(self, job: _Job, message: ReplyMessage[Any]) -> None:
        try:
            payload = message.model_dump_json().encode()
        except ValueError:  # a request id read from raw JSON may hold a lone surrogate
            log.info("the request id from %s is not valid UTF-8; replied without it", job.device_id)
            payload = message.model_copy(update={"request_id": ""}).model_dump_json().encode()
        result = "ok" if message.ok else (message.error.code if message.error else "error")
        self._send(job, payload, result)

    def _send(self, job: _Job, payload: bytes, result: str | None) -> None:
        self.connection.publish(
            self.topics.reply(job.device_id), payload, correlation=job.incoming.correlation
        )
        self.metrics.observe(job.verb, result or "error", time.perf_counter() - job.started)

    def _announce(self, job: _Job, reply: Reply[Any], now: datetime) -> None:
        if job.verb not in CALL_VERBS or not isinstance(reply.data, CallResult | TicketReply):
            return
        ticket = reply.data.ticket
        if ticket is None or ticket.counter_id is None:
            return
        stored = self.engine.state.tickets.get(ticket.id)
        if stored is None:
            return
        call = call_of(self.engine.state.site, stored, ticket.counter_id, now, stored.recall_count)
        self.snapshots.add_call(call)
        self.connection.publish(
            self.topics.called, m.CalledEvent(call=call).model_dump_json().encode()
        )

    def _tick(self) -> None:
        now = self.clock()
        request_id = f"tick-{now.isoformat()}"
        self.engine.execute(c.Tick(request_id=request_id, actor=HUB_DEVICE), now)
        if now - self._last_retention >= timedelta(hours=1):
            report = self.engine.apply_retention(now)
            self._last_retention = now
            if report.appointments or report.tickets or report.requests:
                log.info("retention purged %s", report)

    def _publish_state(self) -> None:
        now = self.clock()
        state = self.engine.state
        for topic, payload in self.snapshots.changed(state, now):
            self.connection.publish(topic, payload.encode(), retain=True)
        self.metrics.set_waiting(state)


def _status(online: bool) -> bytes:
    return m.DeviceStatus(device=HUB_DEVICE, online=online, role="hub").model_dump_json().encode()
