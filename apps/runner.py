"""Slow work off the UI thread: jobs run on worker threads, outcomes come back on the UI side.

    runner = ThreadRunner(on_ui)                       # the apps; InlineRunner() in tests
    runner.submit(lambda: hub.request(...), shown)     # shown(Outcome[Reply]) on the UI thread
    runner.then(printer.status, shown_status)          # shown_status(value); failures logged

An `Outcome` is the job's value (`Ok`) or the exception it raised (`Failed`), so a hub that
is away (`HubUnavailable`) reaches the presenter as a value, never as a dead thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeAlias, TypeVar

from apps.ui import Deliver

__all__ = [
    "Failed",
    "Inbox",
    "InlineRunner",
    "Ok",
    "Outcome",
    "Runner",
    "ThreadRunner",
    "outcome_of",
]

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Ok(Generic[T]):
    """A job's value."""

    value: T


@dataclass(frozen=True)
class Failed:
    """The exception a job raised."""

    error: Exception


Outcome: TypeAlias = Ok[T] | Failed


def outcome_of(job: Callable[[], T]) -> Outcome[T]:
    """Run `job` here; its value or its exception."""
    try:
        return Ok(job())
    except Exception as error:  # handed to the UI side, which decides
        return Failed(error)


class Runner(Protocol):
    """Runs jobs away from the UI and hands their outcomes back to it."""

    def submit(self, job: Callable[[], T], done: Callable[[Outcome[T]], None]) -> None:
        """Run `job`; `done(outcome)` on the UI side."""
        ...

    def then(self, job: Callable[[], T], done: Callable[[T], None]) -> None:
        """Run `job`; `done(value)` on the UI side (a failure is logged instead)."""
        ...

    def close(self) -> None:
        """Finish the job at hand, then stop."""
        ...


def _values(done: Callable[[T], None]) -> Callable[[Outcome[T]], None]:
    def unwrap(outcome: Outcome[T]) -> None:
        if isinstance(outcome, Failed):
            log.error("background job failed", exc_info=outcome.error)
        else:
            done(outcome.value)

    return unwrap


class InlineRunner:
    """Runs each job at once on the caller's thread (presenter tests)."""

    def submit(self, job: Callable[[], T], done: Callable[[Outcome[T]], None]) -> None:
        """Run `job` now, then `done(outcome)`."""
        done(outcome_of(job))

    def then(self, job: Callable[[], T], done: Callable[[T], None]) -> None:
        """Run `job` now, then `done(value)`."""
        self.submit(job, _values(done))

    def close(self) -> None:
        """Nothing to stop."""


class ThreadRunner:
    """Jobs in order on `workers` threads; each outcome goes back through `deliver`."""

    def __init__(self, deliver: Deliver, *, name: str = "ui-jobs", workers: int = 1) -> None:
        self.deliver = deliver
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._threads = [
            threading.Thread(target=self._loop, name=f"{name}-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, job: Callable[[], T], done: Callable[[Outcome[T]], None]) -> None:
        """Queue `job`; `done(outcome)` runs through `deliver` when it has finished."""

        def run() -> None:
            outcome = outcome_of(job)
            self.deliver(lambda: done(outcome))

        self._jobs.put(run)

    def then(self, job: Callable[[], T], done: Callable[[T], None]) -> None:
        """Queue `job`; `done(value)` runs through `deliver` (a failure is logged)."""
        self.submit(job, _values(done))

    def close(self, timeout: float = 5.0) -> None:
        """Stop after the jobs already queued; wait for the threads."""
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join(timeout)

    def _loop(self) -> None:
        while (run := self._jobs.get()) is not None:
            run()


class Inbox:
    """A `deliver` for code without a Kivy loop (tests, benches): queue calls, run them on
    `drain()`."""

    def __init__(self) -> None:
        self._queue: queue.Queue[Callable[[], None]] = queue.Queue()

    def __call__(self, function: Callable[[], None]) -> None:
        self._queue.put(function)

    def drain(self, timeout: float = 0.0) -> int:
        """Run what has arrived (waiting up to `timeout` for the first); how many ran."""
        ran = 0
        try:
            function = self._queue.get(timeout=timeout) if timeout else self._queue.get_nowait()
            while True:
                function()
                ran += 1
                function = self._queue.get_nowait()
        except queue.Empty:
            return ran
