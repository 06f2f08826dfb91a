"""Commands leave the UI thread: one at a time on a worker, the outcome handed back."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol

from link.client import HubUnavailable
from link.protocol.replies import ReplyMessage

Deliver = Callable[[Callable[[], None]], None]
Outcome = ReplyMessage[Any] | HubUnavailable
Done = Callable[[Outcome], None]


class Requester(Protocol):
    """What sends commands: the LoketClient (or a fake in tests)."""

    def request(self, verb: str, *, request_id: str | None = None, **fields: Any) -> Any:
        """Send and wait for the reply; raises HubUnavailable when none comes."""


def _outcome(requester: Requester, verb: str, request_id: str, fields: dict[str, Any]) -> Outcome:
    try:
        reply: ReplyMessage[Any] = requester.request(verb, request_id=request_id, **fields)
    except HubUnavailable as gone:
        return gone
    return reply


class InlineRunner:
    """Sends on the caller's thread (tests)."""

    def __init__(self, requester: Requester) -> None:
        self.requester = requester

    def submit(self, verb: str, request_id: str, fields: dict[str, Any], done: Done) -> None:
        """Send now and call `done` with the outcome."""
        done(_outcome(self.requester, verb, request_id, fields))

    def close(self) -> None:
        """Nothing to stop."""


class ThreadRunner:
    """Sends on a worker thread and delivers each outcome through `deliver`."""

    def __init__(self, requester: Requester, deliver: Deliver) -> None:
        self.requester = requester
        self.deliver = deliver
        self._jobs: queue.Queue[tuple[str, str, dict[str, Any], Done] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="staff-commands", daemon=True)
        self._thread.start()

    def submit(self, verb: str, request_id: str, fields: dict[str, Any], done: Done) -> None:
        """Queue a command; `done(outcome)` runs through `deliver` when it is answered."""
        self._jobs.put((verb, request_id, fields, done))

    def close(self, timeout: float = 5.0) -> None:
        """Stop after the command being sent."""
        self._jobs.put(None)
        self._thread.join(timeout)

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            verb, request_id, fields, done = job
            outcome = _outcome(self.requester, verb, request_id, fields)
            self.deliver(lambda done=done, outcome=outcome: done(outcome))  # type: ignore[misc]
