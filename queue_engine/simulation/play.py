"""A whole simulated day through the real engine and store.

    result = simulate(site, store, visitors=3000, seed=1, day=date(2026, 12, 1))
    print(result.format_text())

A discrete-event simulation: the plan (`simulation_day`) says who comes when and what they
will do; actions on an agenda move the clock; every change goes through `Engine.execute`
as a kiosk or a staff terminal would send it. It never sleeps: the agenda owns `now`.
"""

from __future__ import annotations

import math
import random
import time
from datetime import date, timedelta
from functools import partial

from link.protocol.replies import CallResult, TicketReply, TicketView
from queue_engine.domain import commands as c
from queue_engine.domain.model import CancelReason, Channel, CounterStatus, Site, TicketStatus
from queue_engine.domain.policy import eligible
from queue_engine.ports import Store
from queue_engine.simulation.day import Shares, SimulationError, Visitor, plan_day
from queue_engine.simulation.report import SimulationResult
from queue_engine.simulation.runner import Runner, Staff

ACTORS = {Channel.KIOSK: "kiosk-1", Channel.DESK: "desk-1", Channel.PHONE: "phone-1"}
IMPORT_BATCH = 200


def _after(minutes: float) -> timedelta:
    return timedelta(minutes=minutes)


class _Day(Runner):
    """Plays a day plan: counters call and serve, visitors come, wait, leave or return."""

    def play(self) -> None:
        """Schedule the plan and run the agenda until the day is over."""
        state = self.engine.refresh(self.now)
        if any(t.day == self.plan.day for t in state.tickets.values()):
            raise SimulationError(f"the store already has tickets on {self.plan.day}; use another")
        first = self.plan.sessions[0].start
        self.agenda.at(self.now, self.import_appointments)
        self.agenda.at(first - _after(30), self.tick)
        for number, session in enumerate(self.plan.sessions):
            for staff in self.staff:
                self.agenda.at(staff.rota.opens[number], partial(self.open, staff))
            self.agenda.at(session.end, self.wake)
        for visitor in self.plan.visitors:
            self.agenda.at(visitor.arrival, partial(self.arrive, visitor))
        while (item := self.agenda.pop()) is not None and item[0] < self.day_end:
            self.now = max(self.now, item[0])
            item[1]()

    def import_appointments(self) -> None:
        """The booking system's export of the day, in batches."""
        booked = self.plan.appointments
        for start in range(0, len(booked), IMPORT_BATCH):
            batch = tuple(booked[start : start + IMPORT_BATCH])
            self.run(c.ImportAppointments, "booking-import", appointments=batch)

    def tick(self) -> None:
        """The hub's minute tick; then staff look up from their desks."""
        self.run(c.Tick, "hub")
        self.reconcile()
        self.wake()
        last = self.plan.sessions[-1].end
        if self.now < last or self.unresolved > 0:
            self.later(_after(1), self.tick)
        else:
            self.close_all()

    def reconcile(self) -> None:
        """Follow tickets the tick took from a counter (automatic no-shows)."""
        for staff in self.staff:
            tid = staff.ticket_id
            if tid is not None and self.engine.state.counters[staff.counter.id].ticket_id != tid:
                staff.ticket_id = None
                self.behaviour["auto_no_show"] += 1
                self.gone(self.by_ticket[tid])

    def close_all(self) -> None:
        """Close every counter at the end of the day."""
        for staff in self.staff:
            if staff.status is not CounterStatus.CLOSED and staff.ticket_id is None:
                self.set_status(staff, CounterStatus.CLOSED)

    # -- counters -------------------------------------------------------------------------

    def set_status(self, staff: Staff, status: CounterStatus) -> None:
        """Open, pause or close a counter."""
        reply = self.run(
            c.SetCounterStatus, staff.actor, counter_id=staff.counter.id, status=status
        )
        if reply.ok:
            staff.status = status

    def open(self, staff: Staff) -> None:
        """A counter's session starts."""
        if staff.status is CounterStatus.CLOSED:
            self.set_status(staff, CounterStatus.OPEN)
        self.next(staff)

    def wake(self) -> None:
        """Every idle counter looks at the queue."""
        for staff in self.staff:
            self.next(staff)

    def _in_session(self) -> bool:
        return any(s.start <= self.now < s.end for s in self.plan.sessions)

    def _may_close(self) -> bool:
        """Between sessions when the queue is empty; after the last, once everyone is done."""
        return not self._in_session() and (
            self.now < self.plan.sessions[-1].end or self.unresolved == 0
        )

    def _eligible(self, staff: Staff) -> bool:
        return any(eligible(t, staff.counter) for t in self.engine.state.waiting())

    def _break_due(self, staff: Staff) -> bool:
        breaks = staff.rota.breaks
        while staff.breaks_done < len(breaks):
            pending = breaks[staff.breaks_done]
            if self.now < self.plan.sessions[pending.session].end:
                return pending.at <= self.now
            staff.breaks_done += 1  # busy all session: the break was skipped
        return False

    def next(self, staff: Staff) -> None:
        """An idle counter takes its break, calls the next visitor, or closes."""
        if not staff.idle:
            return
        if self._break_due(staff):
            minutes = staff.rota.breaks[staff.breaks_done].minutes
            staff.breaks_done += 1
            self.set_status(staff, CounterStatus.PAUSED)
            self.behaviour["breaks"] += 1
            self.later(_after(minutes), partial(self.resume, staff))
        elif self._eligible(staff):
            staff.calling = True
            self.later(timedelta(seconds=self.rng.uniform(5, 30)), partial(self.call, staff))
        elif self._may_close():
            self.set_status(staff, CounterStatus.CLOSED)

    def resume(self, staff: Staff) -> None:
        """Back from a break."""
        if staff.status is CounterStatus.PAUSED:
            self.set_status(staff, CounterStatus.OPEN)
        self.next(staff)

    def call(self, staff: Staff) -> None:
        """Call the next visitor; they walk up, or are not there."""
        staff.calling = False
        if not staff.idle or not self._eligible(staff):
            self.next(staff)
            return
        reply = self.run(c.CallNext, staff.actor, counter_id=staff.counter.id)
        called = reply.of(CallResult)
        if called is None or called.ticket is None:
            if reply.ok:
                self.unexpected["call_next:nobody_though_eligible"] += 1
            return
        tid = called.ticket.id
        staff.ticket_id = tid
        self.first_call.setdefault(tid, self.now)
        visitor = self.by_ticket[tid]
        if visitor.absent_on_call:
            visitor.absent_on_call = False
            self.later(_after(self._limit(1.5)), partial(self.recall, staff, tid))
            if self.site.policy.auto_no_show_minutes is None:
                self.later(_after(3), partial(self.no_show, staff, tid))
            # else the tick marks the no-show, and `reconcile` follows it.
        else:
            walk = self._limit(self.rng.uniform(0.5, 2.0))
            self.later(_after(walk), partial(self.start, staff, tid))

    def _limit(self, minutes: float) -> float:
        """Keep staff actions on a called ticket ahead of the automatic no-show."""
        auto = self.site.policy.auto_no_show_minutes
        return minutes if auto is None else min(minutes, max(auto - 1.0, 0.25))

    def _holds(self, staff: Staff, tid: int) -> bool:
        """Whether the counter still has this ticket (a tick may have taken it)."""
        live = self.engine.state.counters[staff.counter.id].ticket_id
        return staff.ticket_id == tid and live == tid

    def recall(self, staff: Staff, tid: int) -> None:
        """Call the absent visitor once more."""
        if self._holds(staff, tid):
            self.run(c.Recall, staff.actor, counter_id=staff.counter.id)

    def no_show(self, staff: Staff, tid: int) -> None:
        """Nobody came: mark the ticket no-show and move on."""
        if not self._holds(staff, tid):
            return
        self.run(c.MarkNoShow, staff.actor, counter_id=staff.counter.id)
        staff.ticket_id = None
        self.gone(self.by_ticket[tid])
        self.next(staff)

    def start(self, staff: Staff, tid: int) -> None:
        """The visitor reached the desk: serve, and maybe transfer or hold halfway."""
        if not self._holds(staff, tid):
            return
        if not self.run(c.StartService, staff.actor, counter_id=staff.counter.id).ok:
            return
        visitor = self.by_ticket[tid]
        service = self.site.services[self.engine.state.tickets[tid].service_id]
        sigma = 0.45
        mu = math.log(service.expected_minutes * 60) - sigma**2 / 2
        served = timedelta(seconds=max(30.0, self.rng.lognormvariate(mu, sigma)))
        if visitor.transfer_to is not None and visitor.transfer_to != service.id:
            self.later(served * self.rng.uniform(0.3, 0.6), partial(self.transfer, staff, tid))
        elif visitor.hold_minutes is not None:
            self.later(served * self.rng.uniform(0.2, 0.5), partial(self.hold, staff, tid))
        else:
            self.later(served, partial(self.finish, staff, tid))

    def finish(self, staff: Staff, tid: int) -> None:
        """Done at this desk; the visit may go on to its next service."""
        if not self._holds(staff, tid):
            return
        reply = self.run(c.Finish, staff.actor, counter_id=staff.counter.id)
        staff.ticket_id = None
        done = reply.of(TicketReply)
        if done is not None and done.ticket.status is TicketStatus.DONE:
            self.settle(self.by_ticket[tid], "served")
        elif reply.ok:
            self.behaviour["next_service_of_visit"] += 1
        self.wake()

    def transfer(self, staff: Staff, tid: int) -> None:
        """Send the visitor on to another service, keeping their place."""
        if not self._holds(staff, tid):
            return
        visitor = self.by_ticket[tid]
        target, visitor.transfer_to = visitor.transfer_to, None
        note = f"asked about {target}; sent on by {staff.counter.name}"
        self.run(
            c.Transfer, staff.actor, counter_id=staff.counter.id, to_service_id=target, note=note
        )
        self.behaviour["transfers"] += 1
        staff.ticket_id = None
        self.wake()

    def hold(self, staff: Staff, tid: int) -> None:
        """The visitor fetches a missing document; the tick puts them back in the queue."""
        if not self._holds(staff, tid):
            return
        visitor = self.by_ticket[tid]
        minutes, visitor.hold_minutes = visitor.hold_minutes, None
        self.run(c.Hold, staff.actor, counter_id=staff.counter.id, minutes=minutes)
        self.behaviour["holds"] += 1
        staff.ticket_id = None
        self.next(staff)

    # -- visitors -------------------------------------------------------------------------

    def arrive(self, visitor: Visitor) -> None:
        """A visitor takes a ticket at the kiosk (or desk, or phone) or checks in."""
        actor = ACTORS.get(visitor.channel, "kiosk-1")
        if visitor.stays_away:
            self.behaviour["appointment_not_kept"] += 1
            self.settle(visitor, "no_show")
            return
        if visitor.walk_in:
            reply = self.run(
                c.IssueTicket,
                actor,
                service_id=visitor.service_id,
                language=visitor.language,
                channel=visitor.channel,
                priority=visitor.priority,
            )
        else:
            reply = self.run(
                c.CheckIn, actor, booking_code=visitor.booking_code, channel=visitor.channel
            )
        if reply.data is None:
            self.settle(visitor, "refused")
            return
        ticket: TicketView = reply.data.ticket
        visitor.ticket_id = tid = ticket.id
        self.by_ticket[tid] = visitor
        if visitor.walk_in:
            self.estimates[tid] = (float(ticket.expected_wait_s or 0), self.now)
        self.later(timedelta(seconds=visitor.patience_s), partial(self.give_up, visitor))
        self.wake()

    def give_up(self, visitor: Visitor) -> None:
        """A visitor never called after waiting this long leaves."""
        ticket = self.engine.state.tickets.get(visitor.ticket_id or -1)
        if ticket is None or ticket.status is not TicketStatus.WAITING or ticket.first_called_at:
            return
        reason = CancelReason.VISITOR_LEFT
        if self.run(c.CancelTicket, "kiosk-1", ticket_id=ticket.id, reason=reason).ok:
            self.settle(visitor, "cancelled")

    def gone(self, visitor: Visitor) -> None:
        """A called visitor who did not come: back later, or gone for the day."""
        self.behaviour["no_shows"] += 1
        if visitor.returns_after_s is None:
            self.settle(visitor, "no_show")
            return
        delay, visitor.returns_after_s = visitor.returns_after_s, None
        self.later(timedelta(seconds=delay), partial(self.come_back, visitor))

    def come_back(self, visitor: Visitor) -> None:
        """The no-show turns up at the desk, which puts the ticket back in its place."""
        tid = visitor.ticket_id or -1
        ticket = self.engine.state.tickets.get(tid)
        if ticket is None or ticket.status is not TicketStatus.NO_SHOW:
            return
        window = _after(self.site.policy.no_show_reactivate_minutes)
        if ticket.no_show_at is None or self.now - ticket.no_show_at > window:
            self.behaviour["came_back_too_late"] += 1  # the desk sees it and does not try
            self.settle(visitor, "no_show")
        elif self.run(c.Reactivate, "desk-1", ticket_id=tid).ok:
            self.behaviour["reactivated"] += 1
            self.wake()
        else:
            self.settle(visitor, "no_show")


def simulate(
    site: Site,
    store: Store,
    *,
    visitors: int,
    seed: int,
    day: date,
    shares: Shares | None = None,
) -> SimulationResult:
    """Play a day with `visitors` people at `site` (first opening day on or after `day`)."""
    wall_start = time.perf_counter()
    rng = random.Random(seed)
    plan = plan_day(site, day, visitors, rng, shares)
    simulation = _Day(site, store, plan, rng)
    simulation.play()
    return simulation.result(seed, wall_start)
