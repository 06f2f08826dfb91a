"""The front office at work: any ticket cancelled, transferred or reprinted, paper
refilled, alerts taken, actions of the web process logged, a kiosk's print report."""

from __future__ import annotations

from dataclasses import replace

from link.protocol.office_replies import (
    AlertAckResult,
    AlertsApplied,
    AuditRecorded,
    PaperRefilledResult,
    PrintReported,
    ReprintResult,
)
from link.protocol.replies import TicketReply
from queue_engine.domain import commands as c
from queue_engine.domain import events as ev
from queue_engine.domain import office_commands as oc
from queue_engine.domain.alerts import AlertKind, acknowledge, resolve
from queue_engine.domain.errors import InvalidTransition
from queue_engine.service.handlers import counter
from queue_engine.service.handlers.office import request_key
from queue_engine.service.work import Work

PAPER = frozenset({AlertKind.PAPER_LOW, AlertKind.PAPER_OUT})


def office_cancel(work: Work, cmd: oc.OfficeCancel) -> TicketReply:
    """Cancel any active ticket."""
    ticket = work.ticket(cmd.ticket_id)
    as_counter = c.CancelTicket(
        request_id=cmd.request_id, actor=cmd.actor, ticket_id=ticket.id, reason=cmd.reason
    )
    reply = counter.cancel(work, as_counter)
    work.audit(cmd.by, cmd.actor, "office_cancel", ticket=ticket.number, reason=cmd.reason.value)
    return reply


def office_transfer(work: Work, cmd: oc.OfficeTransfer) -> TicketReply:
    """Send any active ticket elsewhere; it keeps its place."""
    ticket = work.ticket(cmd.ticket_id)
    as_counter = c.Transfer(
        request_id=cmd.request_id,
        actor=cmd.actor,
        ticket_id=ticket.id,
        to_service_id=cmd.to_service_id,
        to_counter_id=cmd.to_counter_id,
        note=cmd.note,
    )
    reply = counter.transfer(work, as_counter)
    work.audit(
        cmd.by,
        cmd.actor,
        "office_transfer",
        ticket=ticket.number,
        to_service=cmd.to_service_id,
        to_counter=cmd.to_counter_id,
    )
    return reply


def reprint_ticket(work: Work, cmd: oc.ReprintTicket) -> ReprintResult:
    """Order a ticket printed again at a kiosk (the hub sends the order after the commit)."""
    ticket = work.ticket(cmd.ticket_id)
    if ticket.is_final:
        raise InvalidTransition(
            f"ticket {ticket.number} is {ticket.status.value}: there is nothing to reprint"
        )
    order = request_key("r", cmd)
    work.emit(ev.ReprintOrdered(at=work.now, ticket_id=ticket.id, kiosk_id=cmd.kiosk_id))
    work.audit(
        cmd.by, cmd.actor, "reprint_ticket", ticket=ticket.number, kiosk=cmd.kiosk_id, order=order
    )
    return ReprintResult(order_id=order, kiosk_id=cmd.kiosk_id, number=ticket.number)


def paper_refilled(work: Work, cmd: oc.PaperRefilled) -> PaperRefilledResult:
    """Close the kiosk's paper alerts; the hub asks the kiosk to check its printer."""
    closed = []
    for alert in list(work.state.alerts.values()):
        if alert.open and alert.kind in PAPER and alert.device_id == cmd.kiosk_id:
            work.put_alert(resolve(alert, cmd.by, work.now))
            closed.append(alert.id)
    work.audit(cmd.by, cmd.actor, "paper_refilled", kiosk=cmd.kiosk_id, closed=len(closed))
    return PaperRefilledResult(kiosk_id=cmd.kiosk_id, closed=closed)


def acknowledge_alert(work: Work, cmd: oc.AcknowledgeAlert) -> AlertAckResult:
    """A person takes an alert."""
    alert = work.alert(cmd.alert_id)
    if not alert.open:
        raise InvalidTransition(f"alert {alert.id} is closed already", alert=alert.id)
    if alert.acknowledged_by is not None:
        taken = alert.acknowledged_at.isoformat() if alert.acknowledged_at else "earlier"
        raise InvalidTransition(
            f"alert {alert.id} was taken by {alert.acknowledged_by} at {taken}", alert=alert.id
        )
    taken_alert = acknowledge(alert, cmd.by, work.now)
    work.put_alert(taken_alert)
    work.emit(ev.AlertAcknowledged(at=work.now, alert_id=alert.id, kind=alert.kind.value))
    work.audit(
        cmd.by,
        cmd.actor,
        "acknowledge_alert",
        alert=alert.id,
        kind=alert.kind.value,
        device=alert.device_id,
        service=alert.service_id,
    )
    return AlertAckResult(
        alert_id=alert.id,
        kind=alert.kind,
        acknowledged_by=cmd.by,
        acknowledged_at=work.now,
        closed=not taken_alert.open,
    )


def record_audit(work: Work, cmd: oc.RecordAudit) -> AuditRecorded:
    """An action of the web process (login, account change) in the audit log."""
    work.audit(cmd.by, cmd.actor, cmd.action, **dict(cmd.detail))
    return AuditRecorded(at=work.now)


def report_print(work: Work, cmd: oc.ReportPrint) -> PrintReported:
    """A kiosk's report on a reprint order, in the audit log."""
    action = "reprint.printed" if cmd.printed else "reprint.failed"
    work.audit(
        cmd.actor, cmd.actor, action, order=cmd.order_id, ticket=cmd.number, printer=cmd.printer
    )
    return PrintReported(order_id=cmd.order_id)


def apply_alerts(work: Work, cmd: oc.ApplyAlerts) -> AlertsApplied:
    """Store the hub's alert changes (an alert a person closed meanwhile stays closed, and
    one a person took keeps who took it)."""
    changed = 0
    for seen in cmd.alerts:
        stored = work.change.alerts.get(seen.id) or work.state.alerts.get(seen.id)
        if stored is not None and not stored.open and seen.open:
            continue
        alert = seen
        if stored is not None and stored.acknowledged_by and not seen.acknowledged_by:
            alert = replace(
                seen, acknowledged_by=stored.acknowledged_by, acknowledged_at=stored.acknowledged_at
            )
        work.put_alert(alert)
        changed += 1
    return AlertsApplied(changed=changed)
