"""'I have an appointment': the booking code (keypad or scanner), check-in, documents and
the related services offered as a yes/no question."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

from kiosk.hub import HubUnavailable
from kiosk.i18n import clock_time, describe_when
from kiosk.screens import Screen
from kiosk.tiles import localized, service_name
from link.protocol.replies import CheckInResult, Documents, Offer

if TYPE_CHECKING:
    from kiosk.presenter import KioskPresenter

#: Keys of the on-screen keypad, in reading order (booking codes are letters and digits).
KEYPAD_KEYS = tuple("1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZ")

MAX_CODE = 12
MIN_CODE = 4
REFUSALS = ("unknown_code", "too_early", "too_late", "other_day", "cancelled")


def booking_code_from_scan(text: str) -> str:
    """The booking code in what a scanner read: the code itself, or a confirmation link
    that carries it (…?code=K7P2WX, …/K7P2WX)."""
    text = text.strip()
    if "://" in text:
        url = urlparse(text)
        query = parse_qs(url.query)
        for key in ("code", "booking_code", "c"):
            if query.get(key):
                return _clean(query[key][0])
        return _clean(url.path.rstrip("/").rsplit("/", 1)[-1])
    return _clean(text)


def _clean(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())[:40]


class VisitFlow:
    """Check-in by booking code; state lives in the presenter's properties."""

    def __init__(self, p: KioskPresenter) -> None:
        self.p = p
        self.keys = KEYPAD_KEYS
        self.reply: CheckInResult | None = None
        self.offers: list[Offer] = []

    def clear(self) -> None:
        """Forget the code and the visit."""
        p = self.p
        p.code = p.code_error = p.offer_text = p.visit_note = ""
        p.appointment_lines, p.documents, p.offer_done = [], [], []
        self.reply, self.offers = None, []

    # --- keypad ---------------------------------------------------------------------------

    def open(self) -> None:
        """'I have an appointment'."""
        self.p.code = self.p.code_error = ""
        self.p.go(Screen.KEYPAD)

    def key(self, character: str) -> None:
        """A key of the on-screen keypad."""
        if len(self.p.code) < MAX_CODE:
            self.p.code += character
        self.p.code_error = ""

    def delete(self) -> None:
        """Remove the last character."""
        self.p.code = self.p.code[:-1]
        self.p.code_error = ""

    def scanned(self, text: str) -> None:
        """A scanner read a code (from any screen but the ticket): check in with it."""
        if self.p.busy or self.p.screen == Screen.TICKET or self.p.care_mode:
            return
        self.p.more_time()  # a scan is an answer to 'Do you need more time?' too
        self.p.code = booking_code_from_scan(text)[:MAX_CODE]
        self.submit()

    def submit(self) -> None:
        """Check in with the code on the keypad."""
        p = self.p
        if p.busy:
            return
        code = _clean(p.code)
        if len(code) < MIN_CODE:
            p.code_error = p.t("code_too_short")
            if p.screen != Screen.KEYPAD:
                p.go(Screen.KEYPAD)
            p.say(p.code_error)
            return
        if not p.online:
            self._offline()
            return
        p.busy = True
        session = p.session
        hub, language = p.deps.hub, p.language

        def work() -> Any:
            try:
                return hub.request("check_in", booking_code=code, language=language)
            except HubUnavailable as error:
                return error

        p.deps.background(work, lambda result: self._answered(session, result))

    def _answered(self, session: int, result: Any) -> None:
        p = self.p
        if session != p.session:
            return
        p.busy = False
        if isinstance(result, HubUnavailable):
            self._offline()
        elif result.data is not None:
            self._checked_in(result.data)
        else:
            self._refused(result.error)

    def _offline(self) -> None:
        p = self.p
        p.show_notice(
            p.t("offline_checkin_title"),
            p.t("offline_checkin_body"),
            pictogram="offline",
            offer_walk_in=p.walkin.any_available(),
        )

    def _refused(self, error: Any) -> None:
        p = self.p
        refusal = error.check_in_refusal() if error is not None else None
        if refusal is None or refusal.reason not in REFUSALS:
            p.show_notice(p.t("refused_other_title"), p.t("refused_other_body"), can_retry=True)
            return
        reason, moment = refusal.reason.value, refusal.when
        body_id = f"refused_{reason}_body"
        needs_when = "{when}" in p.texts[body_id]
        if needs_when and moment is None:
            body = p.t("refused_other_body")
        elif needs_when:
            assert moment is not None
            body = p.t(body_id, when=describe_when(moment, p.deps.now(), p.language, p.deps.zone))
        else:
            body = p.t(body_id)
        extra = ""
        if reason == "too_late" and moment is not None:
            extra = p.t("appointment_at", time=clock_time(moment, p.deps.zone))
        p.show_notice(
            p.t(f"refused_{reason}_title"),
            body,
            extra=extra,
            pictogram="clock" if reason in ("too_early", "too_late", "other_day") else "calendar",
            can_retry=reason == "unknown_code",
            offer_walk_in=reason in ("cancelled", "too_late") and p.walkin.any_available(),
        )

    # --- checked in: appointments, documents, offers -----------------------------------------

    def _checked_in(self, data: CheckInResult) -> None:
        p = self.p
        self.reply = data
        zone, names = p.deps.zone, self._names()
        p.appointment_lines = [
            p.t(
                "appointment_line",
                time=clock_time(a.start, zone),
                service=", ".join(names.get(s, s) for s in a.services),
            )
            for a in data.appointments
        ]
        p.documents = [(d.service_name, list(d.items)) for d in data.documents]
        p.visit_note = p.t("already_checked_in") if data.already_checked_in else ""
        p.offer_done = []
        self.offers = list(data.offers)
        self._next_offer()
        p.go(Screen.CHECKED_IN)

    def _names(self) -> dict[str, str]:
        config, language = self.p.deps.config, self.p.language
        return {
            s.id: service_name(s, language, config.site.default_language) for s in config.services
        }

    def _next_offer(self) -> None:
        p = self.p
        if not self.offers:
            p.offer_text = ""
            return
        offer = self.offers[0]
        names = self._names()
        because = offer.because_of
        here = names.get(because, because) if because else p.ticket_service
        p.offer_text = p.t(
            "offer_question", service=here, offer=names.get(offer.service_id, offer.service_name)
        )
        p.say(p.offer_text)

    def answer_offer(self, yes: bool) -> None:
        """The visitor answered the current yes/no question."""
        p = self.p
        if not self.offers or p.busy or self.reply is None:
            return
        offer = self.offers.pop(0)
        if not yes:
            self._next_offer()
            return
        p.busy = True
        session, hub = p.session, p.deps.hub
        ticket_id = self.reply.ticket.id

        def work() -> Any:
            try:
                return hub.request(
                    "add_visit_service", ticket_id=ticket_id, service_id=offer.service_id
                )
            except HubUnavailable as error:
                return error

        p.deps.background(work, lambda result: self._added(session, offer, result))

    def _added(self, session: int, offer: Offer, result: Any) -> None:
        p = self.p
        if session != p.session:
            return
        p.busy = False
        name = self._names().get(offer.service_id, offer.service_name)
        if isinstance(result, HubUnavailable) or result.data is None or self.reply is None:
            p.offer_done = [*p.offer_done, p.t("offer_failed")]
        else:
            self.reply = self.reply.model_copy(update={"ticket": result.data.ticket})
            p.offer_done = [*p.offer_done, p.t("offer_added", service=name)]
            self._add_documents(offer.service_id)
        self._next_offer()

    def _add_documents(self, service_id: str) -> None:
        """The added service's documents, from the site file, in the visitor's language."""
        p = self.p
        config = p.deps.config
        service = next(s for s in config.services if s.id == service_id)
        items = localized(service.documents, p.language, config.site.default_language)
        if not items:
            return
        name = service_name(service, p.language, config.site.default_language)
        p.documents = [*p.documents, (name, list(items))]
        if self.reply is not None:
            added = Documents(service_id=service_id, service_name=name, items=list(items))
            documents = [*self.reply.documents, added]
            self.reply = self.reply.model_copy(update={"documents": documents})

    def print_ticket(self) -> None:
        """'Print my ticket' after check-in."""
        if self.reply is not None and not self.p.busy:
            self.offers = []
            self.p.offer_text = ""
            self.p.tickets.show_reply(self.reply)
