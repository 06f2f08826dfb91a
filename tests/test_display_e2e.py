"""The display board end to end: real Mosquitto, the hub, a staff client, the presenter."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from apps.runner import Inbox
from apps.ui import utc_now
from display_board.board import board_config
from display_board.presenter import DisplayPresenter
from display_board.wiring import board_client
from link.client import LoketClient
from link.mqtt import Broker
from loket.broker import Mosquitto
from queue_engine.hub.bootstrap import HubProcess, build_hub
from siteconfig import load_site_config
from tests.mqtt_fixtures import TOWNHALL, FrozenClock, started

Connect = Callable[..., LoketClient]


class Board:
    """A display presenter fed by a real client through an inbox (no Kivy loop)."""

    def __init__(self, broker: Broker, device: str = "display-gelijkvloers") -> None:
        config = replace(board_config(load_site_config(TOWNHALL), device), offline_after=1.0)
        self.inbox = Inbox()
        self.presenter = DisplayPresenter(config, None, utc_now())
        self.client = board_client(config, device, broker, self.presenter, self.inbox)
        self.client.start()

    def until(self, check: Callable[[DisplayPresenter], object], timeout: float = 8.0) -> None:
        """Run the delivered callbacks and tick until `check` holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.inbox.drain(timeout=0.02)
            self.presenter.tick(utc_now())
            if check(self.presenter):
                return
        raise AssertionError(f"the board never got there: {self.presenter.called_number=}")

    def waiting(self, prefix: str) -> str | None:
        rows = [r for r in self.presenter.services if r["prefix"] == prefix]
        return rows[0]["waiting"] if rows else None

    def close(self) -> None:
        self.client.close()


def test_staff_calls_next_and_the_board_shows_and_announces_it(
    hub: HubProcess, connect: Connect, mosquitto: Mosquitto
) -> None:
    board = Board(mosquitto.broker)
    try:
        kiosk = started(connect("kiosk-inkom"))
        staff3 = started(connect("staff-loket-3"))
        staff4 = started(connect("staff-loket-4"))
        board.until(lambda p: not p.offline and p.called_title == "Nog geen oproepen")
        for service, language in (("eid", "de"), ("paspoort", "fr"), ("eid", "en")):
            assert kiosk.request("issue_ticket", service_id=service, language=language).ok
        for staff in (staff3, staff4):
            assert staff.request("counter_status", status="open").ok

        assert staff3.request("call_ticket", number="ID001").ok
        board.until(lambda p: p.called_number == "ID001" and p.highlight)
        assert board.presenter.called_counter == "Loket 3"
        assert [a.text for a in board.presenter.announcements] == [
            "Ticket I D-1, Schalter 3, Erdgeschoss, links"
        ]
        board.until(lambda p: board.waiting("ID") == "1")

        # Two calls in the same (frozen) second: both announced, in the order called.
        assert staff4.request("call_ticket", number="P001").ok
        assert staff3.request("recall").ok
        board.until(lambda p: len(p.announcements) == 3)
        assert [a.text for a in board.presenter.announcements] == [
            "Ticket I D-1, Schalter 3, Erdgeschoss, links",
            "Ticket P-1, guichet 4, rez-de-chaussée, à droite",
            "Ticket I D-1, Schalter 3, Erdgeschoss, links",
        ]
        assert (board.presenter.called_number, board.presenter.called_counter) == (
            "ID001",
            "Loket 3",
        )
        assert board.presenter.recent == [{"number": "P001", "counter": "Loket 4"}]
    finally:
        board.close()


def test_broker_gone_the_board_says_offline_and_is_right_again_once_it_is_back(
    tmp_path: Path, connect: Connect, clock: FrozenClock
) -> None:
    broker = Mosquitto().start()  # its own broker: stopping it disturbs no other test
    process = build_hub(TOWNHALL, tmp_path / "site.db", broker.broker, clock=clock)
    boards: list[Board] = []
    try:
        process.hub.start()
        board = Board(broker.broker)
        boards.append(board)
        board.until(lambda p: not p.offline)
        kiosk = started(connect("kiosk-inkom", broker=broker.broker))
        staff = started(connect("staff-loket-3", broker=broker.broker))
        for _ in range(3):
            assert kiosk.request("issue_ticket", service_id="eid").ok
        assert kiosk.request("issue_ticket", service_id="geboorte").ok
        assert staff.request("counter_status", status="open").ok
        assert staff.request("call_next").ok
        board.until(lambda p: p.called_number == "ID001" and board.waiting("ID") == "2")
        assert not board.presenter.offline

        broker.stop()
        board.until(lambda p: p.offline)
        assert board.presenter.offline_text.startswith("Geen verbinding:")
        assert board.presenter.called_number == "ID001"  # the last state, marked stale
        # A board upstairs switched on during the outage (one client per device id: the
        # broker lets only one connection use an id).
        late = Board(broker.broker, "display-verdieping")
        boards.append(late)
        late.until(lambda p: p.offline)

        broker.start()
        board.until(lambda p: not p.offline and p.called_number == "ID001", timeout=10)
        late.until(lambda p: not p.offline and late.waiting("G") == "1", timeout=10)
        assert late.presenter.called_number == ""  # loket 3 is downstairs
        assert staff.request("start", timeout=6).ok
        assert staff.request("call_next").ok
        board.until(lambda p: p.called_number == "ID002" and len(p.announcements) == 2)
        assert late.presenter.announcements == []
    finally:
        for each in boards:
            each.close()
        process.close()
        broker.close()
