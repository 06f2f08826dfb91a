"""The staff terminal's presenter, forms and texts, without a window or a hub."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from i18n import LANGUAGES
from link.client import HubUnavailable
from link.protocol import messages as m
from link.protocol.replies import (
    REPLIES,
    CallResult,
    ErrorBody,
    ReplyMessage,
    TicketReply,
    TicketView,
)
from queue_engine.domain.model import CounterStatus
from siteconfig import load_site_config
from staff_terminal import theme
from staff_terminal.desk import desk_config
from staff_terminal.details import CounterFigures
from staff_terminal.forms import ticket_number
from staff_terminal.presenter import KEYS, StaffPresenter
from staff_terminal.runner import Commands
from staff_terminal.texts import texts
from tests.mqtt_fixtures import TOWNHALL

T0 = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)  # 09:00 in Brussels


def view(number: str = "ID004", **kw: Any) -> dict[str, Any]:
    """A ticket as the hub's replies describe it."""
    base = {
        "id": 4,
        "number": number,
        "service_id": "eid",
        "service_name": "Carte d'identité",
        "status": "called",
        "kind": "walk_in",
        "priority": "normal",
        "language": "fr",
        "channel": "kiosk",
        "issued_at": "2026-12-03T07:40:00+00:00",
        "queued_since": "2026-12-03T07:40:00+00:00",
        "scheduled_at": None,
        "called_at": "2026-12-03T08:00:00+00:00",
        "recall_count": 0,
        "counter_id": "loket-3",
        "visit_services": [],
        "transfers": 0,
        "position": None,
        "expected_wait_s": None,
        "token": "secret-token",
    }
    return {**base, **kw}


Answer = Callable[[str, str], ReplyMessage[Any]]


class FakeHub:
    """Answers commands from a script of replies (read as the verb's reply model, as the
    real client does); records what was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, Any]]] = []
        self.answers: list[Answer] = []

    def ok(self, **data: Any) -> None:
        def answer(verb: str, rid: str) -> ReplyMessage[Any]:
            model: Any = ReplyMessage[REPLIES[verb]]  # type: ignore[valid-type]
            return model.model_validate({"request_id": rid, "ok": True, "data": data})  # type: ignore[no-any-return]

        self.answers.append(answer)

    def refuse(self, message: str) -> None:
        error = ErrorBody(code="invalid_transition", message=message)
        self.answers.append(lambda _v, rid: ReplyMessage(request_id=rid, ok=False, error=error))

    def silent(self) -> None:
        def gone(_verb: str, rid: str) -> ReplyMessage[Any]:
            raise HubUnavailable(f"no reply to {rid}")

        self.answers.append(gone)

    def request(
        self, verb: str, *, request_id: str | None = None, **fields: Any
    ) -> ReplyMessage[Any]:
        assert request_id is not None
        self.sent.append((verb, request_id, fields))
        return self.answers.pop(0)(verb, request_id)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def terminal(counter: str = "loket-3", language: str = "") -> tuple[StaffPresenter, FakeHub, Clock]:
    hub, clock = FakeHub(), Clock()
    desk = desk_config(load_site_config(TOWNHALL), counter)
    p = StaffPresenter(desk, Commands(hub), clock, language)
    p.link_changed(True)
    p.device_status(m.DeviceStatus(device="hub", online=True))
    return p, hub, clock


def facts(p: StaffPresenter) -> dict[str, str]:
    return {row["label"]: row["value"] for row in p.ticket_facts}


def test_call_next_shows_the_ticket_with_what_staff_need_to_know() -> None:
    p, hub, _ = terminal()
    hub.ok(ticket=view(visit_services=["rijbewijs"], transfers=1, priority="priority"))
    assert p.key("f1")
    assert hub.sent[0][0] == "call_next" and hub.sent[0][2] == {}
    assert p.ticket_number == "ID004" and p.feedback_text == "Gelukt: Volgende ID004"
    shown = facts(p)
    assert shown["Status"] == "opgeroepen"
    assert shown["Dienst"] == "Identiteitskaart (eID) en Kids-ID"  # in the staff's language
    assert shown["Gewacht"] == "20 min" and shown["Taal"] == "Français"
    assert shown["Afspraak"] == "zonder afspraak" and shown["Voorrang"] == "ja"
    assert shown["Ook in dit bezoek"] == "Rijbewijs"
    assert "de hub stuurt de notitie nog niet mee" in shown["Doorverwezen"]
    assert "• Een recente kleurenfoto volgens de ICAO-normen" in p.documents.splitlines()
    assert "Het attest van slagen" in p.documents  # for the driving licence too
    assert not any("secret-token" in str(v) for v in [p.ticket_number, p.documents, *shown])
    assert p.figures[0] == {"label": "opgeroepen", "value": "1"}


def test_appointment_time_and_transfer_notes_when_the_hub_sends_them() -> None:
    p, hub, _ = terminal(language="en")
    hub.ok(
        ticket=view(
            scheduled_at="2026-12-03T08:15:00+00:00",
            transfers=1,
            transfer_notes=["Bring the old passport"],
        )
    )
    p.call_next()
    shown = facts(p)
    assert shown["Appointment"] == "09:15" and shown["Transfers"] == "Bring the old passport"


def test_nobody_waiting_and_a_refusal_are_said_plainly() -> None:
    p, hub, _ = terminal()
    hub.ok(ticket=None, message="nobody is waiting for Loket 3")
    p.call_next()
    assert p.feedback_text == "Niemand wacht voor dit loket." and p.ticket_number == ""
    assert p.feedback_bg == list(theme.FEEDBACK["info"])
    hub.refuse("Loket 3 is closed; open it before calling a ticket")
    p.call_next()
    assert p.feedback_text == "Geweigerd: Loket 3 is closed; open it before calling a ticket"
    assert p.feedback_bg == list(theme.FEEDBACK["error"])


def test_offline_nothing_is_sent_and_staff_are_told_at_once() -> None:
    p, hub, _ = terminal()
    p.device_status(m.DeviceStatus(device="hub", online=False))
    assert p.link_text == "GEEN VERBINDING met de hub"
    p.call_next()
    assert hub.sent == [] and p.feedback_text.startswith("NIET verstuurd")
    p.device_status(m.DeviceStatus(device="hub", online=True))
    p.link_changed(False)
    p.finish()
    assert hub.sent == [] and p.feedback_text.startswith("NIET verstuurd")


def test_no_answer_offers_a_retry_with_the_same_request_id() -> None:
    p, hub, _ = terminal(language="en")
    hub.silent()
    p.call_next()
    assert p.feedback_text.startswith("No answer from the hub to 'Call next'")
    assert p.can_retry and not p.retry_disabled
    hub.ok(ticket=view())
    assert p.key("ctrl+r")
    assert [s[0] for s in hub.sent] == ["call_next", "call_next"]
    assert hub.sent[0][1] == hub.sent[1][1]  # the hub applies it once
    assert p.ticket_number == "ID004" and not p.can_retry


def test_one_command_at_a_time() -> None:
    hub = FakeHub()
    waiting: list[Callable[[], None]] = []

    class Deferred:
        def submit(self, verb: str, rid: str, fields: dict[str, Any], done: Any) -> None:
            waiting.append(lambda: done(hub.request(verb, request_id=rid, **fields)))

    desk = desk_config(load_site_config(TOWNHALL), "loket-3")
    p = StaffPresenter(desk, Deferred(), Clock(), "en")
    p.link_changed(True)
    p.call_next()
    assert p.busy and p.feedback_text == "Sending: Call next …"
    p.call_next()
    assert len(waiting) == 1 and p.feedback_text == "Please wait: 'Call next' is still being sent."
    hub.ok(ticket=view())
    waiting.pop()()
    assert not p.busy and p.ticket_number == "ID004"


def test_every_action_has_a_key_and_each_key_sends_its_command() -> None:
    p, hub, _ = terminal()
    simple = {
        "f1": "call_next",
        "f2": "recall",
        "f3": "start",
        "f4": "finish",
        "f5": "no_show",
        "f11": "counter_status",
        "f12": "counter_status",
        "ctrl+f12": "counter_status",
    }
    for key, verb in simple.items():
        if verb == "counter_status":
            hub.ok(counter_id="loket-3", status="open")
        else:
            hub.ok(ticket=view())
        assert p.key(key), key
        assert hub.sent[-1][0] == verb, key
    assert [s[2] for s in hub.sent[-3:]] == [
        {"status": "paused"},
        {"status": "open"},
        {"status": "closed"},
    ]
    actions = {
        "call_next",
        "recall",
        "start",
        "finish",
        "no_show",
        "transfer",
        "call_ticket",
        "hold",
        "reactivate",
        "issue",
        "pause_counter",
        "open_counter",
        "close_counter",
        "retry",
        "next_language",
    }
    assert set(KEYS.values()) == actions
    assert all(callable(getattr(p, action)) for action in actions)
    assert p.labels["key_call_next"] == "Volgende  [F1]"
    assert p.labels["key_close_counter"] == "Loket sluiten  [Ctrl+F12]"
    assert not p.key("q")  # unused keys go on to the window


def test_transfer_by_keyboard_with_a_note() -> None:
    p, hub, _ = terminal()
    hub.ok(ticket=view())
    p.call_next()
    assert p.key("f6") and p.screen == "transfer"
    assert p.form_options[0]["text"] == "Dienst: Snelbalie \u2013 afhalen en attesten"
    assert p.form_options[0]["bg"] == theme.SELECTED
    for key in ("down", "down"):
        assert p.key(key)
    assert not p.key("b")  # letters are typed, not shortcuts, while a text field is open
    assert p.type_text("Brengt oud rijbewijs mee")
    p.key("backspace")
    assert p.form_field == "Brengt oud rijbewijs me_"
    hub.ok(ticket=view(status="waiting", service_id="rijbewijs"))
    assert p.key("enter")
    assert hub.sent[-1][0] == "transfer"
    assert hub.sent[-1][2] == {"to_service_id": "rijbewijs", "note": "Brengt oud rijbewijs me"}
    assert p.screen == "counter" and p.ticket_number == ""
    assert p.figures[3] == {"label": "doorverwezen", "value": "1"}
    p.transfer()
    assert p.screen == "counter" and p.feedback_text == "Er is geen ticket aan dit loket."


def test_transfer_to_another_counter_and_escape_cancels() -> None:
    p, hub, _ = terminal()
    hub.ok(ticket=view())
    p.call_next()
    p.transfer()
    p.key("escape")
    assert p.screen == "counter" and len(hub.sent) == 1
    p.transfer()
    counters = [o for o in p.form_options if o["text"].startswith("Loket: ")]
    p.pick(counters[0]["index"])
    hub.ok(ticket=view(status="waiting"))
    p.submit()
    assert hub.sent[-1][2] == {"to_counter_id": "loket-1", "note": ""}


def test_call_a_ticket_hold_and_reactivate_by_number() -> None:
    p, hub, _ = terminal()
    p.key("f7")
    assert p.screen == "prompt" and p.form_title.startswith("Welk ticket oproepen")
    p.type_text("x!")
    p.key("enter")
    assert p.screen == "prompt" and p.feedback_text == "Geef een ticketnummer zoals A012."
    p.key("backspace")
    p.type_text("p 7")
    hub.ok(ticket=view("P007"))
    p.key("enter")
    assert hub.sent[-1][:1] == ("call_ticket",) and hub.sent[-1][2] == {"number": "P007"}
    p.key("f8")
    p.type_text("abc15")
    assert p.form_field == "15_"
    hub.ok(ticket=view("P007", status="held"))
    p.key("enter")
    assert hub.sent[-1][0] == "hold" and hub.sent[-1][2] == {"minutes": 15}
    assert p.ticket_number == ""
    p.key("f9")
    p.type_text("P7")
    hub.ok(ticket=view("P007", status="waiting"))
    p.key("enter")
    assert hub.sent[-1][0] == "reactivate" and hub.sent[-1][2] == {"number": "P007"}
    assert p.feedback_text == "Gelukt: Heractiveren P007"


def test_issue_a_ticket_for_a_phone_call() -> None:
    p, hub, _ = terminal()
    p.key("f10")
    assert p.screen == "issue" and p.form_options[0]["text"].startswith("S  Snelbalie")
    for key in ("down", "down", "f2", "f3", "f4", "f5"):
        assert p.key(key), key
    assert p.form_settings[0]["text"] == "Kanaal:  telefoon   [F2]"
    hub.ok(ticket=view("P012", status="waiting", channel="phone", position=3, expected_wait_s=1200))
    p.key("enter")
    verb, _, fields = hub.sent[-1]
    assert verb == "issue_ticket"
    assert fields == {
        "service_id": "paspoort",
        "channel": "phone",
        "priority": "priority",
        "language": "fr",
        "force": True,
    }
    assert p.feedback_text == "Ticket P012 gemaakt (telefoon): plaats 3, ± 20 min"
    assert p.ticket_number == ""  # issuing does not take the ticket to this counter


def test_the_counters_state_from_the_hub() -> None:
    p, hub, _ = terminal()
    state = m.CounterStateMessage(
        at=T0,
        id="loket-3",
        name="Loket 3",
        status=CounterStatus.OPEN,
        ticket="P003",
        ticket_status="serving",
    )
    hub.refuse("no such ticket at the moment")  # the details cannot be had (yet)
    p.counter_changed(state)
    assert hub.sent[-1][0] == "ticket_details" and hub.sent[-1][2] == {"number": "P003"}
    assert p.title == "Loket 3 · open" and p.status_bg == list(theme.STATUS["open"])
    assert p.ticket_number == "P003"
    assert facts(p)["Dienst"] == "Paspoort" and facts(p)[""].startswith("Details na herstart")
    p.counter_changed(state.model_copy(update={"ticket": None, "ticket_status": None}))
    assert p.ticket_number == "" and p.documents == ""
    assert p.ticket_facts == [{"label": "", "value": "Geen ticket aan dit loket"}]
    p.counter_changed(state.model_copy(update={"id": "loket-4", "status": CounterStatus.CLOSED}))
    assert p.counter_status == "open"


def test_queue_overview_this_counters_services_first() -> None:
    p, _, _ = terminal()

    def service(sid: str, prefix: str, waiting: int) -> m.ServiceState:
        return m.ServiceState(
            id=sid,
            names={"nl": sid},
            prefix=prefix,
            quick=False,
            walk_in=True,
            waiting=waiting,
            waiting_priority=0,
            longest_wait_s=610,
            expected_wait_s=900,
            available=True,
        )

    p.services_changed(
        m.ServicesState(
            at=T0,
            services=[
                service("snelbalie", "S", 4),
                service("eid", "ID", 2),
                service("paspoort", "P", 0),
                service("rijbewijs", "R", 1),
                service("afval", "M", 0),
            ],
        )
    )
    assert [(r["prefix"], r["own"]) for r in p.queue] == [
        ("ID", True),
        ("P", True),
        ("R", True),
        ("S", False),
    ]
    assert p.queue[0] | {} == {
        "prefix": "ID",
        "name": "Identiteitskaart (eID) en Kids-ID",
        "waiting": "2",
        "longest": "11 min",
        "expected": "15 min",
        "own": True,
    }


def test_todays_figures_and_their_service_time() -> None:
    figures = CounterFigures()
    day = T0.date()
    a001, a002 = TicketView(**view("A001")), TicketView(**view("A002"))
    figures.record("call_next", CallResult(ticket=a001), T0, day)
    figures.record("start", TicketReply(ticket=a001), T0 + timedelta(minutes=1), day)
    figures.record("finish", TicketReply(ticket=a001), T0 + timedelta(minutes=7), day)
    figures.record("call_next", CallResult(message="nobody"), T0, day)
    figures.record("no_show", TicketReply(ticket=a002), T0, day)
    rows = figures.rows(texts("en"))
    assert [(r["label"], r["value"]) for r in rows] == [
        ("called", "1"),
        ("served", "1"),
        ("no-shows", "1"),
        ("transferred", "0"),
        ("tickets issued", "0"),
        ("mean service time", "6 min"),
    ]
    figures.record(
        "call_next",
        CallResult(ticket=TicketView(**view("A003"))),
        T0 + timedelta(days=1),
        day.replace(day=4),
    )
    assert (figures.called, figures.served, figures.service_seconds) == (1, 0, [])


def test_language_switch_goes_round_the_four_languages() -> None:
    p, _, _ = terminal()
    p.key("ctrl+l")
    assert p.labels["key_call_next"] == "Suivant  [F1]" and p.title == "Loket 3 · fermé"
    for _ in range(3):
        p.next_language()
    assert p.language == "nl"
    assert all(texts(language)["call_next"] for language in LANGUAGES)


@pytest.mark.parametrize(
    ("typed", "number"),
    [("a12", "A012"), ("ID 1", "ID001"), ("BK104", "BK104"), ("12", None), ("A1234", None)],
)
def test_typed_ticket_numbers(typed: str, number: str | None) -> None:
    assert ticket_number(typed) == number


def test_desk_config_errors() -> None:
    config = load_site_config(TOWNHALL)
    with pytest.raises(ValueError, match="no counter 'loket-9'"):
        desk_config(config, "loket-9")
    with pytest.raises(ValueError, match="not a staff terminal of 'loket-3'"):
        desk_config(config, "loket-3", "staff-loket-4")
    assert desk_config(config, "loket-6").own_services == ("geboorte", "huwelijk", "kinderopvang")


def test_after_a_restart_the_terminal_fetches_the_tickets_details_and_figures() -> None:
    p, hub, _ = terminal()
    hub.ok(ticket=view("P003", service_id="paspoort", status="serving", transfers=1,
                       transfer_notes=["Brengt het oude paspoort mee"]))  # fmt: skip
    figures = m.CounterFigures(called=7, served=5, no_shows=1, transferred_out=1,
                               service_time_mean_s=540)  # fmt: skip
    p.counter_changed(
        m.CounterStateMessage(at=T0, id="loket-3", name="Loket 3", status=CounterStatus.OPEN,
                              ticket="P003", ticket_status="serving", figures=figures)
    )  # fmt: skip
    assert "Brengt het oude paspoort mee" in " ".join(facts(p).values())
    shown = {row["value"] for row in p.figures}
    assert {"7", "5", "1"} <= shown
