"""Every button's words fit it, unbroken, in real windows: nl/fr/en/de, normal and large
text, landscape and portrait, on the start and services screens and the settings overlay
(screenshots of each in tests/screenshots/kiosk-text-*)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n import LANGUAGES
from loket.broker import Mosquitto
from tests.test_kiosk_window import Rig, Step, run_kiosk

SIZES = {"landscape": "1280x800", "portrait": "800x1280"}


@pytest.fixture
def rig(mosquitto: Mosquitto, tmp_path: Path) -> Iterator[Rig]:
    made = Rig(mosquitto, tmp_path)
    yield made
    made.stop()


def screens(name: str) -> list[Step]:
    """Start, services and the settings overlay, each checked and photographed."""
    return [
        {"call": "start"},
        {"until": {"screen": "start"}},
        {"check_text": True},
        {"shot": f"{name}-start"},
        {"tap": "walk_in"},
        {"until": {"screen": "services"}},
        {"check_text": True},
        {"shot": f"{name}-services"},
        {"tap": "accessibility"},
        {"until": {"overlay": "accessibility"}},
        {"check_text": True},
        {"shot": f"{name}-settings"},
        {"tap": "close"},
    ]


@pytest.mark.parametrize("orientation", SIZES)
def test_button_words_fit_in_every_language_and_text_size(
    orientation: str,
    rig: Rig,
    mosquitto: Mosquitto,
    ui_env: dict[str, str],
    screenshots: Path,
    tmp_path: Path,
) -> None:
    rig.start()
    steps: list[Step] = [{"until": {"online": True}, "timeout": 10}]
    for language in LANGUAGES:
        steps += [{"call": "home"}, {"call": "choose_language", "args": [language]}]
        steps += screens(f"{language}-default")
        steps += [{"call": "toggle_large_text"}, *screens(f"{language}-toggled")]
    options = ("--size", SIZES[orientation], "--idle-seconds", "600")
    events = run_kiosk(
        f"text-{orientation}", steps, ui_env, mosquitto, screenshots, tmp_path, *options
    )
    checks = [e for e in events if e["event"] == "text"]
    assert len(checks) == len(LANGUAGES) * 2 * 3
    assert {e["state"]["large_text"] for e in checks} == {True, False}
    assert [s for e in checks for s in e["spills"]] == []
