"""The front office's commands, in the imperative; each names the person (`by`) who gave it.

The office speaks through the web process (the `web` device): that process checks the
account's role and names the account; the hub records it in the audit log with the action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from queue_engine.domain.alerts import Alert
from queue_engine.domain.commands import Command
from queue_engine.domain.model import CancelReason
from queue_engine.domain.office import AuditValue


@dataclass(frozen=True, kw_only=True)
class OfficeCommand(Command):
    """A command given by a person in the office."""

    by: str


@dataclass(frozen=True, kw_only=True)
class PauseService(OfficeCommand):
    """Stop walk-in tickets of a service; kiosks show `message` on its tile."""

    service_id: str
    message: Mapping[str, str] = field(default_factory=dict)
    verb: ClassVar[str] = "pause_service"


@dataclass(frozen=True, kw_only=True)
class ResumeService(OfficeCommand):
    """Give walk-in tickets of a paused service again."""

    service_id: str
    verb: ClassVar[str] = "resume_service"


@dataclass(frozen=True, kw_only=True)
class KeepOpenToday(OfficeCommand):
    """Override full_today for a service today (or stop overriding it)."""

    service_id: str
    keep_open: bool = True
    verb: ClassVar[str] = "keep_open_today"


@dataclass(frozen=True, kw_only=True)
class OpenTemporaryCounter(OfficeCommand):
    """Open a counter for today only."""

    counter_id: str
    name: str
    services: tuple[str, ...]
    zone: str | None = None
    floor: int | None = None
    room: str | None = None
    verb: ClassVar[str] = "open_temporary_counter"


@dataclass(frozen=True, kw_only=True)
class CloseTemporaryCounter(OfficeCommand):
    """Close a temporary counter: it is gone for the rest of the day."""

    counter_id: str
    verb: ClassVar[str] = "close_temporary_counter"


@dataclass(frozen=True, kw_only=True)
class AssignCounter(OfficeCommand):
    """Let a counter serve other services today; no services: back to the site file's."""

    counter_id: str
    services: tuple[str, ...] = ()
    verb: ClassVar[str] = "assign_counter"


@dataclass(frozen=True, kw_only=True)
class PostInfo(OfficeCommand):
    """An info message for all displays, or some zones or devices, until `until`."""

    texts: Mapping[str, str]
    until: datetime
    zones: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()
    verb: ClassVar[str] = "post_info"


@dataclass(frozen=True, kw_only=True)
class WithdrawInfo(OfficeCommand):
    """Take an info message off the displays before it expires."""

    info_id: str
    verb: ClassVar[str] = "withdraw_info"


@dataclass(frozen=True, kw_only=True)
class OfficeCancel(OfficeCommand):
    """Cancel any active ticket from the office."""

    ticket_id: int
    reason: CancelReason = CancelReason.WITHDRAWN
    verb: ClassVar[str] = "office_cancel"


@dataclass(frozen=True, kw_only=True)
class OfficeTransfer(OfficeCommand):
    """Send any active ticket to another service or counter; it keeps its place."""

    ticket_id: int
    to_service_id: str | None = None
    to_counter_id: str | None = None
    note: str = ""
    verb: ClassVar[str] = "office_transfer"


@dataclass(frozen=True, kw_only=True)
class ReprintTicket(OfficeCommand):
    """Print a ticket again on a kiosk's printer (the hub sends the kiosk the order)."""

    ticket_id: int
    kiosk_id: str
    verb: ClassVar[str] = "reprint_ticket"


@dataclass(frozen=True, kw_only=True)
class PaperRefilled(OfficeCommand):
    """Someone put paper in a kiosk's printer: its paper alerts are resolved."""

    kiosk_id: str
    verb: ClassVar[str] = "paper_refilled"


@dataclass(frozen=True, kw_only=True)
class AcknowledgeAlert(OfficeCommand):
    """A person takes an alert."""

    alert_id: str
    verb: ClassVar[str] = "acknowledge_alert"


@dataclass(frozen=True, kw_only=True)
class RecordAudit(OfficeCommand):
    """An action done in the web process (a login, an account change), for the audit log."""

    action: str
    detail: Mapping[str, AuditValue] = field(default_factory=dict)
    verb: ClassVar[str] = "record_audit"


@dataclass(frozen=True, kw_only=True)
class ReportPrint(Command):
    """A kiosk says how an office's reprint order went."""

    order_id: str
    number: str
    printed: bool
    printer: str
    verb: ClassVar[str] = "report_print"


@dataclass(frozen=True, kw_only=True)
class ApplyAlerts(Command):
    """The hub's alert changes (opened, changed, closed), to store."""

    alerts: tuple[Alert, ...] = ()
    verb: ClassVar[str] = "apply_alerts"
    recorded: ClassVar[bool] = False
