"""What the office's actions change on the devices, without a window: the kiosk's tile and
notice for a paused service, its help press and printer in its status, a reprint order;
the display board's info messages for its zone until they expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from display_board.board import board_config
from display_board.presenter import DisplayPresenter
from display_board.texts import labels
from i18n import LANGUAGES
from kiosk.i18n import t
from link.protocol.office import InfoState, InfoView
from link.protocol.orders import CheckPrinterOrder, KioskOrder, ReprintOrder
from link.protocol.replies import TicketView
from printer_drivers import PrinterStatus
from siteconfig import load_site_config
from tests.mqtt_fixtures import TOWNHALL
from tests.test_kiosk_presenter import Kiosk, kiosk

__all__ = ["kiosk"]
T0 = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)  # 09:00 in Brussels
PAUSE = {"nl": "Geen paspoorten tot 14 uur", "fr": "Pas de passeports avant 14 h"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_paused_service_shows_the_offices_message_on_its_tile(
    kiosk: Kiosk, language: str
) -> None:
    kiosk.hub.notices["paspoort"] = PAUSE
    kiosk.p.services_changed(kiosk.hub.services_state())
    kiosk.p.choose_language(language)
    tile = next(x for x in kiosk.p.tiles if x.id == "paspoort")
    expected = PAUSE.get(language, PAUSE["nl"])  # else the site's own language
    assert not tile.available and tile.reason == "paused"
    assert tile.reason_text == expected == tile.notice
    kiosk.p.walkin.open()
    kiosk.p.walkin.choose(tile.id)
    assert kiosk.p.notice_title == f"{tile.name}: {t('reason_paused', language)}"
    assert kiosk.p.notice_body == expected


def test_a_paused_service_without_a_message_in_any_language_says_so_kindly(kiosk: Kiosk) -> None:
    kiosk.hub.notices["paspoort"] = {}
    kiosk.p.services_changed(kiosk.hub.services_state())
    tile = next(x for x in kiosk.p.tiles if x.id == "paspoort")
    assert tile.reason_text == t("reason_paused", "nl")
    kiosk.p.walkin.explain(tile)
    assert kiosk.p.notice_body == t("unavailable_body_paused", "nl")


def test_the_help_press_and_offline_tickets_are_in_the_kiosks_status(kiosk: Kiosk) -> None:
    kiosk.p.ask_staff()
    pressed = kiosk.hub.statuses[-1]["help_since"]
    assert pressed == kiosk.clocks.now.astimezone(pressed.tzinfo)
    kiosk.p.ask_staff()  # the same visitor asking again is the same request
    assert kiosk.hub.statuses[-1]["help_since"] == pressed
    kiosk.p.close_overlay()
    assert kiosk.hub.statuses[-1]["help_since"] is None
    assert kiosk.hub.statuses[-1]["offline_tickets"] == 0


def _view(number: str = "P007") -> TicketView:
    return TicketView.model_validate(
        {
            "id": 7,
            "number": number,
            "service_id": "paspoort",
            "service_name": "Paspoort",
            "status": "waiting",
            "kind": "walk_in",
            "priority": "normal",
            "language": "nl",
            "channel": "kiosk",
            "issued_at": T0.isoformat(),
            "queued_since": T0.isoformat(),
            "position": 2,
            "expected_wait_s": 600,
            "token": "t" * 22,
        }
    )


def test_a_reprint_order_prints_and_is_reported_without_disturbing_the_visitor(
    kiosk: Kiosk,
) -> None:
    kiosk.p.walkin.open()
    screen = kiosk.p.screen
    kiosk.p.tickets.order(KioskOrder(order=ReprintOrder(order_id="r1", ticket=_view())))
    assert [p.number for p in kiosk.printer.printed] == ["P007"]
    assert kiosk.printer.printed[0].qr_url is None or "t" * 22 in kiosk.printer.printed[0].qr_url
    verb, fields = kiosk.hub.requests[-1]
    assert verb == "report_print" and fields["printed"] and fields["order_id"] == "r1"
    assert kiosk.p.screen == screen, "the visitor at the screen is not interrupted"


def test_a_failed_reprint_is_reported_as_failed(kiosk: Kiosk) -> None:
    kiosk.printer.status_now = PrinterStatus.PAPER_OUT
    kiosk.p.tickets.order(KioskOrder(order=ReprintOrder(order_id="r2", ticket=_view())))
    verb, fields = kiosk.hub.requests[-1]
    assert (verb, fields["printed"], fields["printer"]) == ("report_print", False, "paper_out")
    assert kiosk.hub.statuses[-1]["printer"] == "paper_out"


def test_a_check_printer_order_asks_the_printer_and_publishes_it(kiosk: Kiosk) -> None:
    kiosk.printer.status_now = PrinterStatus.ONLINE
    before = len(kiosk.hub.statuses)
    kiosk.p.tickets.order(KioskOrder(order=CheckPrinterOrder(order_id="c1")))
    assert len(kiosk.hub.statuses) > before
    assert kiosk.hub.statuses[-1]["printer"] == "online"


def _info(id_: str, text: str, *, zones: list[str] | None = None,
          devices: list[str] | None = None, minutes: int = 30) -> InfoView:  # fmt: skip
    return InfoView(
        id=id_,
        texts={"nl": text, "fr": f"{text} (fr)"},
        zones=zones or [],
        devices=devices or [],
        since=T0,
        until=T0 + timedelta(minutes=minutes),
    )


def board_presenter(device: str) -> DisplayPresenter:
    return DisplayPresenter(board_config(load_site_config(TOWNHALL), device), None, T0)


def test_a_display_shows_only_the_info_messages_meant_for_it_until_they_expire() -> None:
    ground = board_presenter("display-gelijkvloers")
    upstairs = board_presenter("display-verdieping")
    state = InfoState(
        at=T0,
        messages=[
            _info("i1", "Loket 5 gesloten", zones=["eerste-verdieping"]),
            _info("i2", "Lift buiten dienst", devices=["display-gelijkvloers"], minutes=10),
        ],
    )
    ground.show_info(state, "display-gelijkvloers", T0)
    upstairs.show_info(state, "display-verdieping", T0)
    seen_ground = {_shown(ground, T0 + timedelta(seconds=8 * i)) for i in range(4)}
    seen_up = {_shown(upstairs, T0 + timedelta(seconds=8 * i)) for i in range(4)}
    assert seen_ground == {"Lift buiten dienst"}
    assert seen_up == {"Loket 5 gesloten"}
    later = T0 + timedelta(minutes=11)  # the lift message expired: the default text again
    defaults = {_shown(ground, later + timedelta(seconds=8 * i)) for i in range(4)}
    assert defaults <= {str(labels(lang)["default_info"]) for lang in LANGUAGES}
    everyone = InfoState(at=T0, messages=[_info("i3", "Sluiting om 12 uur")])
    for board, device in ((ground, "display-gelijkvloers"), (upstairs, "display-verdieping")):
        board.show_info(everyone, device, T0)
        assert _shown(board, T0) == "Sluiting om 12 uur"


def _shown(board: DisplayPresenter, now: datetime) -> str:
    """The info text at `now`, without the language its turn is in."""
    board.tick(now)
    return str(board.info_text).removesuffix(" (fr)")


def test_the_info_message_follows_the_boards_language() -> None:
    board = DisplayPresenter(
        board_config(load_site_config(TOWNHALL), "display-gelijkvloers", language="fr"), None, T0
    )
    board.show_info(InfoState(at=T0, messages=[_info("i1", "Welkom")]), "display-gelijkvloers", T0)
    board.tick(T0)
    texts = set()
    for i in range(8):
        board.tick(T0 + timedelta(seconds=8 * i))
        texts.add(board.info_text)
    assert texts == {"Welkom (fr)", "Welkom"}


def test_loket_devices_list_shows_printer_state_and_help_requests() -> None:
    from loket.cmd_devices import table
    from provisioning.messages import DeviceRow

    rows = [
        DeviceRow(
            id="kiosk-inkom",
            role="kiosk",
            name="Zuil inkomhal",
            state="enrolled",
            online=True,
            printer="paper_out",
            help_since=T0,
            offline_tickets=2,
        ),
        DeviceRow(id="display-1", role="display", name="Scherm", state="enrolled"),
    ]
    lines = table(rows).splitlines()
    assert lines[0].split()[-2:] == ["printer", "help"]
    assert "paper_out" in lines[1] and "asked 08:00, 2 offline ticket(s)" in lines[1]
    assert lines[2].split()[-2:] == ["-", "-"]
