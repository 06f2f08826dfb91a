"""Offline speech: queued, never cut short, real espeak-ng in every language."""

from __future__ import annotations

import subprocess
import threading
import time
import wave
from collections.abc import Sequence
from pathlib import Path

import pytest

from apps.speech import Speaker, Utterance, espeak_command


def test_utterances_are_spoken_one_after_another_in_order() -> None:
    active = 0
    overlaps = 0
    lock = threading.Lock()
    said: list[str] = []

    def slow(command: Sequence[str]) -> None:
        nonlocal active, overlaps
        with lock:
            active += 1
            overlaps += active > 1
        time.sleep(0.05)
        said.append(command[-1])
        with lock:
            active -= 1

    speaker = Speaker(runner=slow)
    speaker.say("Ticket A 12, loket 3", "nl")
    speaker.say("Ticket B 4, guichet 2", "fr")
    speaker.close()
    assert said == ["Ticket A 12, loket 3", "Ticket B 4, guichet 2"] and overlaps == 0


@pytest.mark.parametrize("language", ["nl", "fr", "en", "de"])
def test_espeak_ng_speaks_each_language_offline(language: str, tmp_path: Path) -> None:
    out = tmp_path / f"{language}.wav"
    command = espeak_command(Utterance("A 12, 3", language), to_file=str(out))
    subprocess.run(command, check=True, timeout=30)
    with wave.open(str(out)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    assert 0.5 < seconds < 5


def test_replace_drops_what_is_queued_but_not_what_is_being_said() -> None:
    speaking, go_on = threading.Event(), threading.Event()
    said: list[str] = []

    def held(command: Sequence[str]) -> None:
        speaking.set()
        assert go_on.wait(10)
        said.append(command[-1])

    speaker = Speaker(runner=held)
    speaker.say("Welkom", "nl")
    assert speaking.wait(10)
    speaker.say("Heeft u een afspraak?", "nl")
    speaker.say("Kies een dienst", "nl")
    speaker.say("Wilt u meer tijd?", "nl", replace=True)
    go_on.set()
    speaker.close()
    assert said == ["Welkom", "Wilt u meer tijd?"]
    assert [u.text for u in speaker.dropped] == ["Heeft u een afspraak?", "Kies een dienst"]
