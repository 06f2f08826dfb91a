"""The engine: executes commands one at a time against the store, exactly once each.

    engine = Engine(site, store)
    reply = engine.execute(IssueTicket(request_id="k1-42", actor="kiosk-1", service_id="id"), now)

Each command runs inside one store transaction together with its events and its reply,
so a retried request id gets the first reply back and changes nothing, and a crash at any
moment leaves either all of a command or none of it.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from link.protocol.replies import Detail, ErrorBody, ReplyData
from queue_engine.domain.commands import Command
from queue_engine.domain.errors import DomainError, InvalidCommand
from queue_engine.domain.events import Event
from queue_engine.domain.model import Site, utc
from queue_engine.ports import Change, PurgeReport, RequestRecord, Store, Transaction
from queue_engine.service.handlers import HANDLERS, REPLY_DATA
from queue_engine.service.state import QueueState
from queue_engine.service.work import Work

log = logging.getLogger(__name__)
D = TypeVar("D", bound=ReplyData)
T = TypeVar("T", bound=ReplyData)


@dataclass(frozen=True)
class Reply(Generic[D]):
    """The answer to one command: typed data when it worked, an error when not."""

    request_id: str
    ok: bool
    data: D | None = None
    error: ErrorBody | None = None
    #: True when this is the stored first answer to a request id seen before.
    replayed: bool = field(default=False, compare=False)
    #: The JSON as first stored, so a replay sends exactly the same bytes.
    stored: str | None = field(default=None, compare=False, repr=False)

    @property
    def error_code(self) -> str | None:
        """The stable error code, if the command was refused."""
        return self.error.code if self.error else None

    @functools.cached_property
    def json(self) -> str:
        """The reply as stored and sent (the `reply` message of the MQTT contract)."""
        if self.stored is not None:
            return self.stored
        data = self.data.model_dump(mode="json") if self.data is not None else None
        error = self.error.model_dump(mode="json") if self.error is not None else None
        body = {"v": 1, "request_id": self.request_id, "ok": self.ok, "data": data}
        body["error"] = error
        return json.dumps(body, separators=(",", ":"))

    def to_json(self) -> str:
        """The reply as stored and sent."""
        return self.json

    def of(self, model: type[T]) -> T | None:
        """The data if the command worked and its reply is a `model`, else None."""
        return self.data if isinstance(self.data, model) else None

    @classmethod
    def from_json(cls, text: str, model: type[ReplyData] | None = None) -> Reply[Any]:
        """A stored reply (also one an older hub stored), its data read as `model`.

        A client that reused a request id for another command gets the first command's
        reply back: its data is then read as whichever reply model fits it."""
        raw = json.loads(text)
        data = raw.get("data") if raw["ok"] else None
        error = raw.get("error")
        return Reply(
            raw["request_id"],
            raw["ok"],
            _read_data(data, model) if data is not None else None,
            ErrorBody.model_validate(error) if error else None,
            stored=text,
        )

    @classmethod
    def refused(cls, request_id: str, error: DomainError) -> Reply[Any]:
        """The reply to a command the rules refuse."""
        details = {k: _detail(v) for k, v in error.details.items()}
        body = ErrorBody(code=error.code, message=error.message, details=details)
        return cls(request_id, False, None, body)


def _read_data(data: Any, model: type[ReplyData] | None) -> ReplyData | None:
    """Stored reply data as its model (or the first reply model that fits it)."""
    candidates = [model] if model is not None else []
    candidates += [other for other in dict.fromkeys(REPLY_DATA.values()) if other is not model]
    for candidate in candidates:
        try:
            return candidate.model_validate(data)
        except ValidationError:
            continue
    log.warning("a stored reply fits no reply model; it is sent as stored")
    return None


def _detail(value: Any) -> Detail:
    """An error detail as the contract carries it: a scalar (anything else as text)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return value.isoformat() if isinstance(value, datetime) else str(value)


class Engine:
    """A site's queue. Thread-safe: commands are serialised by a lock.

    `on_events`, if set, gets the events of each committed group commit, in order, right
    after the commit (still under the lock, so calls never overtake each other).
    """

    def __init__(
        self,
        site: Site,
        store: Store,
        on_events: Callable[[Sequence[Event]], None] | None = None,
    ) -> None:
        self.site = site
        self.store = store
        self.on_events = on_events
        self._lock = threading.Lock()
        self._state: QueueState | None = None
        self._last_now: datetime | None = None

    @property
    def state(self) -> QueueState:
        """The in-memory state, as of the last command (loaded from the store if needed)."""
        if self._state is None:
            if self._last_now is None:
                raise RuntimeError("the engine has not loaded its state yet; call refresh(now)")
            return self.refresh(self._last_now)
        return self._state

    def refresh(self, now: datetime) -> QueueState:
        """Load the state for the local day at `now` (also done by every command as needed)."""
        with self._lock, self.store.transaction() as tx:
            return self._load(tx, utc(now))

    def _load(self, tx: Transaction, now: datetime) -> QueueState:
        day = self.site.local_day(now)
        start = self.site.at_local(day, datetime.min.time())
        end = self.site.at_local(day + timedelta(days=1), datetime.min.time())
        self._last_now = now
        snapshot = tx.load(day, start, end)
        self._state = QueueState(self.site, snapshot, day, self.store.events(start, end))
        return self._state

    def execute(self, command: Command, now: datetime) -> Reply[Any]:
        """Apply `command` at `now`, once; a repeated request id returns the first reply."""
        return self.execute_many([command], now)[0]

    def execute_many(self, commands: Sequence[Command], now: datetime) -> list[Reply[Any]]:
        """Apply commands in order, in one transaction (a group commit), one reply each.

        Each command sees the ones before it. Nothing is acknowledged before the commit:
        if it fails, the exception propagates, no reply is valid, and the engine reloads
        its state from the store before the next command.
        """
        now = utc(now)
        events: list[Event] = []
        with self._lock:
            self._last_now = now
            try:
                with self.store.transaction() as tx:
                    state = self._state
                    if tx.stale or state is None or state.day != self.site.local_day(now):
                        state = self._load(tx, now)
                    replies = self._apply_all(tx, state, commands, now, events)
            except BaseException:
                self._state = None
                raise
            self._committed(events)
            return replies

    def _committed(self, events: list[Event]) -> None:
        if not events or self.on_events is None:
            return
        try:
            self.on_events(events)
        except Exception:  # the commit stands; a listener must not turn it into a failure
            log.exception("a listener of committed events failed")

    def _apply_all(
        self,
        tx: Transaction,
        state: QueueState,
        commands: Sequence[Command],
        now: datetime,
        events: list[Event],
    ) -> list[Reply[Any]]:
        replies: list[Reply[Any]] = []
        seen: dict[tuple[str, str], Reply[Any]] = {}
        for command in commands:
            key = (command.actor, command.request_id)
            stored = tx.reply_for(*key)
            if key in seen or stored is not None:
                model = REPLY_DATA.get(type(command))
                first = seen[key] if key in seen else Reply.from_json(stored or "", model)
                replies.append(replace(first, replayed=True, stored=first.json))
                continue
            work = Work(state, tx, now)
            reply = self._run(HANDLERS.get(type(command)), work, command)
            change = work.change if reply.ok else Change()
            tx.write(change, self._record(command, now, reply))
            state.apply(change)
            events.extend(change.events)
            seen[key] = reply
            replies.append(reply)
        return replies

    def _run(self, handler: Any, work: Work, command: Command) -> Reply[Any]:
        if not command.request_id:
            return Reply.refused("", InvalidCommand("the command has no request id"))
        if handler is None:
            error = InvalidCommand(f"unknown command {type(command).__name__}")
            return Reply.refused(command.request_id, error)
        try:
            data = handler(work, command)
        except DomainError as error:
            log.debug("refused %s %s: %s", command.verb, command.request_id, error.message)
            return Reply.refused(command.request_id, error)
        return Reply(command.request_id, True, data)

    @staticmethod
    def _record(command: Command, now: datetime, reply: Reply[Any]) -> RequestRecord | None:
        if not command.recorded:
            return None
        return RequestRecord(command.actor, command.request_id, command.verb, now, reply.to_json())

    def apply_retention(self, now: datetime) -> PurgeReport:
        """Purge personal data older than the site's retention period."""
        before = utc(now) - timedelta(days=self.site.policy.retention_days)
        with self._lock:
            self._state = None  # memory may hold what was purged: reload it
            self._last_now = utc(now)
            return self.store.purge_personal_data(before)
