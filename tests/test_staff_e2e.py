"""The staff terminal end to end: its presenter, a real Mosquitto, the hub, a display."""

from __future__ import annotations

import time
from collections.abc import Callable

from apps.runner import Inbox
from apps.ui import utc_now
from display_board.board import board_config
from display_board.presenter import DisplayPresenter
from display_board.wiring import board_client
from link.client import LoketClient
from loket.broker import Mosquitto
from queue_engine.domain.model import Channel
from queue_engine.hub.bootstrap import HubProcess
from siteconfig import load_site_config
from staff_terminal.desk import desk_config
from staff_terminal.wiring import Staff, connect_staff
from tests.mqtt_fixtures import TOWNHALL, started

Connect = Callable[..., LoketClient]


def pump(inbox: Inbox, check: Callable[[], object], timeout: float = 8.0) -> None:
    """Run what the clients delivered until `check()` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        inbox.drain(timeout=0.02)
        if check():
            return
    raise AssertionError("not reached in time")


def terminal(mosquitto: Mosquitto, inbox: Inbox, counter: str = "loket-3") -> Staff:
    desk = desk_config(load_site_config(TOWNHALL), counter)
    staff = connect_staff(desk, mosquitto.broker, inbox, language="en")
    staff.start()
    pump(inbox, lambda: staff.presenter.link_text == "Connected to the hub")
    return staff


def test_a_counters_day_by_keyboard_against_the_real_hub(
    hub: HubProcess, connect: Connect, mosquitto: Mosquitto
) -> None:
    inbox = Inbox()
    staff = terminal(mosquitto, inbox)
    p = staff.presenter
    try:
        kiosk = started(connect("kiosk-inkom"))
        for service in ("eid", "paspoort"):
            assert kiosk.request("issue_ticket", service_id=service, language="de").ok
        pump(inbox, lambda: [r["waiting"] for r in p.queue[:2]] == ["1", "1"])

        def press(key: str, until: Callable[[], object]) -> None:
            assert p.key(key)
            pump(inbox, lambda: not p.busy and until())

        press("f12", lambda: p.counter_status == "open")
        press("f1", lambda: p.ticket_number == "ID001")
        assert {r["label"]: r["value"] for r in p.ticket_facts}["Language"] == "Deutsch"
        press("f3", lambda: p.feedback_text == "Done: Start ID001")
        press("f4", lambda: p.ticket_number == "")
        press("f1", lambda: p.ticket_number == "P001")
        p.key("f6")
        target = next(o["index"] for o in p.form_options if o["text"] == "Service: Driving licence")
        p.pick(target)
        p.type_text("Needs the old licence too")
        press("enter", lambda: p.feedback_text == "Done: Transfer P001")
        moved = next(t for t in hub.hub.engine.state.tickets.values() if t.number == "P001")
        assert moved.service_id == "rijbewijs" and moved.transfers[-1].note.startswith("Needs")
        assert moved.queued_since == moved.issued_at  # the visitor keeps their place

        p.key("f10")
        p.key("f2")  # phone
        press("enter", lambda: p.feedback_text.startswith("Ticket S001 issued (phone)"))
        issued = next(t for t in hub.hub.engine.state.tickets.values() if t.number == "S001")
        assert issued.channel is Channel.PHONE
        # Today's figures as the hub counts them: called, served, no-shows, transferred.
        pump(inbox, lambda: [r["value"] for r in p.figures][:4] == ["2", "1", "0", "1"])
    finally:
        staff.close()


def test_staff_calls_next_and_the_board_shows_and_queues_the_announcement(
    hub: HubProcess, connect: Connect, mosquitto: Mosquitto
) -> None:
    inbox = Inbox()
    staff = terminal(mosquitto, inbox, "loket-1")
    config = board_config(load_site_config(TOWNHALL), "display-gelijkvloers")
    board = DisplayPresenter(config, None, utc_now())
    display = board_client(config, "display-gelijkvloers", mosquitto.broker, board, inbox)
    display.start()
    try:
        pump(inbox, lambda: not board.offline and board.called_title == "Nog geen oproepen")
        kiosk = started(connect("kiosk-inkom"))
        assert kiosk.request("issue_ticket", service_id="snelbalie", language="en").ok
        staff.presenter.open_counter()
        pump(inbox, lambda: staff.presenter.counter_status == "open")
        staff.presenter.key("f1")
        pump(inbox, lambda: board.called_number == "S001")
        assert (board.called_counter, board.highlight) == ("Loket 1", True)
        assert [a.text for a in board.announcements] == ["Ticket S-1, counter 1, ground floor"]
    finally:
        display.close()
        staff.close()


def test_when_the_hub_is_gone_staff_see_it_and_nothing_is_sent(
    hub: HubProcess, mosquitto: Mosquitto
) -> None:
    inbox = Inbox()
    staff = terminal(mosquitto, inbox)
    try:
        hub.hub.stop()  # says offline on its way out
        pump(inbox, lambda: staff.presenter.link_text == "NO CONNECTION to the hub")
        staff.presenter.key("f1")
        assert staff.presenter.feedback_text.startswith("NOT sent: no connection to the hub")
        assert not staff.presenter.busy
    finally:
        staff.close()
