"""The live page's HTML, words and languages, without a hub: every state in every language."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from typing import Any

import pytest

from link.protocol.replies import LiveTicket, UnknownTicket
from live_page.assets import CSP, SCRIPT, STYLE
from live_page.render import PageSettings, View, card, page, summary, title
from live_page.texts import pick_language, wait_words
from queue_engine.domain.model import Counter
from siteconfig import load_site
from tests.mqtt_fixtures import TOWNHALL

SITE = load_site(TOWNHALL)
SETTINGS = PageSettings(SITE, allow_delay=True)
TOKEN = "abcdefghijklmnopqrstuv"
FIELDS: dict[str, Any] = {
    "number": "P012",
    "service_id": "paspoort",
    "status": "waiting",
    "kind": "walk_in",
    "language": "nl",
    "day": "2026-12-03",
    "position": 4,
    "expected_wait_s": 1260,
    "counter_id": None,
    "counter_name": None,
    "zone": None,
    "called_at": None,
    "recall_count": 0,
    "hold_until": None,
    "scheduled_at": None,
    "expired": None,
}
BASE = LiveTicket.model_validate(FIELDS)


def live(**changes: Any) -> LiveTicket:
    """The waiting ticket of BASE with some fields changed (validated as the reply is)."""
    return LiveTicket.model_validate({**FIELDS, **changes})


STATES: dict[str, View] = {
    "waiting": BASE,
    "next": live(position=1, expected_wait_s=30),
    "appointment": live(kind="appointment", scheduled_at="2026-12-03T09:30:00+00:00"),
    "called": live(status="called", position=None, counter_id="loket-3"),
    "recalled": live(status="called", counter_id="loket-3", recall_count=1),
    "serving": live(status="serving", position=None, counter_id="loket-3"),
    "held until": live(status="held", hold_until="2026-12-03T09:10:00+00:00"),
    "held": live(status="held", position=None),
    "done": live(status="done", expired="done"),
    "cancelled": live(status="cancelled", expired="cancelled"),
    "no show": live(status="no_show", expired="no_show"),
    "other day": live(expired="other_day"),
    "unknown": UnknownTicket(),
}


class Checker(HTMLParser):
    """Fails on tags that do not close in order (a cheap well-formedness check)."""

    VOID = frozenset({"meta", "input", "br", "img", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("lang", ["nl", "fr", "en", "de"])
def test_every_state_renders_in_every_language(state: str, lang: str) -> None:
    view = STATES[state]
    html = page(SETTINGS, view, lang, TOKEN, live=True, updated="09:00")
    checker = Checker()
    checker.feed(html)
    assert checker.open == []
    assert len(html.encode()) < 12_000
    assert f'<html lang="{lang}">' in html and "{" not in card(SETTINGS, view, lang, TOKEN)
    assert summary(SETTINGS, view, lang) and title(SETTINGS, view, lang)
    if isinstance(view, LiveTicket):
        assert "P012" in html
    if state in ("called", "recalled", "serving"):
        assert "Loket 3" in html
    assert ("/delay" in html) == (state in ("waiting", "next", "appointment"))
    assert ('data-final="1"' in html) == (state in ("done", "cancelled", "other day", "unknown"))


def test_words_for_waits_and_places() -> None:
    assert wait_words("en", 30) == "less than 2 minutes"
    assert wait_words("en", 121) == "about 3 minutes"
    assert wait_words("nl", 1260) == "ongeveer 20 minuten"
    assert wait_words("de", 1500) == "etwa 25 Minuten"
    assert "There are 3 people before you." in card(SETTINGS, BASE, "en", TOKEN)
    two = live(position=2)
    assert "Il y a encore 1 personne avant vous." in card(SETTINGS, two, "fr", TOKEN)
    held = card(SETTINGS, STATES["held until"], "en", TOKEN)
    assert "from 10:10" in held  # 09:10 UTC is 10:10 in Brussels
    assert "Appointment at 10:30." in card(SETTINGS, STATES["appointment"], "en", TOKEN)
    assert "(03.12.2026)" in card(SETTINGS, STATES["other day"], "de", TOKEN)


def test_language_choice() -> None:
    offered = ("nl", "fr", "en", "de")
    pick = pick_language
    assert pick(offered, asked="de", accept="fr", ticket="en", default="nl") == "de"
    assert pick(offered, asked="xx", accept="fr", ticket="en", default="nl") == "en"
    assert pick(offered, asked=None, accept="es, fr-BE;q=0.8", ticket=None, default="nl") == "fr"
    assert pick(offered, asked=None, accept=None, ticket=None, default="nl") == "nl"
    assert pick(("fr", "nl"), asked=None, accept=None, ticket="en", default="fr") == "fr"


def test_names_are_escaped() -> None:
    odd = dataclasses.replace(SITE.counters["loket-3"], name="Loket <3> & co")
    counters: dict[str, Counter] = {**SITE.counters, "loket-3": odd}
    settings = PageSettings(dataclasses.replace(SITE, counters=counters))
    html = page(settings, STATES["called"], "en", TOKEN, live=True, updated="09:00")
    assert "Loket &lt;3&gt; &amp; co" in html and "<3>" not in html


def test_not_live_and_unreachable() -> None:
    html = page(SETTINGS, BASE, "en", TOKEN, live=False, updated="09:00")
    assert '<p id="stale" class="stale" role="alert">Not live' in html
    assert 'class="stale off"' in page(SETTINGS, BASE, "en", TOKEN, live=True, updated="09:00")
    lost = page(SETTINGS, None, "en", TOKEN, live=False, updated="09:00")
    assert "We cannot reach the queue right now." in lost


def test_the_policy_allows_exactly_the_inline_style_and_script() -> None:
    assert STYLE and SCRIPT and "'unsafe-inline'" not in CSP
    assert "default-src 'none'" in CSP and "frame-ancestors 'none'" in CSP
    html = page(SETTINGS, BASE, "en", TOKEN, live=True, updated="09:00")
    assert f"<style>{STYLE}</style>" in html and f"<script>{SCRIPT}</script>" in html
    assert " style=" not in html and "onclick" not in html
