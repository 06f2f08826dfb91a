"""The front office's part of the contract: its commands and what the hub publishes for it.

The office speaks through the web process, the device `web` (role `web`): that process
checks the account's role (manager or supervisor) and names the account as `by` in every
command; the hub trusts the `web` device for that, as the broker vouches for the device,
and records `by` in the audit log with the action. No other device may send these verbs.

    state/info     retained, everyone: info messages for the displays, with their expiry
    state/office   retained, everyone: paused services, full_today overrides, temporary
                   counters and counters assigned to other services today
    office/alerts  retained, the web process and staff terminals: the open alerts
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from link.protocol.base import Id, Message, Person, Request, ShortText, Texts, TicketNumber
from queue_engine.domain.alerts import AlertKind
from queue_engine.domain.model import CancelReason

Ids = Annotated[list[Id], Field(max_length=50)]
#: An audit action's name, e.g. "login" or "account.disabled".
Action = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.]{0,63}$")]
AuditScalar = ShortText | int | bool | None


class OfficeRequest(Request):
    """Every office command: who in the office gave it (the account name)."""

    by: Person


class PauseServiceRequest(OfficeRequest):
    """Stop walk-ins of a service; the kiosk shows `message` on its tile."""

    service_id: Id
    message: Texts


class ResumeServiceRequest(OfficeRequest):
    """Give walk-in tickets of a paused service again."""

    service_id: Id


class KeepOpenTodayRequest(OfficeRequest):
    """Override full_today for the service for the rest of today (false: stop)."""

    service_id: Id
    keep_open: bool = True


class OpenTemporaryCounterRequest(OfficeRequest):
    """Open a counter for today only: its id, name, place and services."""

    counter_id: Id
    name: ShortText
    services: Annotated[list[Id], Field(min_length=1, max_length=50)]
    zone: Id | None = None
    floor: Annotated[int, Field(ge=-10, le=200)] | None = None
    room: ShortText | None = None


class CloseTemporaryCounterRequest(OfficeRequest):
    """Close a temporary counter (it has no ticket and none is sent to it)."""

    counter_id: Id


class AssignCounterRequest(OfficeRequest):
    """A counter serves these services today; an empty list: the site file's again."""

    counter_id: Id
    services: Ids = Field(default_factory=list)


class PostInfoRequest(OfficeRequest):
    """An info message for every display, or only those of `zones` or in `devices`."""

    texts: Texts
    until: AwareDatetime
    zones: Ids = Field(default_factory=list)
    devices: Ids = Field(default_factory=list)


class WithdrawInfoRequest(OfficeRequest):
    """Take an info message off the displays."""

    info_id: Id


class OfficeTicketRef(OfficeRequest):
    """An office command about any active ticket, by id or number."""

    ticket_id: int | None = None
    number: TicketNumber | None = None


class OfficeCancelRequest(OfficeTicketRef):
    """Cancel a ticket."""

    reason: CancelReason = CancelReason.WITHDRAWN


class OfficeTransferRequest(OfficeTicketRef):
    """Send a ticket to another service or counter; it keeps its place."""

    to_service_id: Id | None = None
    to_counter_id: Id | None = None
    note: Annotated[str, StringConstraints(max_length=500)] = ""


class ReprintTicketRequest(OfficeTicketRef):
    """Print a ticket again on the printer of kiosk `kiosk_id` (which must be online)."""

    kiosk_id: Id


class PaperRefilledRequest(OfficeRequest):
    """Paper is back in a kiosk's printer: its paper alerts close and it checks again."""

    kiosk_id: Id


class AcknowledgeAlertRequest(OfficeRequest):
    """A person takes an alert."""

    alert_id: Id


class RecordAuditRequest(OfficeRequest):
    """An action done in the web process (login, account change) for the audit log."""

    action: Action
    detail: Annotated[dict[Id, AuditScalar], Field(max_length=20)] = Field(default_factory=dict)


class AuditLogRequest(OfficeRequest):
    """The audit log from `since` on, newest first (read-only: answered from the store)."""

    since: AwareDatetime | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 100


class ReportPrintRequest(Request):
    """A kiosk says how a reprint order went (printed or not, and its printer's state)."""

    order_id: Id
    number: TicketNumber
    printed: bool
    printer: Id


#: The office's verbs (role `web`) and the kiosk's report on a reprint.
REQUESTS: dict[str, type[Request]] = {
    "pause_service": PauseServiceRequest,
    "resume_service": ResumeServiceRequest,
    "keep_open_today": KeepOpenTodayRequest,
    "open_temporary_counter": OpenTemporaryCounterRequest,
    "close_temporary_counter": CloseTemporaryCounterRequest,
    "assign_counter": AssignCounterRequest,
    "post_info": PostInfoRequest,
    "withdraw_info": WithdrawInfoRequest,
    "office_cancel": OfficeCancelRequest,
    "office_transfer": OfficeTransferRequest,
    "reprint_ticket": ReprintTicketRequest,
    "paper_refilled": PaperRefilledRequest,
    "acknowledge_alert": AcknowledgeAlertRequest,
    "record_audit": RecordAuditRequest,
    "audit_log": AuditLogRequest,
    "report_print": ReportPrintRequest,
}
#: Verbs only the office (role `web`) sends.
OFFICE_VERBS = frozenset(REQUESTS) - {"report_print"}


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InfoView(_Closed):
    """One info message: its texts, for whom (no zones nor devices: everyone), until when."""

    id: str
    texts: dict[str, str]
    zones: list[str] = Field(default_factory=list)
    devices: list[str] = Field(default_factory=list)
    since: AwareDatetime
    until: AwareDatetime


class InfoState(Message):
    """state/info: the info messages live now; a display shows those meant for it."""

    at: datetime
    messages: list[InfoView]


class AlertView(_Closed):
    """One open alert: what, since when, where (the device's name and place), and who took it.

    `active` is false when the condition is gone but the alert waits for a person (a help
    request, paper-out). No visitor's data: devices, services and counts only."""

    id: str
    kind: AlertKind
    since: AwareDatetime
    active: bool = True
    device_id: str | None = None
    device_name: str | None = None
    zone: str | None = None
    floor: int | None = None
    room: str | None = None
    service_id: str | None = None
    detail: str = ""
    acknowledged_by: str | None = None
    acknowledged_at: AwareDatetime | None = None


class AlertsState(Message):
    """office/alerts: every open alert, oldest first."""

    at: datetime
    alerts: list[AlertView]


class PauseView(_Closed):
    """A service whose walk-ins are paused, and the message kiosks show."""

    service_id: str
    since: AwareDatetime
    message: dict[str, str]


class TemporaryCounterView(_Closed):
    """A counter open for today only."""

    id: str
    name: str
    services: list[str]
    zone: str | None = None
    floor: int | None = None
    room: str | None = None
    opened_at: AwareDatetime


class AssignmentView(_Closed):
    """A configured counter serving other services today."""

    counter_id: str
    services: list[str]
    since: AwareDatetime


class OfficeState(Message):
    """state/office: what the office changed for today (who did it is in the audit log)."""

    at: datetime
    paused: list[PauseView]
    kept_open: list[str]
    temporary_counters: list[TemporaryCounterView]
    assignments: list[AssignmentView]


#: The office's published messages, for the schema documentation.
MESSAGES: dict[str, type[BaseModel]] = {
    "state-info": InfoState,
    "state-office": OfficeState,
    "office-alerts": AlertsState,
}
