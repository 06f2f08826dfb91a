"""Offline speech through espeak-ng, queued: one utterance at a time, none cut short.

    speaker = Speaker()                    # starts its own thread
    speaker.say("Ticket A 12, loket 3", "nl")
    speaker.say("Welcome", "nl", replace=True)  # drops what is still queued (a stale prompt)
    speaker.close()                        # finishes what is queued (or `drain=False`)

A town hall's closed network has no online speech service, so this never uses one. Where
espeak-ng is missing, `say` logs once and does nothing: the screen still shows everything.
"""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

log = logging.getLogger(__name__)

#: espeak-ng voices for Loket's languages.
VOICES = {"nl": "nl", "fr": "fr-be", "en": "en-gb", "de": "de"}


@dataclass(frozen=True)
class Utterance:
    """One thing to say, in one language."""

    text: str
    language: str


def espeak_command(
    utterance: Utterance, *, rate: int = 150, to_file: str | None = None
) -> list[str]:
    """The espeak-ng command line for an utterance (slower than default: easier to follow)."""
    voice = VOICES.get(utterance.language, "nl")
    command = ["espeak-ng", "-v", voice, "-s", str(rate)]
    if to_file is not None:
        command += ["-w", to_file]
    return [*command, "--", utterance.text]


Runner = Callable[[Sequence[str]], None]


def _run(command: Sequence[str]) -> None:
    subprocess.run(command, check=False, timeout=30, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # fmt: skip


class Speaker:
    """Says utterances one after another on a thread of its own."""

    def __init__(self, *, rate: int = 150, runner: Runner | None = None) -> None:
        self.rate = rate
        self._runner = runner or _run
        self._available = runner is not None or shutil.which("espeak-ng") is not None
        self._queue: queue.Queue[Utterance | None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="speech", daemon=True)
        self._thread.start()
        self.spoken: list[Utterance] = []
        self.dropped: list[Utterance] = []
        if not self._available:
            log.warning("espeak-ng is not installed: no spoken announcements")

    def say(self, text: str, language: str, *, replace: bool = False) -> None:
        """Queue `text`; it is spoken after everything queued before it, or, with `replace`,
        right after the utterance being spoken (what was queued is dropped: a screen's
        prompt is stale once the next screen is up)."""
        if replace:
            self._drop_queued()
        self._queue.put(Utterance(text, language))

    def _drop_queued(self) -> None:
        while True:
            try:
                utterance = self._queue.get_nowait()
            except queue.Empty:
                return
            if utterance is None:  # closing: keep the end mark
                self._queue.put(None)
                return
            self.dropped.append(utterance)

    def pending(self) -> int:
        """How many utterances wait their turn."""
        return self._queue.qsize()

    def close(self, drain: bool = True, timeout: float = 30.0) -> None:
        """Stop the thread, after saying what is queued unless `drain` is False."""
        if not drain:
            while not self._queue.empty():
                self._queue.get_nowait()
        self._queue.put(None)
        self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            utterance = self._queue.get()
            if utterance is None:
                return
            if self._available:
                try:
                    self._runner(espeak_command(utterance, rate=self.rate))
                except (OSError, subprocess.SubprocessError) as error:
                    log.warning("speech failed: %s", error)
            self.spoken.append(utterance)
