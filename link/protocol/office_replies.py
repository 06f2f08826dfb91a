"""The hub's answers to the office's verbs (and to a kiosk's print report), one model each."""

from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, Field

from link.protocol.base import ReplyData
from link.protocol.office import InfoView
from queue_engine.domain.alerts import AlertKind


class ServicePauseResult(ReplyData):
    """pause_service, resume_service: whether walk-ins are paused now, and the message."""

    service_id: str
    paused: bool
    message: dict[str, str] = Field(default_factory=dict)


class KeepOpenResult(ReplyData):
    """keep_open_today: whether full_today is overridden on `day`."""

    service_id: str
    keep_open: bool
    day: date


class CounterSetupResult(ReplyData):
    """A counter as the office left it: open or gone, temporary or not, its services."""

    counter_id: str
    name: str
    services: list[str]
    temporary: bool
    open: bool


class InfoResult(ReplyData):
    """post_info: the message as published (its id withdraws it)."""

    info: InfoView


class InfoWithdrawnResult(ReplyData):
    """withdraw_info: the message is off the displays."""

    info_id: str


class ReprintResult(ReplyData):
    """reprint_ticket: the order sent to the kiosk; the kiosk reports with `order_id`."""

    order_id: str
    kiosk_id: str
    number: str


class PaperRefilledResult(ReplyData):
    """paper_refilled: the paper alerts it closed."""

    kiosk_id: str
    closed: list[str]


class AlertAckResult(ReplyData):
    """acknowledge_alert: who took it, when, and whether that closed it."""

    alert_id: str
    kind: AlertKind
    acknowledged_by: str
    acknowledged_at: AwareDatetime
    closed: bool


class AuditRecorded(ReplyData):
    """record_audit: stored."""

    at: AwareDatetime


class AuditEntryView(ReplyData):
    """One office action: who (the account), through which device, what, when, detail."""

    seq: int
    at: AwareDatetime
    by: str
    actor: str
    action: str
    detail: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


class AuditLogResult(ReplyData):
    """audit_log: entries newest first; `more` when the limit cut the list."""

    entries: list[AuditEntryView]
    more: bool = False


class PrintReported(ReplyData):
    """report_print: the kiosk's report is in the audit log."""

    order_id: str


#: The reply data of each office verb (office_cancel and office_transfer: a TicketReply).
REPLIES: dict[str, type[ReplyData]] = {
    "pause_service": ServicePauseResult,
    "resume_service": ServicePauseResult,
    "keep_open_today": KeepOpenResult,
    "open_temporary_counter": CounterSetupResult,
    "close_temporary_counter": CounterSetupResult,
    "assign_counter": CounterSetupResult,
    "post_info": InfoResult,
    "withdraw_info": InfoWithdrawnResult,
    "reprint_ticket": ReprintResult,
    "paper_refilled": PaperRefilledResult,
    "acknowledge_alert": AlertAckResult,
    "record_audit": AuditRecorded,
    "audit_log": AuditLogResult,
    "report_print": PrintReported,
}


class AlertsApplied(ReplyData):
    """The hub stored its alert changes (not a verb: the hub's own command)."""

    changed: int
