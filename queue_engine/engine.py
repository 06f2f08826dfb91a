"""The engine: executes commands one at a time against the store, exactly once each.

    engine = Engine(site, store)
    reply = engine.execute(IssueTicket(request_id="k1-42", actor="kiosk-1", service_id="id"), now)

Each command runs inside one store transaction together with its events and its reply,
so a retried request id gets the first reply back and changes nothing, and a crash at any
moment leaves either all of a command or none of it.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from queue_engine.domain.commands import Command, Tick
from queue_engine.domain.errors import DomainError, InvalidCommand
from queue_engine.domain.model import Site, utc
from queue_engine.handlers import HANDLERS
from queue_engine.ports import PurgeReport, RequestRecord, Store, Transaction
from queue_engine.state import QueueState
from queue_engine.work import Work

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    """The answer to one command: data when it worked, an error code and message when not."""

    request_id: str
    ok: bool
    data: dict[str, Any] = field(default_factory=dict)
    error: dict[str, Any] | None = None
    #: True when this is the stored first answer to a request id seen before.
    replayed: bool = field(default=False, compare=False)

    @property
    def error_code(self) -> str | None:
        """The stable error code, if the command was refused."""
        return self.error["code"] if self.error else None

    def to_json(self) -> str:
        """The reply as stored and sent."""
        return json.dumps(
            {"request_id": self.request_id, "ok": self.ok, "data": self.data, "error": self.error},
            separators=(",", ":"),
            default=str,
        )

    @classmethod
    def from_json(cls, text: str) -> Reply:
        """A stored reply."""
        raw = json.loads(text)
        return cls(raw["request_id"], raw["ok"], raw.get("data") or {}, raw.get("error"))

    @classmethod
    def refused(cls, request_id: str, error: DomainError) -> Reply:
        """The reply to a command the rules refuse."""
        body = {"code": error.code, "message": error.message, "details": error.details}
        return cls(request_id, False, {}, body)


class Engine:
    """A site's queue. Thread-safe: commands are serialised by a lock."""

    def __init__(self, site: Site, store: Store) -> None:
        self.site = site
        self.store = store
        self._lock = threading.Lock()
        self._state: QueueState | None = None

    @property
    def state(self) -> QueueState:
        """The in-memory state (load it with `refresh` or any command first)."""
        if self._state is None:
            raise RuntimeError("the engine has not loaded its state yet; call refresh(now)")
        return self._state

    def refresh(self, now: datetime) -> QueueState:
        """Load the state for the local day at `now` (also done by every command as needed)."""
        with self._lock, self.store.transaction() as tx:
            return self._load(tx, utc(now))

    def _load(self, tx: Transaction, now: datetime) -> QueueState:
        day = self.site.local_day(now)
        start = self.site.at_local(day, datetime.min.time())
        end = self.site.at_local(day + timedelta(days=1), datetime.min.time())
        self._state = QueueState(self.site, tx.load(day, start, end), day)
        return self._state

    def execute(self, command: Command, now: datetime) -> Reply:
        """Apply `command` at `now`, once; a repeated request id returns the first reply."""
        now = utc(now)
        handler = HANDLERS.get(type(command))
        with self._lock:
            with self.store.transaction() as tx:
                state = self._state
                if tx.stale or state is None or state.day != self.site.local_day(now):
                    state = self._load(tx, now)
                stored = tx.reply_for(command.actor, command.request_id)
                if stored is not None:
                    return replace(Reply.from_json(stored), replayed=True)
                work = Work(state, tx, now)
                reply = self._run(handler, work, command)
                if reply.ok:
                    tx.write(work.change, self._record(command, now, reply))
                else:
                    tx.write(type(work.change)(), self._record(command, now, reply))
            if reply.ok:
                state.apply(work.change)
        return reply

    def _run(self, handler: Any, work: Work, command: Command) -> Reply:
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
    def _record(command: Command, now: datetime, reply: Reply) -> RequestRecord | None:
        if isinstance(command, Tick):
            return None
        return RequestRecord(command.actor, command.request_id, command.verb, now, reply.to_json())

    def apply_retention(self, now: datetime) -> PurgeReport:
        """Purge personal data older than the site's retention period."""
        before = utc(now) - timedelta(days=self.site.policy.retention_days)
        with self._lock:
            return self.store.purge_personal_data(before)
