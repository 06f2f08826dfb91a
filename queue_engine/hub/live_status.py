"""Tickets by their token, for the live ticket page: read-only answers from memory.

The page's process (role `web`) asks `ticket_status` for the tokens of its open pages each
time the queue changes. The hub answers from the engine's in-memory state, in its worker
thread, without a store transaction and without recording the request: a poll must cost
microseconds, not a durable write. The answer says where a ticket stands (number, service,
status, place, expected wait, counter) and never anything about the visitor: no token, no
ticket id, no booking code, no priority class, no channel.

`delay_request` ("I need 10 more minutes") is a real command: it becomes a Hold of the
waiting ticket, executed and stored like any other.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from link.protocol import messages as m
from link.protocol.replies import (
    Expired,
    LiveTicket,
    ReplyMessage,
    TicketStatusResult,
    UnknownTicket,
)
from link.protocol.roles import Device
from queue_engine.domain import commands as c
from queue_engine.domain.estimates import expected_wait
from queue_engine.domain.model import (
    CancelReason,
    Counter,
    PriorityClass,
    Service,
    Site,
    Ticket,
    TicketStatus,
)
from queue_engine.domain.policy import fifo_key
from queue_engine.hub.dispatch import Refused
from queue_engine.service.state import QueueState

#: Why a page shows a ticket as over (the `expired` field); None while it is live.
EXPIRED_REASONS = ("done", "cancelled", "no_show", "other_day", "unknown")
_FINAL_REASON: dict[TicketStatus, Expired] = {
    TicketStatus.DONE: "done",
    TicketStatus.CANCELLED: "cancelled",
    TicketStatus.NO_SHOW: "no_show",
}


class TokenIndex:
    """Token → ticket id over one QueueState; catches up as tickets are added.

    A state's tickets are only ever added or replaced, never removed, and a dict keeps
    insertion order: the tickets not indexed yet are the last ones."""

    def __init__(self) -> None:
        self._state: QueueState | None = None
        self._ids: dict[str, int] = {}
        self._seen = 0

    def find(self, state: QueueState, token: str) -> Ticket | None:
        """The ticket with this token in `state`, or None."""
        if state is not self._state:
            self._state, self._ids, self._seen = state, {}, 0
        if len(state.tickets) != self._seen:
            for ticket in itertools.islice(state.tickets.values(), self._seen, None):
                if ticket.token:
                    self._ids[ticket.token] = ticket.id
            self._seen = len(state.tickets)
        ticket_id = self._ids.get(token)
        return state.tickets.get(ticket_id) if ticket_id is not None else None


def places(waiting: Iterable[Ticket]) -> dict[int, int]:
    """How many tickets go before each waiting ticket of one service.

    The same rule as `estimates.ahead_of` (first come, first served; a normal ticket also
    lets every priority ticket go first), for a whole queue in O(n log n)."""
    queue = sorted(waiting, key=fifo_key)
    total_priority = sum(1 for t in queue if t.priority is PriorityClass.PRIORITY)
    ahead: dict[int, int] = {}
    priority_so_far = 0
    for index, ticket in enumerate(queue):
        if ticket.priority is PriorityClass.PRIORITY:
            priority_so_far += 1
            ahead[ticket.id] = index
        else:
            ahead[ticket.id] = index + total_priority - priority_so_far
    return ahead


class WaitLine:
    """`estimates.expected_wait` for one service, for many places at once.

    The estimate is a straight line in the number of tickets ahead from one ticket on (a
    test holds it to `expected_wait`), so three calls per service price a whole queue."""

    def __init__(self, service: Service, state: QueueState, counters: Mapping[str, Counter],
                 busy: set[str]) -> None:  # fmt: skip
        recent = state.recent.get(service.id, ())
        w0, w1, w2 = (
            expected_wait(ahead, service, recent, counters, state.counters, busy)
            for ahead in (0, 1, 2)
        )
        self.first, self.start, self.step = w0, w1, w2 - w1

    def __call__(self, ahead: int) -> float:
        """Seconds until a ticket with `ahead` tickets before it is called."""
        return self.first if ahead == 0 else self.start + (ahead - 1) * self.step


class LiveStatus:
    """Answers the live page's questions about tickets, by token."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.index = TokenIndex()

    def answer(
        self, request: m.TicketStatusRequest, state: QueueState, now: datetime
    ) -> ReplyMessage[TicketStatusResult]:
        """The reply to `ticket_status`: one entry per token asked."""
        found = {token: self.index.find(state, token) for token in request.tokens}
        services = {t.service_id for t in found.values() if t and t.status is TicketStatus.WAITING}
        ahead = {
            tid: n
            for sid in services
            for tid, n in places(state.waiting_by_service.get(sid, {}).values()).items()
        }
        busy = {sid for sid, queue in state.waiting_by_service.items() if queue}
        lines = {
            sid: WaitLine(self.site.services[sid], state, self.site.counters, busy)
            for sid in services
        }
        today = self.site.local_day(now)
        tickets = {
            token: self.view(ticket, ahead, lines, today) if ticket is not None else UnknownTicket()
            for token, ticket in found.items()
        }
        data = TicketStatusResult(tickets=tickets)
        return ReplyMessage(request_id=request.request_id, ok=True, data=data)

    def view(
        self,
        ticket: Ticket,
        ahead: Mapping[int, int],
        lines: Mapping[str, WaitLine],
        today: date,
    ) -> LiveTicket:
        """What the page may show of one ticket: where it stands, nothing about who holds it."""
        counter = self.site.counters.get(ticket.counter_id) if ticket.counter_id else None
        position = expected = None
        if ticket.status is TicketStatus.WAITING and ticket.id in ahead:
            before = ahead[ticket.id]
            position, expected = before + 1, round(lines[ticket.service_id](before))
        return LiveTicket(
            number=ticket.number,
            service_id=ticket.service_id,
            status=ticket.status,
            kind=ticket.kind,
            language=ticket.language,
            day=ticket.day,
            position=position,
            expected_wait_s=expected,
            counter_id=counter.id if counter else None,
            counter_name=counter.name if counter else None,
            zone=counter.zone if counter else None,
            called_at=ticket.called_at,
            recall_count=ticket.recall_count,
            hold_until=ticket.hold_until,
            scheduled_at=ticket.scheduled_at,
            expired=_expired(ticket, today),
        )

    def delay(self, device: Device, request: m.DelayRequest, state: QueueState) -> c.Hold:
        """The Hold a visitor's "call me later" asks for; refused unless the ticket waits."""
        ticket = self.index.find(state, request.token)
        if ticket is None or ticket.day != state.day:
            raise Refused(request.request_id, "not_found", "no ticket of today with this token")
        if ticket.status is not TicketStatus.WAITING:
            raise Refused(
                request.request_id,
                "invalid_transition",
                f"ticket {ticket.number} is {ticket.status.value}; only a waiting ticket can wait"
                " longer",
            )
        return c.Hold(
            request_id=request.request_id,
            actor=device.id,
            ticket_id=ticket.id,
            minutes=request.minutes,
        )


def _expired(ticket: Ticket, today: date) -> Expired | None:
    if ticket.status is TicketStatus.DONE:
        return "done"
    day_closed = ticket.cancel_reason == CancelReason.DAY_CLOSED
    if ticket.day != today or (ticket.status is TicketStatus.CANCELLED and day_closed):
        return "other_day"
    return _FINAL_REASON.get(ticket.status)
