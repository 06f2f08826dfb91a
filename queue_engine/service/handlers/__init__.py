"""Command handlers: each reads the working view, applies the rules, records the change.

A handler returns the reply's data or raises a DomainError; it touches the store only
through the working view (to look up appointments).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from link.protocol.replies import REPLIES, ImportCounts, ReplyData, TickResult
from queue_engine.domain import commands as c
from queue_engine.service.handlers import counter, housekeeping, intake, offline
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
}

#: The data model of each command's reply, to read a stored reply back.
REPLY_DATA: dict[type[c.Command], type[ReplyData]] = {
    **{command: REPLIES[command.verb] for command in HANDLERS if command.verb in REPLIES},
    c.ImportAppointments: ImportCounts,
    c.Tick: TickResult,
}
