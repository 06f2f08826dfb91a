"""The ticket: printed after the hub stored it (or after the kiosk stored an offline one),
shown large with the expected wait and the QR code; when printing fails, kept on screen
until touched, with a picture of the ticket."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.i18n import clock_time, spoken_number, wait_text
from kiosk.offline import OfflineTicket
from kiosk.printing import PrintOutcome, ticket_for_offline, ticket_for_reply
from kiosk.prompts import ticket_prompt
from kiosk.screens import PrintState, Screen
from link.protocol.orders import KioskOrder, ReprintOrder
from link.protocol.replies import CheckInResult, TicketReply
from printer_drivers import PrinterStatus, ticket_url

if TYPE_CHECKING:
    from kiosk.presenter import KioskPresenter

log = logging.getLogger(__name__)


class TicketFlow:
    """Showing and printing the ticket; state lives in the presenter's properties."""

    def __init__(self, p: KioskPresenter) -> None:
        self.p = p
        self.shown_at = 0.0

    def clear(self) -> None:
        p = self.p
        p.ticket_number = p.ticket_service = p.ticket_qr = p.ticket_note = ""
        p.print_state = PrintState.NONE
        p.ticket_preview = p.ticket_message = p.done_text = p.qr_caption = ""
        p.print_failed = p.ticket_finished = False
        p.ticket_lines = []

    def show_reply(self, data: TicketReply | CheckInResult) -> None:
        """A ticket the hub issued (walk-in or check-in): show it and print it."""
        p = self.p
        view = data.ticket
        p.ticket_number = view.number
        p.ticket_service = view.service_name
        lines = []
        if view.scheduled_at is not None:
            lines.append(p.t("appointment_at", time=clock_time(view.scheduled_at, p.deps.zone)))
        else:
            if view.expected_wait_s is not None:
                lines.append(wait_text(view.expected_wait_s, p.language))
            if view.position:
                lines.append(p.t("position", position=view.position))
        p.ticket_lines = lines
        p.ticket_qr = ticket_url(p.deps.config.site.ticket_url_template, view.token) or ""
        p.qr_caption = p.t("follow_on_phone") if p.ticket_qr else ""
        p.ticket_note = ""
        documents = data.documents if isinstance(data, CheckInResult) else []
        ticket = ticket_for_reply(view, documents, p.deps.config)
        self._print(ticket)

    def show_offline(self, offline: OfflineTicket, service_name: str) -> None:
        """A ticket from this kiosk's leased numbers (already stored): show it and print it."""
        p = self.p
        p.ticket_number = offline.number
        p.ticket_service = service_name
        p.ticket_lines = []
        p.ticket_qr = p.qr_caption = ""
        p.ticket_note = p.t("offline_ticket_note")
        ticket = ticket_for_offline(
            p.deps.config,
            offline.number,
            service_name,
            offline.language,
            datetime.fromisoformat(offline.issued_at),
            p.ticket_note,
        )
        self._print(ticket)

    def _print(self, ticket: Any) -> None:
        p = self.p
        p.print_state = PrintState.PRINTING
        p.print_failed = p.ticket_finished = False
        p.ticket_message = p.t("printing")
        p.ticket_preview = ""
        p.busy = True
        p.go(Screen.TICKET)
        session, printer = p.session, p.deps.printer
        p.deps.background(lambda: printer.print_ticket(ticket), lambda r: self._printed(session, r))

    def _printed(self, session: int, outcome: PrintOutcome) -> None:
        p = self.p
        p.printer_changed(outcome.status.value, outcome.reason or "", outcome.status.ready)
        if session != p.session:
            return
        p.busy = False
        self.shown_at = p.deps.monotonic()
        number = spoken_number(p.ticket_number)
        p.ticket_finished = True
        if outcome.ok:
            p.print_state = PrintState.PRINTED
            p.ticket_message, p.done_text = p.t("take_ticket"), p.t("done")
            p.say(ticket_prompt(p, number, printed=True))
        else:
            p.print_state, p.print_failed = PrintState.FAILED, True
            p.ticket_message, p.done_text = "", p.t("print_failed_done")
            p.ticket_preview = outcome.preview or ""
            p.say(ticket_prompt(p, number, printed=False))

    def expired(self, now: float) -> bool:
        """Whether a printed ticket has been on screen long enough."""
        shown_for = now - self.shown_at
        printed = self.p.print_state == PrintState.PRINTED
        return printed and shown_for >= self.p.deps.settings.ticket_seconds

    def done(self) -> None:
        """The visitor touched 'Done' (or 'I have my number')."""
        if self.p.print_state in (PrintState.PRINTED, PrintState.FAILED):
            self.p.reset()

    def order(self, message: KioskOrder) -> None:
        """An order from the office: reprint a ticket (as a new one), or check the printer.

        The visitor at the screen sees nothing of it; the result goes back to the hub."""
        order = message.order
        if not isinstance(order, ReprintOrder):
            self.poll_printer()
            return
        p = self.p
        ticket = ticket_for_reply(order.ticket, [], p.deps.config)
        printer, hub = p.deps.printer, p.deps.hub

        def work() -> PrintOutcome:
            outcome = printer.print_ticket(ticket)
            try:
                hub.request(
                    "report_print",
                    order_id=order.order_id,
                    number=order.ticket.number,
                    printed=outcome.ok,
                    printer=outcome.status.value,
                    request_id=f"print-{order.order_id}",
                )
            except Exception as error:  # the hub went away: the office sees no report
                log.warning("reprint %s not reported: %s", order.order_id, error)
            return outcome

        def done(outcome: PrintOutcome) -> None:
            p.printer_changed(outcome.status.value, outcome.reason or "", outcome.status.ready)

        p.deps.background(work, done)

    def poll_printer(self) -> None:
        """Ask the printer how it is (off the UI thread) and tell staff."""
        p = self.p
        printer = p.deps.printer

        def work() -> tuple[PrinterStatus, str]:
            return printer.status()

        def done(result: tuple[PrinterStatus, str]) -> None:
            status, detail = result
            p.printer_changed(status.value, detail, status.ready)

        p.deps.background(work, done)
