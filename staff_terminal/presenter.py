"""Everything the staff terminal shows and does, without a window.

Actions (buttons and keys) become commands for this terminal's counter; one is in flight at
a time and its outcome always shows: done, refused (with the hub's reason), not sent
(offline), or no answer, which Ctrl+R retries with the same request id, so the hub never
applies it twice. Call every method on the UI thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, DictProperty, ListProperty, StringProperty

from i18n import LANGUAGE_NAMES
from link.client import HubUnavailable
from link.protocol import messages as m
from link.protocol.replies import CounterStatusResult, ReplyData, TicketView
from link.protocol.topics import HUB_DEVICE
from queue_engine.domain.model import TicketStatus
from staff_terminal import theme
from staff_terminal.desk import DeskConfig
from staff_terminal.details import (
    CounterFigures,
    Current,
    PartialTicket,
    documents_text,
    hub_figure_rows,
    queue_rows,
    reply_ticket,
    ticket_facts,
)
from staff_terminal.forms import Form, IssueForm, PromptForm, issue_form, transfer_form
from staff_terminal.runner import Outcome
from staff_terminal.screens import Feedback, StaffScreen
from staff_terminal.texts import texts

#: Keys of the counter screen and what they do (the forms have their own).
KEYS = {
    "f1": "call_next", "f2": "recall", "f3": "start", "f4": "finish", "f5": "no_show",
    "f6": "transfer", "f7": "call_ticket", "f8": "hold", "f9": "reactivate", "f10": "issue",
    "f11": "pause_counter", "f12": "open_counter", "ctrl+f12": "close_counter",
    "ctrl+r": "retry", "ctrl+l": "next_language",
}  # fmt: skip
SHORTCUT = {action: key.upper().replace("CTRL+", "Ctrl+") for key, action in KEYS.items()}
#: Commands after which the counter no longer holds the ticket.
RELEASING = frozenset({"finish", "no_show", "hold", "transfer"})
HOLDING = frozenset({"call_next", "call_ticket", "recall", "start"})


class Runner(Protocol):
    """How commands are sent (staff_terminal.runner)."""

    def submit(self, verb: str, request_id: str, fields: dict[str, Any], done: Any) -> None:
        """Send; call `done(outcome)` on the UI thread."""


@dataclass
class Sent:
    """A command on its way, kept for a retry with the same request id."""

    verb: str
    fields: dict[str, Any] = field(default_factory=dict)
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)


class StaffPresenter(EventDispatcher):  # type: ignore[misc]
    """The state and the actions of one counter's terminal."""

    labels = DictProperty()
    title = StringProperty("")
    counter_status = StringProperty("closed")
    status_bg = ListProperty(theme.STATUS["closed"])
    link_text = StringProperty("")
    link_bg = ListProperty(theme.FEEDBACK[Feedback.ERROR])
    ticket_number = StringProperty("")
    ticket_facts = ListProperty()
    documents = StringProperty("")
    queue = ListProperty()
    figures = ListProperty()
    feedback_text = StringProperty("")
    feedback_bg = ListProperty(theme.FEEDBACK[Feedback.NONE])
    busy = BooleanProperty(False)
    can_retry = BooleanProperty(False)
    retry_disabled = BooleanProperty(True)
    screen = StringProperty(StaffScreen.COUNTER)
    form_title = StringProperty("")
    form_options = ListProperty()
    form_text = StringProperty("")
    form_field = StringProperty("_")
    form_settings = ListProperty()
    form_hint = StringProperty("")

    def __init__(
        self, desk: DeskConfig, runner: Runner, clock: Callable[[], datetime], language: str = ""
    ) -> None:
        super().__init__()
        self.desk = desk
        self.runner = runner
        self.clock = clock
        self.language = language or desk.languages[0]
        self.t = texts(self.language)
        self.figures_today = CounterFigures()
        #: True once the hub sends this counter's figures (then they replace the local count).
        self._hub_figures = False
        self.current: Current | None = None
        self.form: Form | None = None
        self._tz = ZoneInfo(desk.timezone)
        self._services: m.ServicesState | None = None
        self._inflight: Sent | None = None
        self._retry: Sent | None = None
        self._link_up = False
        self._hub_up: bool | None = None
        self._refresh()

    # --- from the hub ---------------------------------------------------------------

    def link_changed(self, up: bool) -> None:
        """The connection to the broker came or went."""
        self._link_up = up
        if not up:
            self._hub_up = None
        self._show_link()

    def device_status(self, status: m.DeviceStatus) -> None:
        """Presence of a device; the hub's matters."""
        if status.device == HUB_DEVICE:
            self._hub_up = status.online
            self._show_link()

    def counter_changed(self, state: m.CounterStateMessage) -> None:
        """This counter's retained state: status and ticket (set by this or another terminal,
        or by the hub itself, e.g. an automatic no-show)."""
        if state.id != self.desk.counter_id:
            return
        if state.figures is not None:
            self._hub_figures = True
            self.figures = hub_figure_rows(state.figures, self.t)
        self._set_status(state.status.value)
        if state.ticket is None:
            self.current = None
        elif self.current is None or self.current.number != state.ticket:
            service = self.desk.service_of(state.ticket)
            self.current = PartialTicket(
                state.ticket, state.ticket_status, service.id if service else ""
            )
            self._ask_details(state.ticket)
        elif isinstance(self.current, PartialTicket):
            self.current = replace(self.current, status=state.ticket_status)
        elif state.ticket_status is not None:
            self.current = self.current.model_copy(update={"status": state.ticket_status})
        self._show_ticket()

    def move_to(self, desk: DeskConfig) -> None:
        """The hub moved this terminal to another counter (`loket devices update`): start
        afresh there; the new counter's state follows through `counter_changed`."""
        if desk == self.desk:
            return
        self.desk = desk
        self.current, self.form, self._retry = None, None, None
        self.can_retry, self.retry_disabled = False, True
        self.figures_today = CounterFigures()
        self._hub_figures = False
        self.screen = StaffScreen.COUNTER
        self.counter_status = "closed"
        self._feedback(Feedback.INFO, self.t["moved"].format(counter=desk.counter_name))
        self._refresh()

    def services_changed(self, state: m.ServicesState) -> None:
        """Waiting counts per service."""
        self._services = state
        self.queue = queue_rows(state, self.desk, self.t, self.language)

    # --- actions --------------------------------------------------------------------

    def call_next(self) -> None:
        self._send(Sent("call_next"))

    def recall(self) -> None:
        self._send(Sent("recall"))

    def start(self) -> None:
        self._send(Sent("start"))

    def finish(self) -> None:
        self._send(Sent("finish"))

    def no_show(self) -> None:
        self._send(Sent("no_show"))

    def open_counter(self) -> None:
        self._send(Sent("counter_status", {"status": "open"}))

    def pause_counter(self) -> None:
        self._send(Sent("counter_status", {"status": "paused"}))

    def close_counter(self) -> None:
        self._send(Sent("counter_status", {"status": "closed"}))

    def transfer(self) -> None:
        """Open the transfer form (services, then the other counters, and a note)."""
        if self.current is None:
            self._feedback(Feedback.ERROR, self.t["no_current"])
            return
        here = self.current.service_id
        self._open_form(transfer_form(self.desk, here, self.t, self.language))

    def call_ticket(self) -> None:
        self._open_form(PromptForm(self.t["call_ticket_prompt"], "call_ticket"))

    def hold(self) -> None:
        if self.current is None:
            self._feedback(Feedback.ERROR, self.t["no_current"])
            return
        self._open_form(PromptForm(self.t["hold_prompt"], "hold"))

    def reactivate(self) -> None:
        self._open_form(PromptForm(self.t["reactivate_prompt"], "reactivate"))

    def issue(self) -> None:
        """Open the form to issue a ticket at the desk or for a phone call."""
        self._open_form(issue_form(self.desk, self.t, self.language))

    def retry(self) -> None:
        """Send the command that got no answer again, with the same request id."""
        if self._retry is not None:
            self._send(self._retry)

    def next_language(self) -> None:
        """The terminal's next language."""
        languages = self.desk.languages
        self.language = languages[(languages.index(self.language) + 1) % len(languages)]
        self.t = texts(self.language)
        self._refresh()

    # --- keyboard and forms ---------------------------------------------------------

    def key(self, name: str) -> bool:
        """A key press ('f1', 'ctrl+r', 'enter', 'up' …); True if it was used."""
        if self.form is not None:
            outcome = self.form.key(name)
            if outcome == "cancel":
                self.cancel()
            elif outcome == "submit":
                self.submit()
            else:
                self._show_form()
            return outcome is not None
        action = KEYS.get(name)
        if action is not None:
            getattr(self, action)()
        elif name == "escape":
            self._feedback(Feedback.NONE, "")
        return action is not None or name == "escape"

    def type_text(self, text: str) -> bool:
        """Typed characters, for the form's text field; True if used."""
        if self.form is None or self.form.kind == StaffScreen.ISSUE:
            return False
        self.form.type(text)
        self._show_form()
        return True

    def pick(self, index: int) -> None:
        """A click on one of the form's options."""
        if self.form is not None:
            self.form.pick(index)
            self._show_form()

    def form_key(self, name: str) -> None:
        """A click on a form's button that stands for a key."""
        self.key(name)

    def submit(self) -> None:
        """Send the form's command, or say what is missing."""
        if self.form is None:
            return
        request = self.form.request()
        if isinstance(request, str):
            self._feedback(Feedback.ERROR, self.t[request])
            return
        self.cancel()
        self._send(Sent(*request))

    def cancel(self) -> None:
        """Close the form."""
        self.form = None
        self.screen = StaffScreen.COUNTER

    # --- sending --------------------------------------------------------------------

    def _send(self, sent: Sent) -> None:
        action = self._action_name(sent.verb, sent.fields)
        if self._inflight is not None:
            self._feedback(
                Feedback.BUSY,
                self.t["busy"].format(
                    action=self._action_name(self._inflight.verb, self._inflight.fields)
                ),
            )
            return
        if not self._link_up or self._hub_up is False:
            self._feedback(Feedback.ERROR, self.t["not_sent"])
            return
        self._inflight = sent
        self.busy = True
        self._feedback(Feedback.BUSY, self.t["sending"].format(action=action))
        self.runner.submit(
            sent.verb, sent.request_id, sent.fields, lambda outcome: self._answered(sent, outcome)
        )

    def _ask_details(self, number: str) -> None:
        """Fetch the full view of a ticket this terminal did not call itself (a restart,
        another terminal, the hub); quietly: it only fills in the details."""

        def filled(outcome: Outcome) -> None:
            if isinstance(outcome, HubUnavailable):
                return
            ticket = reply_ticket(outcome.data)
            current = self.current
            if ticket is not None and current is not None and current.number == ticket.number:
                self.current = ticket
                self._show_ticket()

        self.runner.submit("ticket_details", uuid.uuid4().hex, {"number": number}, filled)

    def _answered(self, sent: Sent, outcome: Outcome) -> None:
        self._inflight = None
        self.busy = False
        action = self._action_name(sent.verb, sent.fields)
        if isinstance(outcome, HubUnavailable):
            self._retry = sent
            self.can_retry, self.retry_disabled = True, False
            self._feedback(Feedback.ERROR, self.t["no_answer"].format(action=action))
            return
        self._retry = None
        self.can_retry, self.retry_disabled = False, True
        if not outcome.ok:
            message = outcome.error.message if outcome.error else ""
            self._feedback(Feedback.ERROR, self.t["refused"].format(message=message))
            return
        now = self.clock()
        self.figures_today.record(sent.verb, outcome.data, now, now.astimezone(self._tz).date())
        if not self._hub_figures:
            self.figures = self.figures_today.rows(self.t)
        self._applied(sent, outcome.data, action)

    def _applied(self, sent: Sent, data: ReplyData | None, action: str) -> None:
        ticket = reply_ticket(data)
        number = ticket.number if ticket else ""
        if isinstance(data, CounterStatusResult):
            self._set_status(data.status.value)
            status = self.t[f"counter_{self.counter_status}"]
            self._feedback(Feedback.OK, self.t["counter_now"].format(status=status))
        elif sent.verb == "call_next" and ticket is None:
            self._feedback(Feedback.INFO, self.t["nobody"])
        elif sent.verb == "issue_ticket" and ticket:
            self._feedback(Feedback.OK, self._issued(ticket))
        elif sent.verb == "finish" and ticket and ticket.status is TicketStatus.WAITING:
            service = self.desk.service(ticket.service_id)
            name = service.name(self.language) if service else ticket.service_id
            self._feedback(Feedback.OK, self.t["moved_on"].format(number=number, service=name))
        else:
            self._feedback(Feedback.OK, self.t["done"].format(action=action, number=number).strip())
        if sent.verb in HOLDING and ticket:
            self.current = ticket
        elif sent.verb in RELEASING:
            self.current = None
        self._show_ticket()

    def _issued(self, ticket: TicketView) -> str:
        channel = self.t.get(f"channel_{ticket.channel.value}", ticket.channel.value)
        wait = ""
        if ticket.position is not None:
            minutes = round((ticket.expected_wait_s or 0) / 60)
            wait = self.t["position"].format(position=ticket.position, minutes=minutes)
        return self.t["issued"].format(number=ticket.number, channel=channel, wait=wait)

    # --- what is shown --------------------------------------------------------------

    def _action_name(self, verb: str, fields: dict[str, Any]) -> str:
        if verb == "counter_status":
            return self.t[
                {"open": "open_counter", "paused": "pause_counter", "closed": "close_counter"}[
                    fields["status"]
                ]
            ]
        return self.t.get({"issue_ticket": "issue"}.get(verb, verb), verb)

    def _feedback(self, kind: Feedback, text: str) -> None:
        self.feedback_text = text
        self.feedback_bg = theme.FEEDBACK[kind]

    def _set_status(self, status: str) -> None:
        self.counter_status = status
        self.status_bg = theme.STATUS.get(status, theme.STATUS["closed"])
        self.title = f"{self.desk.counter_name} · {self.t[f'counter_{status}']}"

    def _show_link(self) -> None:
        up = self._link_up and self._hub_up is not False
        self.link_text = self.t["online"] if up else self.t["offline"]
        self.link_bg = theme.FEEDBACK[Feedback.OK] if up else theme.FEEDBACK[Feedback.ERROR]

    def _show_ticket(self) -> None:
        ticket = self.current
        if ticket is None:
            self.ticket_number, self.documents = "", ""
            self.ticket_facts = [{"label": "", "value": self.t["no_ticket"]}]
            return
        self.ticket_number = ticket.number
        self.ticket_facts = ticket_facts(ticket, self.desk, self.t, self.language)
        if isinstance(ticket, PartialTicket):
            self.ticket_facts = [
                *self.ticket_facts[:2],
                {"label": "", "value": self.t["details_missing"]},
            ]
        self.documents = documents_text(ticket, self.desk, self.language)

    def _open_form(self, form: Form) -> None:
        self._feedback(Feedback.NONE, "")
        self.form = form
        self.screen = form.kind
        self._show_form()

    def _show_form(self) -> None:
        form = self.form
        if form is None:
            return
        self.form_title = form.title
        self.form_options = [
            {"text": o.text, "index": i, "bg": theme.SELECTED if i == form.index else theme.BUTTON}
            for i, o in enumerate(form.options)
        ]
        self.form_text = form.text
        self.form_field = f"{form.text}_"
        self.form_hint = self.t["prompt_keys" if form.kind == StaffScreen.PROMPT else "form_keys"]
        if isinstance(form, IssueForm):
            self.form_settings = form.settings(self.t)

    def _refresh(self) -> None:
        """Everything again, in the current language."""
        names = {**self.t, "next_language": LANGUAGE_NAMES.get(self.language, self.language)}
        self.labels = {**self.t, **{f"key_{a}": f"{names[a]}  [{k}]" for a, k in SHORTCUT.items()}}
        self.labels["key_back"] = f"{self.t['back']}  [Esc]"
        self.labels["key_send"] = f"{self.t['send']}  [Enter]"
        self._set_status(self.counter_status)
        self._show_link()
        self._show_ticket()
        self.figures = self.figures_today.rows(self.t)
        if self._services is not None:
            self.services_changed(self._services)
        self._show_form()
