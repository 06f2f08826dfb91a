"""Intake commands: walk-in tickets, appointment check-in and import, nudging."""

from __future__ import annotations

from dataclasses import replace

from link.protocol.replies import (
    AppointmentSlot,
    CheckInResult,
    ImportCounts,
    TicketReply,
)
from queue_engine.domain import commands as c
from queue_engine.domain import events as ev
from queue_engine.domain.availability import require_available
from queue_engine.domain.checkin import normalize_code, same_visit, select_for_check_in
from queue_engine.domain.errors import (
    CheckInReason,
    CheckInRefused,
    InvalidCommand,
    InvalidTransition,
)
from queue_engine.domain.model import (
    Appointment,
    AppointmentStatus,
    Channel,
    Ticket,
    TicketKind,
)
from queue_engine.service.handlers.common import (
    STAFF_CHANNELS,
    check_language,
    issued,
    new_ticket,
    view,
)
from queue_engine.service.views import documents, new_ticket_wait, offers
from queue_engine.service.work import Work


def issue_ticket(work: Work, cmd: c.IssueTicket) -> TicketReply:
    """A walk-in ticket, if the service gives one now."""
    service = work.service(cmd.service_id)
    check_language(work, cmd.language)
    if cmd.force and cmd.channel not in STAFF_CHANNELS:
        raise InvalidCommand("only staff at the desk or on the phone may force a ticket")
    count = work.state.walk_ins_today[service.id]
    wait = new_ticket_wait(work.site, work.state, service)
    office = work.state.office
    require_available(
        work.site,
        service,
        work.now,
        count,
        wait_s=wait,
        force=cmd.force,
        paused=office.paused(service.id) is not None,
        keep_open=office.keeps_open(service.id),
    )
    ticket = new_ticket(work, service, TicketKind.WALK_IN, cmd.language, cmd.channel, cmd.priority)
    work.put(ticket)
    shown = view(work, ticket)
    ticket = replace(ticket, estimated_wait_s=float(shown.expected_wait_s or 0))
    work.put(ticket, issued(ticket))
    return TicketReply(ticket=shown)


def _todays_ticket(work: Work, appointments: list[Appointment]) -> Ticket | None:
    """The active ticket an earlier check-in of these appointments gave today, if any."""
    today = work.site.local_day(work.now)
    for appointment in appointments:
        if (
            appointment.status is AppointmentStatus.CHECKED_IN
            and appointment.ticket_id is not None
            and work.site.local_day(appointment.start) == today
        ):
            ticket = work.state.tickets.get(appointment.ticket_id)
            if ticket is not None and not ticket.is_final:
                return ticket
    return None


def _visit_services(covered: list[Appointment], already: tuple[str, ...] = ()) -> list[str]:
    services: list[str] = list(already)
    for appointment in sorted(covered, key=lambda a: a.start):
        services.extend(s for s in appointment.services if s not in services)
    return services


def check_in(work: Work, cmd: c.CheckIn) -> CheckInResult:
    """Check in all of today's appointments of a booking code: one visit, one ticket."""
    code = normalize_code(cmd.booking_code)
    if not code:
        raise InvalidCommand("the booking code is empty")
    if cmd.language is not None:
        check_language(work, cmd.language)
    found = work.tx.find_appointments(code)
    earlier = _todays_ticket(work, found)
    try:
        covered = select_for_check_in(found, work.site, work.now)
    except CheckInRefused as refused:
        if earlier is None:
            raise _told(refused, cmd.channel) from None
        covered = []
    if earlier is not None:
        visit = _visit_services(covered, (earlier.service_id, *earlier.visit_services))
        ticket = replace(
            earlier,
            visit_services=tuple(visit[1:]),
            appointment_ids=(*earlier.appointment_ids, *(a.id for a in covered)),
        )
    else:
        visit = _visit_services(covered)
        first = work.service(visit[0])
        language = cmd.language or covered[0].language
        ticket = new_ticket(work, first, TicketKind.APPOINTMENT, language, cmd.channel)
        ticket = replace(
            ticket,
            scheduled_at=min(a.start for a in covered),
            visit_services=tuple(visit[1:]),
            appointment_ids=tuple(a.id for a in covered),
        )
        ticket = replace(ticket, estimated_wait_s=_until_due(work, ticket))
        work.emit(issued(ticket))
    work.put(ticket)
    for appointment in covered:
        work.put_appointment(
            replace(
                appointment,
                status=AppointmentStatus.CHECKED_IN,
                ticket_id=ticket.id,
                checked_in_at=work.now,
            )
        )
        work.emit(
            ev.AppointmentCheckedIn(
                at=work.now,
                ticket_id=ticket.id,
                service_ids=appointment.services,
            )
        )
    return CheckInResult(
        ticket=view(work, ticket),
        already_checked_in=earlier is not None and not covered,
        appointments=[AppointmentSlot(start=a.start, services=list(a.services)) for a in covered],
        documents=documents(work.site, visit, ticket.language),
        offers=offers(work.site, visit, ticket.language),
    )


def _told(refused: CheckInRefused, channel: Channel) -> CheckInRefused:
    """What a check-in refusal may tell: only the desk learns another day's appointment
    time (anyone can type codes at a kiosk)."""
    if channel is Channel.DESK or refused.reason is not CheckInReason.OTHER_DAY:
        return refused
    return CheckInRefused(
        "your appointment is not today; please ask at the desk", CheckInReason.OTHER_DAY
    )


def _until_due(work: Work, ticket: Ticket) -> float:
    """An appointment's expected wait: until its time (it is called when due)."""
    assert ticket.scheduled_at is not None
    return max(0.0, (ticket.scheduled_at - work.now).total_seconds())


def add_visit_service(work: Work, cmd: c.AddVisitService) -> TicketReply:
    """The visitor said yes to a related service offered at check-in."""
    service = work.service(cmd.service_id)
    ticket = work.ticket(cmd.ticket_id)
    if ticket.is_final:
        raise InvalidTransition(f"ticket {ticket.number} is {ticket.status.value}")
    if service.id == ticket.service_id or service.id in ticket.visit_services:
        return TicketReply(ticket=view(work, ticket))
    ticket = replace(ticket, visit_services=(*ticket.visit_services, service.id))
    work.put(ticket, ev.VisitServiceAdded(at=work.now, ticket_id=ticket.id, service_id=service.id))
    return TicketReply(ticket=view(work, ticket))


def import_appointments(work: Work, cmd: c.ImportAppointments) -> ImportCounts:
    """Add or update booked appointments; an appointment already checked in keeps its status."""
    for appointment in cmd.appointments:
        _check_appointment(work, appointment)
    updated = 0
    for appointment in cmd.appointments:
        known = work.state.appointments.get(appointment.id) or _stored(work, appointment)
        if known is not None:
            updated += 1
        work.put_appointment(_keep_progress(appointment, known))
    work.emit(ev.AppointmentsImported(at=work.now, count=len(cmd.appointments)))
    return ImportCounts(imported=len(cmd.appointments) - updated, updated=updated)


def _stored(work: Work, appointment: Appointment) -> Appointment | None:
    """The stored appointment with this id, else the same visit (code, start, services)."""
    found = work.tx.find_appointments(appointment.booking_code)
    same = [a for a in found if a.id == appointment.id]
    same = same or [a for a in found if same_visit(a) == same_visit(appointment)]
    return same[0] if same else None


def _keep_progress(appointment: Appointment, known: Appointment | None) -> Appointment:
    """A re-imported appointment keeps its id, and stays checked in or missed unless the
    import cancels it."""
    if known is None:
        return appointment
    appointment = replace(appointment, id=known.id)
    if known.status is AppointmentStatus.BOOKED:
        return appointment
    if appointment.status is AppointmentStatus.CANCELLED:
        return appointment
    return replace(
        appointment,
        status=known.status,
        ticket_id=known.ticket_id,
        checked_in_at=known.checked_in_at,
    )


def _check_appointment(work: Work, appointment: Appointment) -> None:
    where = f"appointment {appointment.id}"
    if not appointment.services:
        raise InvalidCommand(f"{where} has no service")
    for service_id in appointment.services:
        if not work.service(service_id).appointments:
            raise InvalidCommand(f"{where}: {service_id} takes no appointments")
    if appointment.booking_code != normalize_code(appointment.booking_code) or not (
        appointment.booking_code
    ):
        raise InvalidCommand(f"{where}: booking code is not normalised")
    if appointment.language not in work.site.languages:
        raise InvalidCommand(f"{where}: language {appointment.language!r} is not offered here")
