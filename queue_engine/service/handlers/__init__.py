"""Command handlers: each reads the working view, applies the rules, records the change.

A handler returns the reply's data or raises a DomainError; it touches the store only
through the working view (to look up appointments).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from link.protocol.office_replies import AlertsApplied
from link.protocol.replies import REPLIES, ImportCounts, ReplyData, TickResult
from queue_engine.domain import commands as c
from queue_engine.domain import office_commands as oc
from queue_engine.service.handlers import (
    counter,
    housekeeping,
    intake,
    office,
    office_desk,
    offline,
)
from queue_engine.service.handlers.common import Data
from queue_engine.service.work import Work

HANDLERS: dict[type[c.Command], Callable[[Work, Any], Data]] = {
    c.IssueTicket: intake.issue_ticket,
    c.CheckIn: intake.check_in,
    c.AddVisitService: intake.add_visit_service,
    c.ImportAppointments: intake.import_appointments,
    c.CallNext: counter.call_next,
    c.CallTicket: counter.call_ticket,
    c.Recall: counter.recall,
    c.StartService: counter.start,
    c.Finish: counter.finish,
    c.MarkNoShow: counter.no_show,
    c.Reactivate: counter.reactivate,
    c.Hold: counter.hold,
    c.Transfer: counter.transfer,
    c.CancelTicket: counter.cancel,
    c.SetCounterStatus: counter.set_counter_status,
    c.Tick: housekeeping.tick,
    c.LeaseNumbers: offline.lease_numbers,
    c.SubmitOfflineTicket: offline.submit_offline_ticket,
    oc.PauseService: office.pause_service,
    oc.ResumeService: office.resume_service,
    oc.KeepOpenToday: office.keep_open_today,
    oc.OpenTemporaryCounter: office.open_temporary_counter,
    oc.CloseTemporaryCounter: office.close_temporary_counter,
    oc.AssignCounter: office.assign_counter,
    oc.PostInfo: office.post_info,
    oc.WithdrawInfo: office.withdraw_info,
    oc.OfficeCancel: office_desk.office_cancel,
    oc.OfficeTransfer: office_desk.office_transfer,
    oc.ReprintTicket: office_desk.reprint_ticket,
    oc.PaperRefilled: office_desk.paper_refilled,
    oc.AcknowledgeAlert: office_desk.acknowledge_alert,
    oc.RecordAudit: office_desk.record_audit,
    oc.ReportPrint: office_desk.report_print,
    oc.ApplyAlerts: office_desk.apply_alerts,
}

#: The data model of each command's reply, to read a stored reply back.
REPLY_DATA: dict[type[c.Command], type[ReplyData]] = {
    **{command: REPLIES[command.verb] for command in HANDLERS if command.verb in REPLIES},
    c.ImportAppointments: ImportCounts,
    c.Tick: TickResult,
    oc.ApplyAlerts: AlertsApplied,
}
