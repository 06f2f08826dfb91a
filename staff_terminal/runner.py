"""Commands leave the UI thread through the apps' runner, one at a time; the reply (or the
hub's absence) comes back to the presenter."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from apps.runner import Failed, InlineRunner, Runner
from apps.runner import Outcome as JobOutcome
from link.client import HubUnavailable
from link.protocol.replies import ReplyMessage

log = logging.getLogger(__name__)

Outcome = ReplyMessage[Any] | HubUnavailable
Done = Callable[[Outcome], None]


class Requester(Protocol):
    """What sends commands: the LoketClient (or a fake in tests)."""

    def request(self, verb: str, *, request_id: str | None = None, **fields: Any) -> Any:
        """Send and wait for the reply; raises HubUnavailable when none comes."""


class Commands:
    """Sends the presenter's commands on `runner` (a ThreadRunner; inline in tests)."""

    def __init__(self, requester: Requester, runner: Runner | None = None) -> None:
        self.requester = requester
        self.runner: Runner = runner or InlineRunner()

    def submit(self, verb: str, request_id: str, fields: dict[str, Any], done: Done) -> None:
        """Send `verb`; `done(reply or HubUnavailable)` on the UI side."""

        def send() -> ReplyMessage[Any]:
            reply: ReplyMessage[Any] = self.requester.request(verb, request_id=request_id, **fields)
            return reply

        def answered(outcome: JobOutcome[ReplyMessage[Any]]) -> None:
            if not isinstance(outcome, Failed):
                done(outcome.value)
            elif isinstance(outcome.error, HubUnavailable):
                done(outcome.error)
            else:  # not sent as far as the presenter can tell: it offers a retry
                log.error("sending %s failed", verb, exc_info=outcome.error)
                done(HubUnavailable(f"{verb}: {outcome.error}"))

        self.runner.submit(send, answered)

    def close(self) -> None:
        """Stop after the command being sent."""
        self.runner.close()
