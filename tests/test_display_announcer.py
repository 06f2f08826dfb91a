"""Announcements: chime then speech, queued, never cut short, real espeak-ng allowed."""

from __future__ import annotations

import threading
import time
import wave
from collections.abc import Sequence
from pathlib import Path

from display_board.announcer import Announcement, Announcer, write_chime


class Recorder:
    """A chime and a speech runner that take time and note overlaps."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.active = 0
        self.overlaps = 0
        self.lock = threading.Lock()

    def _busy(self, what: str, seconds: float) -> None:
        with self.lock:
            self.active += 1
            self.overlaps += self.active > 1
        time.sleep(seconds)
        with self.lock:
            self.events.append(what)
            self.active -= 1

    def play(self) -> None:
        self._busy("chime", 0.03)

    def speak(self, command: Sequence[str]) -> None:
        self._busy(command[-1], 0.05)


def said(number: str, text: str, recall: int = 0) -> Announcement:
    return Announcement(number=number, counter_id="loket-3", text=text, language="nl",
                        recall=recall)  # fmt: skip


def test_each_call_chimes_then_speaks_one_after_another() -> None:
    recorder = Recorder()
    announcer = Announcer(recorder, speak=recorder.speak)
    first, second = said("A001", "Ticket A-1, loket 3"), said("S004", "Ticket S-4, loket 1")
    again = said("A001", "Ticket A-1, loket 3", recall=1)
    for announcement in (first, second, again):
        announcer.announce(announcement)
    assert announcer.pending() == [first, second, again]
    announcer.close(drain=True)
    assert recorder.events == [
        "chime", "Ticket A-1, loket 3", "chime", "Ticket S-4, loket 1",
        "chime", "Ticket A-1, loket 3",
    ]  # fmt: skip
    assert recorder.overlaps == 0
    assert announcer.done == announcer.queued == [first, second, again]
    assert announcer.pending() == []


def test_closing_drops_what_is_still_queued_by_default() -> None:
    recorder = Recorder()
    announcer = Announcer(recorder, speak=recorder.speak)
    for n in range(20):
        announcer.announce(said(f"A{n:03d}", f"Ticket A-{n}, loket 3"))
    started = time.monotonic()
    announcer.close()
    assert time.monotonic() - started < 1.5 and len(announcer.done) < 20


def test_the_chime_is_a_short_two_tone_wav(tmp_path: Path) -> None:
    path = write_chime(tmp_path / "chime.wav")
    with wave.open(str(path)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
        assert (sound.getnchannels(), sound.getsampwidth()) == (1, 2)
    assert 0.5 < seconds < 1.0


def test_real_espeak_without_an_audio_device_does_not_fail() -> None:
    announcer = Announcer()  # silent chime, espeak-ng playing to no device
    announcer.announce(said("A001", "Ticket A-1, loket 3"))
    announcer.close(drain=True)
    assert len(announcer.done) == 1
