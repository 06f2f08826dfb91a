"""Pairing end to end, without a window: a staff terminal's enrolment against a provisioned
Mosquitto and hub, approved through the admin API, then working under its own credentials."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from apps.pairing.enrolment import Enrolment, enrolled
from apps.pairing.presenter import PairingPresenter
from apps.runner import Inbox
from apps.ui import utc_now
from display_board.board import enrolled_board
from display_board.presenter import DisplayPresenter
from display_board.wiring import board_client
from display_board.wiring import follow_config as follow_display_config
from link.client import LoketClient
from siteconfig import load_site_config
from staff_terminal.desk import desk_config
from staff_terminal.wiring import connect_staff, follow_config
from tests.mqtt_fixtures import TOWNHALL, started
from tests.provisioning_helpers import SITE, Rig, rig

__all__ = ["rig"]


def pump(inbox: Inbox, check: Callable[[], object], timeout: float = 10.0) -> None:
    """Run what the threads delivered until `check()` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        inbox.drain(timeout=0.02)
        if check():
            return
    raise AssertionError("not reached in time")


def test_a_staff_terminal_pairs_and_calls_as_itself(rig: Rig, tmp_path: Path) -> None:
    data = tmp_path / "staff"
    inbox = Inbox()
    pairing = PairingPresenter("staff", "en")
    enrolment = Enrolment(pairing, data, inbox, site=SITE, hub=rig.announcement(), poll=0.5)
    enrolment.start()
    try:
        pump(inbox, lambda: pairing.has_code)
        assert pairing.state == "waiting" and len(pairing.raw_code) == 6
        rig.waiting()
        reply = rig.admin(
            "approve", code=pairing.raw_code, role="staff", name="Loket drie", counter="3"
        )
        assert reply.ok, reply.error
        pump(inbox, lambda: pairing.state == "paired")
    finally:
        enrolment.stop()
    creds = pairing.credentials
    assert creds is not None and creds.device_id == "loket-drie" and creds.counter == "loket-3"
    assert enrolled("staff", data, SITE) == creds  # stored: the next start skips pairing

    kiosk_creds = rig.enrol("kiosk", tmp_path / "kiosk", name="Kiosk inkom")
    kiosk = started(LoketClient(SITE, kiosk_creds.device_id, kiosk_creds.broker(), role="kiosk"))
    site = load_site_config(TOWNHALL)
    desk = desk_config(site, creds.counter, creds.device_id, enrolled=True)
    staff = connect_staff(desk, creds.broker(), inbox, language="en")
    follow_config(staff, site, inbox)
    staff.start()
    try:
        assert kiosk.request("issue_ticket", service_id="eid").ok
        p = staff.presenter
        pump(inbox, lambda: p.link_text == "Connected to the hub")
        assert p.key("f12")
        pump(inbox, lambda: not p.busy and p.counter_status == "open")
        assert p.key("f1")
        pump(inbox, lambda: not p.busy and p.ticket_number == "ID001")
        ticket = next(
            t for t in rig.process.hub.engine.state.tickets.values() if t.number == "ID001"
        )
        assert ticket.counter_id == "loket-3"
        presence = rig.process.hub.devices.presence("loket-drie")
        assert presence is not None and presence.online

        # The administrator moves it to counter 4: it applies live, and it acts for loket-4.
        assert rig.admin("update", name="Loket drie", counter="4").ok
        pump(inbox, lambda: p.desk.counter_id == "loket-4")
        assert p.ticket_number == "" and p.counter_status == "closed"
        assert p.feedback_text == "This terminal now works for Loket 4"
        assert p.key("f12")
        pump(inbox, lambda: not p.busy and p.counter_status == "open")
        assert p.title.startswith("Loket 4")
    finally:
        staff.close()
        kiosk.close()


def test_an_enrolled_display_follows_its_zone_live(rig: Rig, tmp_path: Path) -> None:
    creds = rig.enrol("display", tmp_path / "display", name="Scherm hal", zone="gelijkvloers")
    site = load_site_config(TOWNHALL)
    board = enrolled_board(site, creds.device_id, creds.zone)
    inbox = Inbox()
    presenter = DisplayPresenter(board, None, utc_now())
    client = board_client(board, creds.device_id, creds.broker(), presenter, inbox)
    follow_display_config(client, presenter, site, inbox, language="en")
    client.start()
    try:
        pump(inbox, lambda: presenter.live)
        assert presenter.board.zone == "gelijkvloers" and "loket-1" in presenter.board.counters
        assert rig.admin("update", name="Scherm hal", zone="eerste-verdieping").ok
        pump(inbox, lambda: presenter.board.zone == "eerste-verdieping")
        upstairs = {c.id for c in site.counters if c.zone == "eerste-verdieping"}
        assert set(presenter.board.counters) == upstairs and "loket-1" not in upstairs
        assert presenter.language == "en"
    finally:
        client.close()
