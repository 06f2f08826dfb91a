"""What the kiosk says, and when: a new screen's prompt replaces one not yet spoken (a real
Speaker queue, espeak-ng faked at the OS edge), the idle question with its answers, the
ticket with its number, service and wait."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from apps.speech import Speaker
from i18n import LANGUAGES
from kiosk.i18n import t
from kiosk.prompts import prompt_for
from tests.test_kiosk_presenter import Kiosk


def test_a_new_screen_replaces_a_prompt_not_yet_spoken(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    speaking, go_on = threading.Event(), threading.Event()
    said: list[str] = []

    def espeak(command: Sequence[str]) -> None:
        speaking.set()
        assert go_on.wait(10)
        said.append(command[-1])

    speaker = Speaker(runner=espeak)
    kiosk.deps.speaker = speaker
    p = kiosk.p
    p.toggle_speech()
    assert speaking.wait(10), "the welcome prompt is being said"
    welcome = prompt_for(p)
    p.start()
    start = prompt_for(p)
    p.walkin.open()
    services = prompt_for(p)
    go_on.set()
    speaker.close()
    assert said == [welcome, services]
    assert [u.text for u in speaker.dropped] == [start], "stale once the services were up"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_idle_question_is_said_with_its_answers(tmp_path: Path, language: str) -> None:
    kiosk = Kiosk(tmp_path)
    p = kiosk.p
    p.choose_language(language)
    p.toggle_speech()
    kiosk.type_code("K7")
    kiosk.wait(90)
    assert p.overlay == "idle"
    said, spoken_in = kiosk.speaker.said[-1]
    assert spoken_in == language
    for message in ("idle_title", "idle_yes", "idle_no"):
        assert t(message, language) in said, message


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ticket_is_said_with_number_service_and_wait(tmp_path: Path, language: str) -> None:
    kiosk = Kiosk(tmp_path)
    p = kiosk.p
    p.choose_language(language)
    p.toggle_speech()
    p.walkin.open()
    p.walkin.choose("afval")
    assert p.print_state == "printed" and p.ticket_lines
    said = kiosk.speaker.said[-1][0]
    assert said.startswith(t("say_ticket", language, number="M 1"))
    assert p.ticket_service in said
    assert all(line in said for line in p.ticket_lines), (said, p.ticket_lines)
