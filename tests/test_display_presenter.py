"""The display board's presenter, texts and layout, without a window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from apps.colours import contrast
from display_board import theme
from display_board.announcer import Announcement
from display_board.board import BoardConfig, board_config, load_messages
from display_board.layout import (
    LARGE_TEXT_SCALE,
    MAX_NAME_LINES,
    MIN_TEXT,
    layout_for,
    name_lines,
)
from display_board.presenter import DisplayPresenter, short_name
from display_board.texts import announcement, counter_label, labels, spoken_number
from i18n import Place
from link.protocol import messages as m
from siteconfig import load_site_config
from tests.mqtt_fixtures import TOWNHALL

T0 = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)  # 09:00 in Brussels
#: The texts of a service row (the others size it).
TEXTS = ("prefix", "name", "waiting", "wait")


class Spoken:
    """Collects announcements instead of playing them."""

    def __init__(self) -> None:
        self.said: list[Announcement] = []

    def announce(self, announcement: Announcement) -> None:
        self.said.append(announcement)


def board(device: str = "display-gelijkvloers", **kw: object) -> BoardConfig:
    return board_config(load_site_config(TOWNHALL), device, **kw)  # type: ignore[arg-type]


def call(number: str, counter: str = "loket-3", *, at: datetime = T0, recall: int = 0,
         ticket_id: int | None = None, language: str = "nl") -> m.Call:  # fmt: skip
    zone = "gelijkvloers" if counter in {"loket-1", "loket-2", "loket-3", "loket-4"} else "x"
    return m.Call(
        ticket_id=ticket_id if ticket_id is not None else hash(number) % 10_000,
        number=number,
        service_id="eid",
        counter_id=counter,
        counter_name=f"Loket {counter[-1]}",
        zone=zone,
        language=language,
        at=at,
        recall=recall,
    )


def online(p: DisplayPresenter, now: datetime = T0) -> DisplayPresenter:
    p.link_changed(True, now)
    p.device_status(m.DeviceStatus(device="hub", online=True), now)
    return p


def presenter(**kw: object) -> tuple[DisplayPresenter, Spoken]:
    spoken = Spoken()
    return online(DisplayPresenter(board(**kw), spoken, T0)), spoken  # type: ignore[arg-type]


def test_a_call_is_shown_large_highlighted_and_announced_in_the_tickets_language() -> None:
    p, spoken = presenter()
    assert p.called_number == "" and p.called_title == "Nog geen oproepen"
    p.called(m.CalledEvent(call=call("ID012", language="fr")), T0)
    assert (p.called_title, p.called_number, p.called_counter) == ("Ticket", "ID012", "Loket 3")
    assert p.highlight
    assert [a.text for a in spoken.said] == ["Ticket I D-12, guichet 3, rez-de-chaussée, à gauche"]
    assert p.announcements == spoken.said
    p.tick(T0 + timedelta(seconds=7))
    assert p.highlight
    p.tick(T0 + timedelta(seconds=8.5))
    assert not p.highlight and p.called_number == "ID012"


def test_two_calls_in_the_same_second_are_both_announced_in_order() -> None:
    p, spoken = presenter()
    p.called(m.CalledEvent(call=call("A001", "loket-3")), T0)
    p.called(m.CalledEvent(call=call("S004", "loket-1")), T0)
    assert [a.number for a in spoken.said] == ["A001", "S004"]
    assert (p.called_number, p.called_counter) == ("S004", "Loket 1")
    assert p.recent == [{"number": "A001", "counter": "Loket 3"}]


def test_a_recall_is_announced_again_but_a_duplicate_delivery_is_not() -> None:
    p, spoken = presenter()
    first = call("P003", ticket_id=7)
    p.called(m.CalledEvent(call=first), T0)
    p.called(m.CalledEvent(call=first), T0)  # QoS 1 may deliver twice
    p.called(
        m.CalledEvent(call=call("P003", ticket_id=7, recall=1, at=T0 + timedelta(minutes=1))), T0
    )
    assert [(a.number, a.recall) for a in spoken.said] == [("P003", 0), ("P003", 1)]
    assert p.recent == []  # one ticket, shown once


def test_the_zone_filter_shows_and_announces_only_this_zones_counters() -> None:
    p, spoken = presenter()
    p.called(m.CalledEvent(call=call("G001", "loket-6")), T0)
    assert spoken.said == [] and p.called_number == ""
    state = m.CallsState(at=T0, calls=[call("G001", "loket-6"), call("S001", "loket-1")])
    p.show_calls(state)
    assert p.called_number == "S001"
    upstairs, _ = presenter(device="display-verdieping")
    upstairs.show_calls(state)
    assert upstairs.called_number == "G001"
    assert set(upstairs.board.counters) == {"loket-5", "loket-6", "loket-7"}
    assert "snelbalie" not in upstairs.board.services and "geboorte" in upstairs.board.services


def test_retained_calls_fill_the_board_without_announcing_them() -> None:
    p, spoken = presenter()
    calls = [call(f"S00{n}", "loket-1", at=T0 - timedelta(minutes=n)) for n in range(1, 8)]
    p.show_calls(m.CallsState(at=T0, calls=calls))
    assert p.called_number == "S001" and not p.highlight and spoken.said == []
    assert [r["number"] for r in p.recent] == ["S002", "S003", "S004", "S005", "S006"]
    p.set_capacity(3, 9, T0)
    assert len(p.recent) == 3


def services_state(waiting: int = 3) -> m.ServicesState:
    def service(sid: str, prefix: str, name: str, **kw: object) -> m.ServiceState:
        base = dict(id=sid, names={"nl": name, "fr": name.upper()}, prefix=prefix, quick=False,
                    walk_in=True, waiting=waiting, waiting_priority=0, longest_wait_s=600,
                    expected_wait_s=750, available=True)  # fmt: skip
        return m.ServiceState.model_validate({**base, **kw})

    return m.ServicesState(
        at=T0,
        services=[
            service("snelbalie", "S", "Snelbalie \u2013 afhalen en attesten"),
            service("eid", "ID", "Identiteitskaart (eID) en Kids-ID", waiting=0),
            service("paspoort", "P", "Paspoort", available=False, reason="closed_now"),
            service("geboorte", "G", "Aangifte van een geboorte"),
        ],
    )


def test_waiting_counts_and_expected_waits_per_service_of_the_zone() -> None:
    p, _ = presenter()
    p.show_services(services_state(), T0)
    assert [{k: row[k] for k in TEXTS} for row in p.services] == [
        {"prefix": "S", "name": "Snelbalie", "waiting": "3", "wait": "13 min"},
        {"prefix": "ID", "name": "Identiteitskaart", "waiting": "0", "wait": "geen"},
        {"prefix": "P", "name": "Paspoort", "waiting": "3", "wait": "gesloten"},
    ]  # geboorte is upstairs
    assert {row["lines"] for row in p.services} == {1}
    p.set_capacity(5, 2, T0)
    first = [row["prefix"] for row in p.services]
    p.tick(T0 + timedelta(seconds=p.board.rotate_seconds))
    assert first == ["S", "ID"] and [row["prefix"] for row in p.services] == ["P"]


def test_offline_after_five_seconds_without_broker_or_hub_and_live_again_at_once() -> None:
    spoken = Spoken()
    p = DisplayPresenter(board(), spoken, T0)
    p.tick(T0 + timedelta(seconds=4))
    assert not p.offline  # starting up: not yet
    p.tick(T0 + timedelta(seconds=5))
    assert p.offline and p.offline_text.startswith("Geen verbinding:") and p.content_opacity < 1
    assert not p.live
    online(p, T0 + timedelta(seconds=6))
    assert p.live and not p.offline and p.offline_text == "" and p.content_opacity == 1
    p.show_calls(m.CallsState(at=T0, calls=[call("S001", "loket-1")]))
    t = T0 + timedelta(seconds=10)
    p.device_status(m.DeviceStatus(device="kiosk-inkom", online=False), t)
    p.device_status(m.DeviceStatus(device="hub", online=False), t)  # the hub's last will
    p.tick(t + timedelta(seconds=4.9))
    assert not p.offline
    p.tick(t + timedelta(seconds=5))
    assert p.offline and p.called_number == "S001"  # the last state stays, marked stale
    p.device_status(m.DeviceStatus(device="hub", online=True), t + timedelta(seconds=9))
    assert not p.offline
    p.link_changed(False, t + timedelta(seconds=20))
    p.link_changed(True, t + timedelta(seconds=21))
    p.tick(t + timedelta(seconds=26))
    assert p.offline  # connected again, but no word from the hub yet


def test_clock_and_rotating_info_messages_in_each_language() -> None:
    messages = ({"nl": "Welkom", "fr": "Bienvenue"}, {"en": "Thursday late opening"})
    p = DisplayPresenter(board(messages=messages), None, T0)
    seen = []
    for step in range(4):
        p.tick(T0 + timedelta(seconds=step * p.board.rotate_seconds))
        seen.append(p.info_text)
    assert p.clock_text == "09:00"
    assert sorted(set(seen)) == ["Bienvenue", "Thursday late opening", "Welkom"]
    default = DisplayPresenter(board(), None, T0)
    assert default.info_text.startswith("Welkom")


def test_the_board_shows_numbers_counters_and_service_names_only() -> None:
    p, _ = presenter()
    p.called(m.CalledEvent(call=call("A001", language="de")), T0)
    p.called(m.CalledEvent(call=call("S002", "loket-1", language="de")), T0)
    p.show_services(services_state(), T0)
    assert {key for row in p.recent for key in row} == {"number", "counter"}
    assert {key for row in p.services for key in row} == {*TEXTS, "lines", "height"}
    shown = [p.called_title, p.called_number, p.called_counter, p.info_text]
    shown += [text for row in p.recent for text in row.values()]
    shown += [row[key] for row in p.services for key in TEXTS]
    assert "de" not in shown and not any("token" in text for text in shown)


def test_an_unknown_language_shows_dutch_labels() -> None:
    assert labels("xx") == labels("nl") != labels("fr")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Ticket A-12, loket 3"),
        ("fr", "Ticket A-12, guichet 3"),
        ("en", "Ticket A-12, counter 3"),
        ("de", "Ticket A-12, Schalter 3"),
    ],
)
def test_announcement_in_each_language(language: str, expected: str) -> None:
    assert announcement("A012", "Loket 3", "loket-3", language) == expected


def test_numbers_and_counters_for_speech_and_screen() -> None:
    assert spoken_number("ID001") == "I D-1" and spoken_number("BK104") == "B K-104"
    assert announcement("G002", "Loket 6 \u2013 Burgerlijke stand", "loket-6", "fr").endswith(
        "guichet 6"
    )
    assert announcement("G002", "Balie geboorten", "balie", "en").endswith(", Balie geboorten")
    assert counter_label("Loket 3", "loket-3", "de") == "Schalter 3"
    assert short_name("Afval en milieu \u2013 containerparkkaart") == "Afval en milieu"


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1080, 1920), (1280, 720), (540, 960)])
def test_layout_text_is_readable_from_five_metres(width: int, height: int) -> None:
    layout = layout_for(width, height)
    short = min(width, height)
    assert layout.portrait == (height > width)
    assert min(layout.text, layout.row, layout.header) >= MIN_TEXT * short
    assert layout.number >= 0.2 * short and layout.counter >= 0.1 * short
    assert layout.recent_rows >= 3 and layout.service_rows >= 6


def test_board_config_and_messages_file(tmp_path: Path) -> None:
    config = load_site_config(TOWNHALL)
    with pytest.raises(ValueError, match="not a display"):
        board_config(config, "kiosk-inkom")
    with pytest.raises(ValueError, match="no device"):
        board_config(config, "display-kelder")
    assert board_config(config, "display-gelijkvloers", language="fr").languages[0] == "fr"
    good = tmp_path / "info.yaml"
    good.write_text("- nl: Welkom\n  fr: Bienvenue\n- en: Closed on Friday afternoon\n")
    assert load_messages(good) == (
        {"nl": "Welkom", "fr": "Bienvenue"},
        {"en": "Closed on Friday afternoon"},
    )
    bad = tmp_path / "info.json"
    bad.write_text('[{"es": "Hola"}]')
    with pytest.raises(ValueError, match="unknown language 'es'"):
        load_messages(bad)


def test_high_contrast_and_large_text_come_from_the_site_file() -> None:
    standard, _ = presenter()
    assert standard.palette == theme.STANDARD and not standard.board.large_text
    p = online(DisplayPresenter(board("display-verdieping"), None, T0))  # high_contrast: true
    assert p.board.high_contrast and p.palette == theme.HIGH_CONTRAST
    assert (p.called_bg, p.called_fg) == (list(theme.BLACK), list(theme.YELLOW))
    p.called(m.CalledEvent(call=call("G001", "loket-6")), T0)
    assert (p.called_bg, p.called_fg) == (list(theme.YELLOW), list(theme.BLACK))
    site = load_site_config(TOWNHALL)
    large = site.model_copy(
        update={"devices": [d.model_copy(update={"large_text": True}) for d in site.devices]}
    )
    assert board_config(large, "display-gelijkvloers").large_text
    normal, bigger = layout_for(1920, 1080), layout_for(1920, 1080, large_text=True)
    assert bigger.text == pytest.approx(normal.text * LARGE_TEXT_SCALE)
    assert bigger.number > normal.number and bigger.service_rows < normal.service_rows


@pytest.mark.parametrize("colours", [theme.STANDARD, theme.HIGH_CONTRAST])
def test_offline_dimming_keeps_text_at_least_4_5_to_1(colours: theme.Palette) -> None:
    pairs = [
        (colours.text, colours.panel),
        (colours.muted, colours.panel),
        (colours.accent, colours.panel),
        (colours.muted, colours.background),
        (colours.ink, colours.accent),  # the call still highlighted when the link drops
    ]
    for fg, ground in pairs:
        assert theme.stale_contrast(fg, ground, colours.background, theme.STALE_OPACITY) >= 4.5
    assert theme.STALE_OPACITY <= 0.75  # still visibly dimmed, next to the red banner
    assert contrast(colours.text, colours.offline) >= 4.5  # the banner's own text


def test_long_names_take_two_lines_and_the_pages_count_lines() -> None:
    p, _ = presenter()
    p.show_services(services_state(), T0)
    p.set_capacity(5, 3, T0, name_lines=lambda name: 2 if len(name) > 12 else 1, row_height=50)
    assert [(row["name"], row["lines"], row["height"]) for row in p.services] == [
        ("Snelbalie", 1, 50),
        ("Identiteitskaart", 2, 100),
    ]  # Paspoort no longer fits in three lines: next page
    p.tick(T0 + timedelta(seconds=p.board.rotate_seconds))
    assert [row["name"] for row in p.services] == ["Paspoort"]
    p.set_capacity(5, 1, T0, name_lines=lambda name: 2)
    assert [row["lines"] for row in p.services] == [1]  # one line is all there is: shortened


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1080, 1920)])
def test_every_service_name_is_whole_on_a_full_hd_board(width: int, height: int) -> None:
    layout = layout_for(width, height)
    names = [
        short_name(name)
        for service in load_site_config(TOWNHALL).services
        for name in service.names.values()
    ]
    lines = {name: name_lines(name, layout) for name in names}
    assert max(lines.values()) <= MAX_NAME_LINES, lines
    assert lines["Paspoort"] == 1 and lines["Eheschließung und gesetzliches Zusammenwohnen"] > 1


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "Ticket G-1, loket 6, eerste verdieping, lokaal B.12, rechts van de trap"),
        ("fr", "Ticket G-1, guichet 6, premier étage, local B.12, à droite de l'escalier"),
        ("en", "Ticket G-1, counter 6, first floor, room B.12, right of the stairs"),
        ("de", "Ticket G-1, Schalter 6, erster Stock, Raum B.12, rechts von der Treppe"),
    ],
)
def test_a_call_says_and_shows_where_the_counter_is(language: str, said: str) -> None:
    spoken = Spoken()
    p = online(DisplayPresenter(board("display-verdieping"), spoken, T0))
    p.called(m.CalledEvent(call=call("G001", "loket-6", language=language)), T0)
    assert [a.text for a in spoken.said] == [said]
    assert p.called_place == "eerste verdieping, lokaal B.12, rechts van de trap"  # board: nl
    p.called(m.CalledEvent(call=call("K001", "loket-7", language=language)), T0)
    assert p.called_place == "eerste verdieping"  # no room or direction in the site file
    assert spoken.said[-1].text.endswith(", " + Place(1).text(language))


def test_without_a_place_in_the_site_file_the_call_is_as_before() -> None:
    assert announcement("A012", "Loket 3", "loket-3", "nl") == "Ticket A-12, loket 3"
    assert Place().text("fr") == "" and Place(-1).text("de") == "Untergeschoss"
    assert Place(5).text("nl") == "verdieping 5" and Place(0).text("en") == "ground floor"
