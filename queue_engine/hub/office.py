"""The hub's side of the front office: office requests to engine commands (with the checks
that need the device registry), orders to kiosks after a commit, alerts, and the office's
retained topics (state/info, state/office, office/alerts).

The office speaks as the `web` device: the web process checks the account's role and
names the account as `by`; the hub trusts the `web` device for that (the broker's ACL
lets only the web account publish under cmd/web/) and records `by` in the audit log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from link.protocol import office as o
from link.protocol import orders
from link.protocol.base import Request
from link.protocol.office_replies import (
    AuditEntryView,
    AuditLogResult,
    PaperRefilledResult,
    ReprintResult,
)
from link.protocol.replies import ReplyMessage
from link.protocol.roles import Device, Role
from link.protocol.topics import Topics
from queue_engine.domain import office_commands as oc
from queue_engine.domain.commands import Command
from queue_engine.hub.alerts import AlertMonitor, HubHealth
from queue_engine.hub.devices import DeviceRegistry
from queue_engine.hub.dispatch import NumberLookup, Refused
from queue_engine.service.engine import Engine, Reply
from queue_engine.service.handlers.office import info_view
from queue_engine.service.state import QueueState
from queue_engine.service.views import ticket_view

log = logging.getLogger(__name__)
Publish = Callable[..., object]
#: How often the alerts are checked when nothing asks sooner (seconds).
ALERT_INTERVAL = 1.0


def office_command(
    device: Device, request: Request, lookup: NumberLookup, devices: DeviceRegistry
) -> Command:
    """The engine command for a validated office request (or a kiosk's print report)."""
    base: dict[str, Any] = {"request_id": request.request_id, "actor": device.id}
    if isinstance(request, o.ReportPrintRequest):
        return oc.ReportPrint(
            **base,
            order_id=request.order_id,
            number=request.number,
            printed=request.printed,
            printer=request.printer,
        )
    assert isinstance(request, o.OfficeRequest)
    base["by"] = request.by
    if isinstance(request, o.OfficeTicketRef):
        return _ticket_command(request, base, _ticket(request, lookup), devices)
    if isinstance(request, o.PaperRefilledRequest):
        _require_role(request, devices, request.kiosk_id, Role.KIOSK)
        return oc.PaperRefilled(**base, kiosk_id=request.kiosk_id)
    if isinstance(request, o.PostInfoRequest):
        for display in request.devices:
            _require_role(request, devices, display, Role.DISPLAY)
        return oc.PostInfo(
            **base,
            texts={str(lang): text for lang, text in request.texts.items()},
            until=request.until,
            zones=tuple(request.zones),
            devices=tuple(request.devices),
        )
    return _SETTINGS[type(request)](request, base)


_SETTINGS: dict[type[Request], Callable[[Any, dict[str, Any]], Command]] = {
    o.PauseServiceRequest: lambda r, b: oc.PauseService(
        **b, service_id=r.service_id, message=dict(r.message)
    ),
    o.ResumeServiceRequest: lambda r, b: oc.ResumeService(**b, service_id=r.service_id),
    o.KeepOpenTodayRequest: lambda r, b: oc.KeepOpenToday(
        **b, service_id=r.service_id, keep_open=r.keep_open
    ),
    o.OpenTemporaryCounterRequest: lambda r, b: oc.OpenTemporaryCounter(
        **b,
        counter_id=r.counter_id,
        name=r.name,
        services=tuple(r.services),
        zone=r.zone,
        floor=r.floor,
        room=r.room,
    ),
    o.CloseTemporaryCounterRequest: lambda r, b: oc.CloseTemporaryCounter(
        **b, counter_id=r.counter_id
    ),
    o.AssignCounterRequest: lambda r, b: oc.AssignCounter(
        **b, counter_id=r.counter_id, services=tuple(r.services)
    ),
    o.WithdrawInfoRequest: lambda r, b: oc.WithdrawInfo(**b, info_id=r.info_id),
    o.AcknowledgeAlertRequest: lambda r, b: oc.AcknowledgeAlert(**b, alert_id=r.alert_id),
    o.RecordAuditRequest: lambda r, b: oc.RecordAudit(**b, action=r.action, detail=dict(r.detail)),
}


def _ticket(request: o.OfficeTicketRef, lookup: NumberLookup) -> int:
    if request.ticket_id is not None:
        return request.ticket_id
    if request.number is None:
        raise Refused(request.request_id, "invalid_request", "name the ticket: ticket_id or number")
    found = lookup(request.number)
    if found is None:
        raise Refused(request.request_id, "not_found", f"no active ticket {request.number}")
    return found


def _ticket_command(
    request: o.OfficeTicketRef, base: dict[str, Any], ticket_id: int, devices: DeviceRegistry
) -> Command:
    if isinstance(request, o.OfficeCancelRequest):
        return oc.OfficeCancel(**base, ticket_id=ticket_id, reason=request.reason)
    if isinstance(request, o.OfficeTransferRequest):
        return oc.OfficeTransfer(
            **base,
            ticket_id=ticket_id,
            to_service_id=request.to_service_id,
            to_counter_id=request.to_counter_id,
            note=request.note,
        )
    assert isinstance(request, o.ReprintTicketRequest)
    _require_role(request, devices, request.kiosk_id, Role.KIOSK)
    presence = devices.presence(request.kiosk_id)
    if presence is None or not presence.online:
        raise Refused(
            request.request_id,
            "device_offline",
            f"kiosk {request.kiosk_id} is offline: it cannot print",
        )
    return oc.ReprintTicket(**base, ticket_id=ticket_id, kiosk_id=request.kiosk_id)


def _require_role(request: Request, devices: DeviceRegistry, device_id: str, role: Role) -> None:
    device = devices.device(device_id)
    if device is None or device.role is not role:
        raise Refused(
            request.request_id, "not_found", f"no {role.value} {device_id!r} at this site"
        )


def audit_answer(engine: Engine, request: o.AuditLogRequest) -> ReplyMessage[AuditLogResult]:
    """The audit log from the store (read-only, not recorded)."""
    found = engine.store.audit(request.since, request.limit + 1)
    entries = [
        AuditEntryView(
            seq=e.seq or 0, at=e.at, by=e.by, actor=e.actor, action=e.action, detail=dict(e.detail)
        )
        for e in found[: request.limit]
    ]
    data = AuditLogResult(entries=entries, more=len(found) > request.limit)
    return ReplyMessage[AuditLogResult](request_id=request.request_id, ok=True, data=data)


class OfficeDesk:
    """What the hub does for the office besides running its commands."""

    def __init__(
        self, engine: Engine, devices: DeviceRegistry, topics: Topics, publish: Publish
    ) -> None:
        self.engine = engine
        self.devices = devices
        self.topics = topics
        self.publish = publish
        self.health = HubHealth()
        self.alerts = AlertMonitor(devices, self.health)
        self._published: dict[str, str] = {}
        self._next_check = 0.0

    def committed(self, reply: Reply[Any]) -> None:
        """After a command's commit (not a replay): orders to kiosks, alerts to check."""
        data = reply.data
        if isinstance(data, ReprintResult):
            self._order_reprint(data)
        elif isinstance(data, PaperRefilledResult):
            self.devices.forget_printer(data.kiosk_id)
            self._order(data.kiosk_id, orders.CheckPrinterOrder(order_id=reply.request_id[:60]))
        self.alerts.due.set()

    def _order_reprint(self, data: ReprintResult) -> None:
        state = self.engine.state
        ticket_id = state.in_use.get(data.number)
        ticket = state.tickets.get(ticket_id) if ticket_id is not None else None
        if ticket is None:
            log.warning("reprint %s: ticket %s is gone", data.order_id, data.number)
            return
        waiting = state.waiting_by_service.get(ticket.service_id, {}).values()
        view = ticket_view(state.site, ticket, waiting, state.recent, state.counters)
        self._order(data.kiosk_id, orders.ReprintOrder(order_id=data.order_id, ticket=view))

    def _order(self, kiosk_id: str, order: orders.ReprintOrder | orders.CheckPrinterOrder) -> None:
        payload = orders.KioskOrder(order=order).model_dump_json().encode()
        self.publish(self.topics.device_orders(kiosk_id), payload)

    def tick(self, now: datetime) -> None:
        """About once a second, or at once when asked: alerts, then the retained topics."""
        if not self.alerts.due.is_set() and time.monotonic() < self._next_check:
            return
        self._next_check = time.monotonic() + ALERT_INTERVAL
        state = self.engine.state
        changes = self.alerts.changes(state, now)
        if changes:
            self.alerts.keep(changes)
            try:
                started = time.perf_counter()
                request_id = f"alerts-{now.isoformat()}"
                self.engine.execute(
                    oc.ApplyAlerts(request_id=request_id, actor="hub", alerts=tuple(changes)), now
                )
                self.health.committed(time.perf_counter() - started, now)
                self.alerts.stored()
            except Exception:
                log.exception("the store did not take %d alert change(s); kept", len(changes))
                self.health.store_failed(now)
        self.publish_state(self.engine.state, now)

    def publish_state(self, state: QueueState, now: datetime) -> None:
        """Publish the office's retained topics whose content changed."""
        for topic, message in self.messages(state, now):
            key = message.model_dump_json(exclude={"at"})
            if self._published.get(topic) != key:
                self._published[topic] = key
                self.publish(topic, message.model_dump_json().encode(), retain=True)

    def forget(self) -> None:
        """Publish everything again next time (after a reconnect)."""
        self._published.clear()

    def messages(self, state: QueueState, now: datetime) -> list[tuple[str, Any]]:
        """(topic, message) of state/info, state/office and office/alerts at `now`."""
        book = state.office
        info = o.InfoState(at=now, messages=[info_view(i) for i in book.live_info(now)])
        office = o.OfficeState(
            at=now,
            paused=[
                o.PauseView(service_id=p.service_id, since=p.since, message=dict(p.message))
                for p in book.pauses.values()
            ],
            kept_open=sorted(book.overrides),
            temporary_counters=[
                o.TemporaryCounterView(
                    id=t.id,
                    name=t.name,
                    services=list(t.services),
                    zone=t.zone,
                    floor=t.floor,
                    room=t.room,
                    opened_at=t.opened_at,
                )
                for t in book.temporary.values()
            ],
            assignments=[
                o.AssignmentView(counter_id=a.counter_id, services=list(a.services), since=a.since)
                for a in book.assignments.values()
            ],
        )
        return [
            (self.topics.info, info),
            (self.topics.office, office),
            (self.topics.alerts, self.alerts.message(state, now)),
        ]
