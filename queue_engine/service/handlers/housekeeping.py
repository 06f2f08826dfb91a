"""The periodic tick: automatic no-shows, expired holds, missed appointments, day rollover."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from link.protocol.replies import TickResult
from queue_engine.domain import commands as c
from queue_engine.domain import events as ev
from queue_engine.domain import lifecycle
from queue_engine.domain.model import AppointmentStatus, CancelReason, Ticket, TicketStatus
from queue_engine.service.handlers.common import release_counter
from queue_engine.service.work import Work

#: The reason given to tickets still open when their local day has ended.
DAY_CLOSED = CancelReason.DAY_CLOSED.value


def _auto_no_show(work: Work, ticket: Ticket) -> bool:
    limit = work.site.policy.auto_no_show_minutes
    if limit is None or ticket.status is not TicketStatus.CALLED or ticket.called_at is None:
        return False
    if work.now - ticket.called_at < timedelta(minutes=limit):
        return False
    counter_id = ticket.counter_id
    release_counter(work, counter_id, ticket.id)
    work.put(
        lifecycle.no_show(ticket, work.now),
        ev.TicketNoShow(
            at=work.now,
            ticket_id=ticket.id,
            service_id=ticket.service_id,
            counter_id=counter_id,
            automatic=True,
        ),
    )
    return True


def _release_hold(work: Work, ticket: Ticket) -> bool:
    if ticket.status is not TicketStatus.HELD or ticket.hold_until is None:
        return False
    if ticket.hold_until > work.now:
        return False
    window = timedelta(minutes=work.site.policy.no_show_reactivate_minutes)
    work.put(
        lifecycle.reactivate(ticket, work.now, window),
        ev.TicketReleased(at=work.now, ticket_id=ticket.id),
    )
    return True


def _close_old_day(work: Work, ticket: Ticket) -> bool:
    if ticket.day >= work.site.local_day(work.now):
        return False
    release_counter(work, ticket.counter_id, ticket.id)
    work.put(
        lifecycle.cancel(ticket, work.now, DAY_CLOSED),
        ev.TicketCancelled(
            at=work.now, ticket_id=ticket.id, service_id=ticket.service_id, reason=DAY_CLOSED
        ),
    )
    return True


def _missed_appointments(work: Work) -> int:
    late = timedelta(minutes=work.site.policy.checkin_late_minutes)
    missed = 0
    for appointment in list(work.state.appointments.values()):
        if appointment.status is AppointmentStatus.BOOKED and appointment.start + late < work.now:
            work.put_appointment(replace(appointment, status=AppointmentStatus.MISSED))
            work.emit(
                ev.AppointmentMissed(
                    at=work.now,
                    service_ids=appointment.services,
                    scheduled_at=appointment.start,
                )
            )
            missed += 1
    return missed


def tick(work: Work, cmd: c.Tick) -> TickResult:
    """Housekeeping at `now`; returns what it did."""
    counts = {"day_closed": 0, "auto_no_show": 0, "released": 0}
    for ticket in work.state.active():
        if _close_old_day(work, ticket):
            counts["day_closed"] += 1
        elif _auto_no_show(work, ticket):
            counts["auto_no_show"] += 1
        elif _release_hold(work, ticket):
            counts["released"] += 1
    return TickResult(**counts, appointments_missed=_missed_appointments(work))
