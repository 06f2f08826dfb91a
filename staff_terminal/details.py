"""What the terminal shows, from the hub's replies and state: the current ticket's details,
the queue overview, and today's figures for this counter (the hub's; counted here until then)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from i18n import LANGUAGE_NAMES
from link.protocol import messages as m
from link.protocol.replies import (
    CallResult,
    CheckInResult,
    ReplyData,
    TicketDetailsResult,
    TicketReply,
    TicketView,
)
from queue_engine.domain.model import PriorityClass, TicketStatus
from staff_terminal.desk import DeskConfig
from staff_terminal.texts import notes_missing

Row = dict[str, Any]


@dataclass(frozen=True)
class PartialTicket:
    """The counter's ticket as its retained state tells it, until the details arrive."""

    number: str
    status: TicketStatus | None
    service_id: str
    visit_services: tuple[str, ...] = ()


Current = TicketView | PartialTicket


def reply_ticket(data: ReplyData | None) -> TicketView | None:
    """The ticket a reply describes, if it describes one."""
    if isinstance(data, TicketReply | CallResult | CheckInResult | TicketDetailsResult):
        return data.ticket
    return None


def minutes(seconds: float, t: dict[str, str]) -> str:
    """'12 min' (rounded up; 0 for nothing)."""
    return t["minutes"].format(n=max(0, math.ceil(seconds / 60)))


def ticket_facts(view: Current, desk: DeskConfig, t: dict[str, str], language: str) -> list[Row]:
    """The current ticket as label/value rows: status, service, wait, language, appointment…"""
    service = desk.service(view.service_id)
    status = view.status.value if view.status else ""
    name = view.service_name if isinstance(view, TicketView) else ""
    rows = [
        ("status", t.get(f"status_{status}", status)),
        ("to_service", service.name(language) if service else name),
    ]
    if isinstance(view, TicketView):
        rows += _view_facts(view, desk, t, language)
    return [{"label": t[key], "value": value} for key, value in rows]


def _view_facts(
    view: TicketView, desk: DeskConfig, t: dict[str, str], language: str
) -> list[tuple[str, str]]:
    tz = ZoneInfo(desk.timezone)
    rows = []
    if view.called_at:
        rows.append(("waited", minutes((view.called_at - view.queued_since).total_seconds(), t)))
    if view.language:
        rows.append(("ticket_language", LANGUAGE_NAMES.get(view.language, view.language)))
    scheduled = view.scheduled_at
    rows.append(
        ("appointment", scheduled.astimezone(tz).strftime("%H:%M") if scheduled else t["walk_in"])
    )
    if view.priority is PriorityClass.PRIORITY:
        rows.append(("priority", t["yes"]))
    rows.append(("channel", t.get(f"channel_{view.channel.value}", view.channel.value)))
    if view.recall_count:
        rows.append(("recalls", str(view.recall_count)))
    visit = [desk.service(sid) for sid in view.visit_services]
    if visit:
        rows.append(("visit", ", ".join(s.name(language) for s in visit if s)))
    if view.transfers:
        notes = view.transfer_notes
        shown = " / ".join(notes) if notes else notes_missing(view.transfers, language)
        rows.append(("transfers", shown))
    return rows


def documents_text(view: Current, desk: DeskConfig, language: str) -> str:
    """The documents to check for the ticket's service and the rest of its visit."""
    lines = []
    for sid in [view.service_id, *view.visit_services]:
        service = desk.service(sid)
        if service is None:
            continue
        items = service.documents.get(language) or service.documents.get("nl") or []
        lines += [f"• {item}" for item in items if f"• {item}" not in lines]
    return "\n".join(lines)


def queue_rows(
    state: m.ServicesState, desk: DeskConfig, t: dict[str, str], language: str
) -> list[Row]:
    """Waiting per service: this counter's services, then the others where people wait."""
    by_id = {s.id: s for s in state.services}
    order = [*desk.own_services, *(s.id for s in desk.services if s.id not in desk.own_services)]
    rows = []
    for sid in order:
        service = by_id.get(sid)
        info = desk.service(sid)
        if service is None or info is None:
            continue
        if sid not in desk.own_services and not service.waiting:
            continue
        rows.append(
            {
                "prefix": service.prefix,
                "name": info.name(language),
                "waiting": str(service.waiting),
                "longest": minutes(service.longest_wait_s, t) if service.waiting else "",
                "expected": minutes(service.expected_wait_s, t) if service.available else "",
                "own": sid in desk.own_services,
            }
        )
    return rows


@dataclass
class CounterFigures:
    """Today's figures for this counter, counted from the replies this terminal received."""

    day: date | None = None
    called: int = 0
    served: int = 0
    no_shows: int = 0
    transferred: int = 0
    issued: int = 0
    service_seconds: list[float] = field(default_factory=list)
    _started: dict[str, datetime] = field(default_factory=dict)

    def record(self, verb: str, data: ReplyData | None, now: datetime, today: date) -> None:
        """Count one successful command (`now` is this terminal's clock)."""
        if self.day != today:
            self._new_day(today)
        ticket = reply_ticket(data)
        number = ticket.number if ticket else None
        if verb in ("call_next", "call_ticket") and number:
            self.called += 1
            self._started[number] = now
        elif verb == "start" and number:
            self._started[number] = now
        elif verb == "finish" and number:
            self.served += 1
            began = self._started.pop(number, None)
            if began is not None:
                self.service_seconds.append((now - began).total_seconds())
        elif verb == "no_show":
            self.no_shows += 1
        elif verb == "transfer":
            self.transferred += 1
        elif verb == "issue_ticket":
            self.issued += 1

    def _new_day(self, today: date) -> None:
        self.day = today
        self.called = self.served = self.no_shows = self.transferred = self.issued = 0
        self.service_seconds = []
        self._started = {}

    def rows(self, t: dict[str, str]) -> list[Row]:
        """Label/value rows for the screen."""
        mean = sum(self.service_seconds) / len(self.service_seconds) if self.service_seconds else 0
        values = [
            ("fig_called", str(self.called)),
            ("fig_served", str(self.served)),
            ("fig_no_shows", str(self.no_shows)),
            ("fig_transferred", str(self.transferred)),
            ("fig_issued", str(self.issued)),
            ("fig_mean_service", minutes(mean, t) if self.service_seconds else "-"),
        ]
        return [{"label": t[key], "value": value} for key, value in values]


def hub_figure_rows(figures: m.CounterFigures, t: dict[str, str]) -> list[Row]:
    """Today's figures for this counter as the hub counts them (the same for every
    terminal at the counter, and after a restart)."""
    mean = figures.service_time_mean_s
    values = [
        ("fig_called", str(figures.called)),
        ("fig_served", str(figures.served)),
        ("fig_no_shows", str(figures.no_shows)),
        ("fig_transferred", str(figures.transferred_out)),
        ("fig_mean_service", minutes(mean, t) if mean is not None else "-"),
    ]
    return [{"label": t[key], "value": value} for key, value in values]
