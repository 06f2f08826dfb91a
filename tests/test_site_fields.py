"""Site-file fields read by the apps: info messages for displays, the live page's delay."""

from __future__ import annotations

from display_board.board import board_config
from siteconfig import parse_site_config
from tests.mqtt_fixtures import TOWNHALL


def townhall_with(extra_site: str = "", device_messages: str = "") -> str:
    text = TOWNHALL.read_text(encoding="utf-8")
    text = text.replace("site:\n", "site:\n" + extra_site, 1)
    return text.replace(
        "  - id: display-gelijkvloers\n", "  - id: display-gelijkvloers\n" + device_messages, 1
    )


def test_displays_show_the_sites_info_messages_unless_they_have_their_own() -> None:
    site_messages = '  messages:\n    - {nl: "Welkom", fr: "Bienvenue"}\n'
    own = '    messages:\n      - {nl: "Gelijkvloers: loketten 1-5"}\n'
    config = parse_site_config(townhall_with(site_messages, own), "townhall.yaml")
    assert board_config(config, "display-gelijkvloers").messages == (
        {"nl": "Gelijkvloers: loketten 1-5"},
    )
    assert board_config(config, "display-verdieping").messages == (
        {"nl": "Welkom", "fr": "Bienvenue"},
    )


def test_the_live_pages_delay_is_a_site_setting() -> None:
    plain = parse_site_config(TOWNHALL.read_text(encoding="utf-8"), "townhall.yaml")
    assert plain.site.live_page.allow_delay is False
    text = townhall_with("  live_page: {allow_delay: true, delay_minutes: 15}\n")
    assert parse_site_config(text, "townhall.yaml").site.live_page.delay_minutes == 15
