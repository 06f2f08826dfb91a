"""The kiosk's presenter without a window: every flow, in every language, against fakes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from i18n import LANGUAGES
from kiosk.context import Deps, Settings
from kiosk.i18n import t
from kiosk.offline import OfflineStore
from kiosk.presenter import KioskPresenter
from printer_drivers import PrinterStatus
from siteconfig import load_site_config
from tests.kiosk_fakes import FakeHub, FakePrinter, FakeSpeaker, aware

ROOT = Path(__file__).resolve().parent.parent
TOWNHALL = load_site_config(ROOT / "config" / "townhall.yaml")
CAREHOME = load_site_config(ROOT / "config" / "carehome.yaml")


class Clocks:
    """Wall time (for the hub and opening hours) and monotonic time (for idle), by hand."""

    def __init__(self, now: str = "2026-12-03 09:00") -> None:
        self.now = aware(now)
        self.seconds = 1000.0

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.seconds


class Kiosk:
    """A presenter with fakes around it, and what the test needs to poke them."""

    def __init__(self, tmp: Path, config: Any = TOWNHALL, device: str = "kiosk-inkom") -> None:
        self.clocks = Clocks()
        self.hub = FakeHub(config, self.clocks.wall)
        self.printer = FakePrinter()
        self.speaker = FakeSpeaker()
        self.store = OfflineStore(tmp / "offline.json")
        self.deps = Deps(
            config=config,
            device=config.device(device),
            hub=self.hub,
            printer=self.printer,
            store=self.store,
            speaker=self.speaker,
            clock=self.clocks.wall,
            monotonic=self.clocks.monotonic,
            settings=Settings(idle_seconds=90, idle_prompt_seconds=30, ticket_seconds=20),
        )
        self.p = KioskPresenter(self.deps)
        self.p.tick()
        self.p.services_changed(self.hub.services_state())

    def wait(self, seconds: float) -> None:
        """Let time pass, ticking every second like the app."""
        for _ in range(int(seconds)):
            self.clocks.seconds += 1
            self.p.tick()

    def type_code(self, code: str) -> None:
        self.p.visit.open()
        for ch in code:
            self.p.visit.key(ch)


@pytest.fixture
def kiosk(tmp_path: Path) -> Kiosk:
    return Kiosk(tmp_path)


@pytest.fixture
def make(tmp_path: Path) -> Callable[..., Kiosk]:
    return lambda **kw: Kiosk(tmp_path, **kw)


def test_welcome_shows_the_site_default_language_and_the_site_name(kiosk: Kiosk) -> None:
    p = kiosk.p
    assert p.screen == "welcome" and p.language == "nl"
    assert p.site_name == TOWNHALL.site.name
    assert [code for code, _ in p.languages] == ["nl", "fr", "en", "de"]
    assert p.texts["touch_to_start"] == "Raak het scherm aan om te beginnen"
    assert p.banner == ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_walk_in_ticket_in_every_language(kiosk: Kiosk, language: str) -> None:
    p = kiosk.p
    p.choose_language(language)
    p.start()
    p.walkin.open()
    assert p.screen == "services"
    quick = [tile.id for tile in p.tiles if tile.quick]
    assert [tile.id for tile in p.tiles][: len(quick)] == quick, "quick services come first"
    first = p.tiles[0]
    assert first.id == "snelbalie" and first.available
    assert first.name == TOWNHALL.services[0].names[language]
    assert first.wait_text == t("wait_none", language)
    p.walkin.choose("snelbalie")
    assert kiosk.hub.requests[-1] == (
        "issue_ticket",
        {"service_id": "snelbalie", "language": language, "priority": "normal"},
    )
    assert p.screen == "ticket" and p.print_state == "printed"
    assert p.ticket_number == "S001"
    assert p.ticket_qr.startswith("https://loket.stadvoorbeeld.example/t/")
    assert p.ticket_lines == [t("wait_none", language), t("position", language, position=1)]
    assert kiosk.printer.printed[-1].language == language
    assert kiosk.hub.statuses[-1]["printer"] == "online"
    kiosk.wait(19)
    assert p.screen == "ticket"
    kiosk.wait(2)
    assert p.screen == "welcome" and p.language == "nl", "back to the start, language reset"


def test_priority_is_asked_for_and_forgotten_for_the_next_visitor(kiosk: Kiosk) -> None:
    p = kiosk.p
    p.walkin.open()
    p.walkin.toggle_priority()
    p.walkin.choose("eid")
    assert kiosk.hub.requests[-1][1]["priority"] == "priority"
    p.tickets.done()
    assert p.priority is False and p.screen == "welcome"


@pytest.mark.parametrize("language", LANGUAGES)
def test_appointment_check_in_with_a_nudge_in_every_language(kiosk: Kiosk, language: str) -> None:
    kiosk.hub.bookings["GB7K2M"] = {
        "appointments": [{"start": "2026-12-03T09:10:00+01:00", "services": ["geboorte"]}],
        "documents": [{"service_id": "geboorte", "service_name": "x", "items": ["Geboorteattest"]}],
        "offers": [{"service_id": "kinderopvang", "service_name": "y", "because_of": "geboorte"}],
        "already_checked_in": False,
    }
    p = kiosk.p
    p.choose_language(language)
    p.start()
    kiosk.type_code("GB7K2X")
    p.visit.delete()
    p.visit.key("M")
    assert p.code == "GB7K2M"
    p.visit.submit()
    assert kiosk.hub.requests[-1] == ("check_in", {"booking_code": "GB7K2M", "language": language})
    assert p.screen == "checked_in"
    names = {s.id: s.names[language] for s in TOWNHALL.services}
    assert p.appointment_lines == [t("appointment_line", language, time="09:10",
                                     service=names["geboorte"])]  # fmt: skip
    assert p.documents == [("x", ["Geboorteattest"])]
    assert p.offer_text == t(
        "offer_question", language, service=names["geboorte"], offer=names["kinderopvang"]
    )
    p.visit.answer_offer(True)
    verb, fields = kiosk.hub.requests[-1]
    assert verb == "add_visit_service" and fields["service_id"] == "kinderopvang"
    assert p.offer_text == ""
    assert p.offer_done == [t("offer_added", language, service=names["kinderopvang"])]
    childcare_docs = TOWNHALL.services[5].documents[language]
    assert p.documents[-1] == (names["kinderopvang"], childcare_docs)
    p.visit.print_ticket()
    assert p.screen == "ticket" and p.print_state == "printed"
    printed = kiosk.printer.printed[-1]
    assert printed.appointment_at is not None and printed.documents[-1].items == tuple(
        childcare_docs
    )
    assert p.ticket_lines == [t("appointment_at", language, time="09:10")]


def test_saying_no_to_an_offer_adds_nothing(kiosk: Kiosk) -> None:
    kiosk.hub.bookings["GB7K2M"] = {
        "appointments": [{"start": "2026-12-03T09:10:00+01:00", "services": ["geboorte"]}],
        "documents": [],
        "offers": [{"service_id": "kinderopvang", "service_name": "y", "because_of": "geboorte"}],
    }
    kiosk.type_code("GB7K2M")
    kiosk.p.visit.submit()
    kiosk.p.visit.answer_offer(False)
    assert [verb for verb, _ in kiosk.hub.requests] == ["check_in"]
    assert kiosk.p.offer_text == "" and kiosk.p.offer_done == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("reason", "when", "expect"),
    [
        ("unknown_code", None, None),
        ("too_early", "2026-12-03T15:30:00+01:00", "15:30"),
        ("too_late", "2026-12-03T08:30:00+01:00", "08:30"),
        ("other_day", "2026-12-07T10:00:00+01:00", "10:00"),
        ("cancelled", None, None),
    ],
)
def test_check_in_refusals_are_kind_and_say_what_next(
    kiosk: Kiosk, language: str, reason: str, when: str | None, expect: str | None
) -> None:
    kiosk.hub.bookings["ABCD12"] = {"refused": reason, "when": when}
    p = kiosk.p
    p.choose_language(language)
    kiosk.type_code("ABCD12")
    p.visit.submit()
    assert p.screen == "notice"
    assert p.notice_title == t(f"refused_{reason}_title", language)
    if expect:
        assert expect in p.notice_body + p.notice_extra
    if reason == "other_day":
        assert t("weekday_0", language) in p.notice_body  # Monday 7 December
    assert p.notice_can_retry == (reason == "unknown_code")
    if reason == "unknown_code":
        p.visit.open()
        assert p.screen == "keypad" and p.code == ""


def test_a_too_short_code_is_explained_on_the_keypad(kiosk: Kiosk) -> None:
    kiosk.type_code("AB")
    kiosk.p.visit.submit()
    assert kiosk.p.screen == "keypad" and kiosk.p.code_error == t("code_too_short", "nl")
    assert kiosk.hub.requests == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_appointments_only_service_says_why_and_offers_booking(kiosk: Kiosk, language: str) -> None:
    p = kiosk.p
    p.choose_language(language)
    p.walkin.open()
    marriage = next(tile for tile in p.tiles if tile.id == "huwelijk")
    assert p.tiles[-1] is marriage, "services without walk-ins come last"
    assert not marriage.available and marriage.reason_text == t(
        "reason_appointments_only", language
    )
    p.walkin.choose("huwelijk")
    assert p.screen == "notice" and kiosk.hub.requests == []
    assert p.notice_body == t("unavailable_body_appointments_only", language)
    assert p.notice_qr == "https://www.stadvoorbeeld.example/afspraak/burgerlijke-stand"
    assert t("book_online", language) in p.notice_extra
    p.back()
    assert p.screen == "services"


@pytest.mark.parametrize("language", LANGUAGES)
def test_full_for_today_from_the_hub_says_when_again(kiosk: Kiosk, language: str) -> None:
    kiosk.hub.unavailable["eid"] = ("daily_cap_reached", "2026-12-04T08:30:00+01:00")
    p = kiosk.p
    p.choose_language(language)
    p.walkin.open()
    p.walkin.choose("eid")
    assert p.screen == "notice"
    assert p.notice_title.endswith(t("reason_daily_cap_reached", language))
    assert p.notice_body == t("unavailable_body_full", language)
    assert t("when_tomorrow", language, time="08:30") in p.notice_extra


def test_tiles_follow_the_hub_state_with_wait_and_closures(kiosk: Kiosk) -> None:
    from link.protocol import messages as m

    services = []
    reasons = {"rijbewijs": "closed_now", "huwelijk": "appointments_only"}
    for s in TOWNHALL.services:
        services.append(
            m.ServiceState(
                id=s.id,
                names=dict(s.names),
                prefix=s.prefix,
                quick=s.quick,
                walk_in=s.walk_in,
                waiting=3,
                waiting_priority=0,
                longest_wait_s=60,
                expected_wait_s=900 if s.id == "paspoort" else 120,
                available=s.id not in reasons,
                reason=reasons.get(s.id),
                next_available=aware("2026-12-03 16:00") if s.id == "rijbewijs" else None,
            )
        )
    kiosk.p.services_changed(m.ServicesState(at=kiosk.clocks.now, services=services))
    tiles = {tile.id: tile for tile in kiosk.p.tiles}
    assert tiles["paspoort"].wait_text == t("wait_minutes", "nl", minutes=15)
    assert tiles["rijbewijs"].next_text == t("next_available", "nl", when="vandaag om 16:00")
    assert kiosk.p.tiles[-2].id == "rijbewijs", "closed services after the open ones"


def test_idle_asks_for_more_time_then_clears_everything(kiosk: Kiosk) -> None:
    p = kiosk.p
    p.choose_language("de")
    p.toggle_high_contrast()
    kiosk.type_code("K7P2")
    kiosk.wait(89)
    assert p.overlay == ""
    kiosk.wait(1)
    assert p.overlay == "idle"
    p.more_time()
    assert p.overlay == "" and p.code == "K7P2"
    kiosk.wait(90)
    assert p.overlay == "idle"
    kiosk.wait(30)
    assert p.screen == "welcome" and p.overlay == ""
    assert p.code == "" and p.language == "nl" and not p.high_contrast


def test_a_language_chosen_and_left_on_the_welcome_screen_is_reset(kiosk: Kiosk) -> None:
    kiosk.p.choose_language("fr")
    kiosk.wait(120)
    assert kiosk.p.language == "nl"


def test_nobody_is_hurried_while_waiting_for_the_hub(kiosk: Kiosk) -> None:
    kiosk.p.busy = True
    kiosk.p.screen = "keypad"
    kiosk.wait(300)
    assert kiosk.p.overlay == ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_paper_out_keeps_the_number_on_screen_until_touched(kiosk: Kiosk, language: str) -> None:
    kiosk.printer.status_now = PrinterStatus.PAPER_OUT
    p = kiosk.p
    p.choose_language(language)
    p.walkin.open()
    p.walkin.choose("afval")
    assert p.screen == "ticket" and p.print_state == "failed"
    assert p.ticket_number == "M001" and p.ticket_qr
    assert p.texts["print_failed_title"] == t("print_failed_title", language)
    assert kiosk.hub.statuses[-1]["printer"] == "paper_out"
    assert "paper_out" in kiosk.hub.statuses[-1]["detail"]
    kiosk.wait(89)
    assert p.screen == "ticket" and p.overlay == "", "stays while the visitor copies it"
    p.tickets.done()
    assert p.screen == "welcome" and p.ticket_number == ""
    assert p.banner == t("printer_down_banner", "nl")


def test_an_unprinted_ticket_left_on_screen_is_cleared_for_the_next_visitor(kiosk: Kiosk) -> None:
    kiosk.printer.status_now = PrinterStatus.PAPER_OUT
    p = kiosk.p
    p.walkin.open()
    p.walkin.choose("afval")
    assert p.print_state == "failed" and p.ticket_number == "M001"
    kiosk.wait(90)
    assert p.screen == "ticket" and p.overlay == "idle"
    p.more_time()
    assert p.screen == "ticket" and p.ticket_number == "M001"
    kiosk.wait(120)
    assert p.screen == "welcome" and p.overlay == ""
    assert p.ticket_number == p.ticket_qr == p.ticket_preview == p.ticket_service == ""
    assert p.print_state == "" and not p.print_failed and p.ticket_lines == []


def test_a_real_dummy_printer_out_of_paper_leaves_a_preview(tmp_path: Path) -> None:
    from kiosk.printing import TicketPrinter

    kiosk = Kiosk(tmp_path)
    kiosk.deps.printer = TicketPrinter("dummy:?status=paper_out", "TM-T20II", tmp_path / "pv")
    kiosk.p.walkin.open()
    kiosk.p.walkin.choose("snelbalie")
    assert kiosk.p.print_state == "failed"
    assert Path(kiosk.p.ticket_preview).is_file()
    assert kiosk.hub.statuses[-1]["printer"] == "paper_out"


def test_printer_status_is_polled_while_idle_and_published(kiosk: Kiosk) -> None:
    kiosk.printer.status_now = PrinterStatus.PAPER_LOW
    kiosk.wait(121)
    assert kiosk.hub.statuses[-1]["printer"] == "paper_low"
    assert kiosk.p.printer_ready, "paper low still prints"


def test_help_is_on_offer_and_staff_can_see_it(kiosk: Kiosk) -> None:
    p = kiosk.p
    p.walkin.open()
    p.ask_staff()
    assert p.overlay == "help" and p.screen == "services"
    assert "help" in kiosk.hub.statuses[-1]["detail"]
    p.close_overlay()
    assert p.overlay == "" and kiosk.hub.statuses[-1]["detail"] is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_switch_changes_every_text_and_the_tiles(kiosk: Kiosk, language: str) -> None:
    p = kiosk.p
    p.choose_language(language)
    assert p.texts["welcome"] == t("welcome", language)
    assert p.tiles[0].name == TOWNHALL.services[0].names[language]
    p.choose_language("xx")
    assert p.language == language, "an unknown language is ignored"


def test_accessible_mode_scales_text_and_switches_palette(make: Callable[..., Kiosk]) -> None:
    kiosk = make(device="kiosk-verdieping")
    p = kiosk.p
    assert p.large_text and not p.high_contrast, "the device's defaults"
    body = p.theme.body
    p.open_accessibility()
    assert p.overlay == "accessibility"
    p.toggle_large_text()
    assert p.theme.body < body
    p.toggle_high_contrast()
    p.toggle_speech()
    assert p.theme.palette.background == (0.0, 0.0, 0.0, 1.0)
    assert kiosk.speaker.said[-1] == (t("accessibility", "nl"), "nl")
    p.close_overlay()
    p.start()
    assert kiosk.speaker.said[-1][0].startswith(t("start_question", "nl"))
    p.home()
    assert p.large_text and not p.high_contrast and not p.speech


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_care_home_mode_one_screen_two_buttons_spoken(
    make: Callable[..., Kiosk], language: str
) -> None:
    kiosk = make(config=CAREHOME, device="zuil-inkomhal")
    p = kiosk.p
    assert p.screen == "care" and p.speech and p.large_text and p.high_contrast
    assert [tile.id for tile in p.care_tiles] == ["onthaal", "post-administratie"]
    assert [code for code, _ in p.languages] == ["nl", "fr"]
    p.choose_language(language)
    names = [s.names[language] for s in CAREHOME.services]
    assert kiosk.speaker.said[-1] == (
        t("care_prompt_two", language, first=names[0], second=names[1]),
        language,
    )
    p.walkin.choose("onthaal")
    assert p.screen == "ticket" and p.ticket_number == "A001"
    said = kiosk.speaker.said[-1][0]
    assert said.startswith(t("say_ticket", language, number="A 1"))
    assert p.ticket_service in said and all(line in said for line in p.ticket_lines)
    kiosk.wait(21)
    assert p.screen == "care"


@pytest.mark.parametrize("language", LANGUAGES)
def test_offline_check_in_says_so_and_offers_a_walk_in_ticket(kiosk: Kiosk, language: str) -> None:
    from kiosk.sync import OfflineSync

    OfflineSync(kiosk.hub, kiosk.store, TOWNHALL, kiosk.clocks.wall).run_once()
    kiosk.hub.online = False
    kiosk.p.tick()
    kiosk.p.choose_language(language)
    assert kiosk.p.banner == t("offline_banner", language)
    kiosk.type_code("K7P2WX")
    kiosk.p.visit.submit()
    assert kiosk.p.screen == "notice"
    assert kiosk.p.notice_title == t("offline_checkin_title", language)
    assert kiosk.p.notice_offer_walk_in
    kiosk.p.walkin.open()
    kiosk.p.walkin.choose("snelbalie")
    assert kiosk.p.ticket_note == t("offline_ticket_note", language)
    assert kiosk.store.pending()[0].language == language
    assert not any(verb == "check_in" for verb, _ in kiosk.hub.requests)


def test_scanner_checks_in_from_any_screen(kiosk: Kiosk) -> None:
    kiosk.hub.bookings["K7P2WX"] = {
        "appointments": [{"start": "2026-12-03T09:10:00+01:00", "services": ["eid"]}],
        "documents": [],
        "offers": [],
    }
    kiosk.p.visit.scanned("https://www.stadvoorbeeld.example/afspraak?code=k7p2wx\r")
    assert kiosk.p.screen == "checked_in"


def test_a_scan_answers_the_idle_question(kiosk: Kiosk) -> None:
    kiosk.type_code("AB")
    kiosk.wait(90)
    assert kiosk.p.overlay == "idle"
    kiosk.p.visit.scanned("AB\r")
    assert kiosk.p.overlay == "" and kiosk.p.screen == "keypad"
    assert kiosk.p.code_error, "too short, said on the keypad"


@pytest.mark.parametrize("language", LANGUAGES)
def test_full_until_closing_says_so_kindly_with_when_and_the_booking_qr(
    kiosk: Kiosk, language: str
) -> None:
    kiosk.hub.unavailable["paspoort"] = ("full_today", "2026-12-03T16:00:00+01:00")
    p = kiosk.p
    p.choose_language(language)
    p.walkin.open()
    p.walkin.choose("paspoort")
    assert p.screen == "notice"
    assert p.notice_title.endswith(t("reason_full_today", language))
    assert p.notice_body == t("unavailable_body_full_today", language)
    assert t("book_online", language) in p.notice_extra
    assert "16:00" in p.notice_extra
    assert p.notice_qr == "https://www.stadvoorbeeld.example/afspraak"
