"""Offline kiosks: numbers leased in advance, and the tickets issued from them handed in.

While the hub is reachable a kiosk keeps a small lease of numbers per walk-in service. If
the hub or broker goes away, the kiosk issues tickets from its lease, stores them, and
hands each one in when it is back, with the time it was really issued: the visitor keeps
the place they had. Each hand-in carries its own request id, so it counts exactly once.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import time, timedelta

from link.protocol.replies import LeaseResult, TicketReply
from queue_engine.domain import commands as c
from queue_engine.domain import events as ev
from queue_engine.domain.errors import InvalidCommand, InvalidTransition
from queue_engine.domain.model import Channel, Lease, TicketKind
from queue_engine.domain.numbering import CYCLE, format_number
from queue_engine.service.handlers.common import check_language, issued, new_ticket, view
from queue_engine.service.work import Work

MAX_LEASE = 50
#: How far a kiosk's clock may run ahead of the hub's.
CLOCK_SLACK = timedelta(minutes=5)


def lease_numbers(work: Work, cmd: c.LeaseNumbers) -> LeaseResult:
    """Reserve `count` numbers of today for the asking kiosk."""
    service = work.service(cmd.service_id)
    if not service.walk_in:
        raise InvalidCommand(f"{service.id} takes no walk-ins: nothing to lease")
    if not 1 <= cmd.count <= MAX_LEASE:
        raise InvalidCommand(f"lease between 1 and {MAX_LEASE} numbers, not {cmd.count}")
    day = work.site.local_day(work.now)
    in_use = set(work.state.in_use) | work.leased_numbers()
    numbers = _from_the_top(service.prefix, cmd.count, in_use)
    seed = f"{cmd.actor}|{cmd.request_id}|{work.now.isoformat()}".encode()
    lease = Lease(
        id=hashlib.sha1(seed).hexdigest()[:16],
        device=cmd.actor,
        service_id=service.id,
        day=day,
        numbers=tuple(numbers),
        leased_at=work.now,
    )
    work.change.leases[lease.id] = lease
    work.emit(
        ev.NumbersLeased(at=work.now, device=cmd.actor, service_id=service.id, count=len(numbers))
    )
    expires = work.site.at_local(day + timedelta(days=1), time(0))
    return LeaseResult(
        lease_id=lease.id,
        service_id=service.id,
        prefix=service.prefix,
        day=day,
        numbers=numbers,
        expires_at=expires,
    )


def _from_the_top(prefix: str, count: int, taken: set[str]) -> list[str]:
    """Leased numbers come from the top of the range (S999, S998 …), so the day's own
    numbering starts at 001 as everyone expects; it skips them if it ever gets that far."""
    numbers: list[str] = []
    for sequence in range(CYCLE, 0, -1):
        number = format_number(prefix, sequence)
        if number not in taken:
            numbers.append(number)
            if len(numbers) == count:
                break
    return numbers


def submit_offline_ticket(work: Work, cmd: c.SubmitOfflineTicket) -> TicketReply:
    """Take in a ticket a kiosk issued from its lease; it keeps its original time."""
    service = work.service(cmd.service_id)
    check_language(work, cmd.language)
    issued_at = min(cmd.issued_at, work.now)
    if cmd.issued_at > work.now + CLOCK_SLACK:
        raise InvalidCommand(f"issued_at {cmd.issued_at.isoformat()} is in the future")
    day = work.site.local_day(issued_at)
    lease = next(
        (
            x
            for x in {**work.state.leases, **work.change.leases}.values()
            if x.device == cmd.actor
            and x.service_id == service.id
            and x.day == day
            and cmd.number in x.numbers
        ),
        None,
    )
    if lease is None:
        raise InvalidCommand(
            f"{cmd.number} was not leased to {cmd.actor} for {service.id} on {day.isoformat()}"
        )
    taken = [t for t in work.tickets() if t.number == cmd.number and t.day == day]
    taken += [t for t in work.state.tickets.values() if t.number == cmd.number and t.day == day]
    if taken:
        raise InvalidTransition(f"{cmd.number} has already been handed in", number=cmd.number)
    ticket = new_ticket(
        work,
        service,
        TicketKind.WALK_IN,
        cmd.language,
        Channel.KIOSK,
        cmd.priority,
        number=cmd.number,
        at=issued_at,
    )
    work.put(ticket)
    shown = view(work, ticket)
    ticket = replace(ticket, estimated_wait_s=None)
    work.put(ticket, replace(issued(ticket), offline=True))
    return TicketReply(ticket=shown)
