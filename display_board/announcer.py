"""Announcements: a chime, then the call spoken in the ticket's language, one at a time.

Two calls in the same second are both announced, one after the other; nothing is ever cut
short. The chime and the speech run on the Speaker's single thread, in the order queued.
"""

from __future__ import annotations

import logging
import math
import shutil
import struct
import subprocess
import threading
import time
import wave
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from apps.speech import Speaker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Announcement:
    """One call to announce: what the board says, and for which call."""

    number: str
    counter_id: str
    text: str
    language: str
    recall: int = 0


class Chime(Protocol):
    """Plays the chime and returns when it has finished."""

    def play(self) -> None:
        """Play it to the end."""


class SilentChime:
    """No chime (no audio device, or muted)."""

    def play(self) -> None:
        """Nothing to play."""


def write_chime(path: Path, rate: int = 22050) -> Path:
    """A two-tone chime (G5 then E5, 0.35 s each, fading out) as a 16-bit mono WAV."""
    frames = bytearray()
    for frequency in (784.0, 659.3):
        count = int(rate * 0.35)
        for i in range(count):
            fade = 1.0 - i / count
            sample = 0.45 * fade * math.sin(2 * math.pi * frequency * i / rate)
            frames += struct.pack("<h", int(sample * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


class SoundChime:
    """The chime through Kivy's audio (SDL2); load it on the main thread."""

    def __init__(self, path: Path) -> None:
        from kivy.core.audio import SoundLoader

        self._sound: Any = SoundLoader.load(str(path))
        with wave.open(str(path)) as sound:
            self.seconds = sound.getnframes() / sound.getframerate()
        if self._sound is None:
            log.warning("no audio output for the chime; announcements are spoken only")

    def play(self) -> None:
        """Start the sound and wait for its length (SDL mixes it on its own thread)."""
        if self._sound is not None:
            self._sound.play()
            time.sleep(self.seconds + 0.1)


def _speak(command: Sequence[str]) -> None:
    subprocess.run(command, check=False, timeout=30, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # fmt: skip


class Announcer:
    """Queues announcements; each one: the chime, then the spoken text, never overlapping."""

    def __init__(
        self,
        chime: Chime | None = None,
        *,
        speak: Any = None,
        rate: int = 150,
    ) -> None:
        self.chime = chime or SilentChime()
        if speak is None and shutil.which("espeak-ng") is None:
            log.warning("espeak-ng is not installed: calls are shown and chimed, not spoken")
            speak = _silent
        self._speak = speak or _speak
        self._lock = threading.Lock()
        self._pending: deque[Announcement] = deque()
        #: Every announcement in the order it was queued, and those finished.
        self.queued: list[Announcement] = []
        self.done: list[Announcement] = []
        self._speaker = Speaker(rate=rate, runner=self._run)

    def announce(self, announcement: Announcement) -> None:
        """Queue it after everything queued before."""
        with self._lock:
            self._pending.append(announcement)
            self.queued.append(announcement)
            self._speaker.say(announcement.text, announcement.language)

    def pending(self) -> list[Announcement]:
        """The announcements not finished yet, in order (the first may be playing)."""
        with self._lock:
            return list(self._pending)

    def close(self, drain: bool = False, timeout: float = 5.0) -> None:
        """Stop; by default drop what is still queued (the app is closing)."""
        self._speaker.close(drain=drain, timeout=timeout)

    def _run(self, command: Sequence[str]) -> None:
        with self._lock:
            announcement = self._pending[0] if self._pending else None
        try:
            self.chime.play()
            self._speak(command)
        except (OSError, subprocess.SubprocessError) as error:
            log.warning("announcement failed: %s", error)
        finally:
            with self._lock:
                if self._pending:
                    self._pending.popleft()
                if announcement is not None:
                    self.done.append(announcement)


def _silent(command: Sequence[str]) -> None:
    """Speech is not available."""
