"""The kiosk's own durable record: leased numbers, and tickets issued while offline.

One small JSON file in the kiosk's data folder, rewritten atomically (write, fsync, rename)
on every change. An offline ticket is written here *before* it is printed, with the request
id it will be handed in with, so a crash or a power cut between printing and handing in
never loses it, and handing it in twice never counts it twice (the hub replays its first
answer to a repeated request id).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from link.protocol.replies import LeaseResult, TicketView

log = logging.getLogger(__name__)

FORMAT = 1


@dataclass
class Lease:
    """Numbers the hub reserved for this kiosk, for one service, on one local day."""

    service_id: str
    prefix: str
    day: str
    """Local date, ISO."""
    numbers: list[str]
    expires_at: str | None = None


@dataclass
class OfflineTicket:
    """A ticket issued from a lease, waiting to be handed in (or handed in)."""

    request_id: str
    service_id: str
    number: str
    issued_at: str
    """ISO with offset: the moment the visitor took it."""
    language: str
    priority: str = "normal"
    handed_in: bool = False
    refused: str | None = None
    """Why the hub would not take it (kept for staff; it is not retried)."""
    ticket: dict[str, Any] | None = None
    """The hub's view of the ticket once handed in (a TicketView, as JSON)."""


@dataclass
class _State:
    leases: dict[str, Lease] = field(default_factory=dict)
    tickets: list[OfflineTicket] = field(default_factory=list)


class OfflineStore:
    """Leases and offline tickets in one JSON file; safe to use from several threads."""

    #: Handed-in tickets kept for the record, newest last.
    KEEP_DONE = 200

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._state = self._load()

    # --- leases -------------------------------------------------------------------------

    def add_lease(self, data: LeaseResult) -> Lease:
        """Take in a `lease_numbers` reply's data; numbers of another day are dropped."""
        with self._lock:
            service_id, day = data.service_id, data.day.isoformat()
            old = self._state.leases.get(service_id)
            numbers = list(data.numbers)
            if old is not None and old.day == day:
                numbers = old.numbers + [n for n in numbers if n not in old.numbers]
            lease = Lease(
                service_id=service_id,
                prefix=data.prefix,
                day=day,
                numbers=numbers,
                expires_at=data.expires_at.isoformat(),
            )
            self._state.leases[service_id] = lease
            self._save()
            return lease

    def numbers_left(self, service_id: str, day: date) -> int:
        """How many leased numbers of `day` remain for a service."""
        with self._lock:
            lease = self._state.leases.get(service_id)
            return len(lease.numbers) if lease is not None and lease.day == day.isoformat() else 0

    def drop_other_days(self, day: date) -> None:
        """Forget leases of other days (their numbers are no longer valid)."""
        with self._lock:
            stale = [sid for sid, x in self._state.leases.items() if x.day != day.isoformat()]
            for sid in stale:
                del self._state.leases[sid]
            if stale:
                self._save()

    # --- offline tickets ----------------------------------------------------------------

    def issue(
        self, service_id: str, now: datetime, language: str, priority: str = "normal"
    ) -> OfflineTicket | None:
        """Take the next leased number of today and record the ticket; None if none is left.

        `now` must be timezone-aware and in the site's zone (its date is the local day).
        """
        with self._lock:
            lease = self._state.leases.get(service_id)
            if lease is None or lease.day != now.date().isoformat() or not lease.numbers:
                return None
            number = lease.numbers.pop(0)
            ticket = OfflineTicket(
                request_id=f"offline-{uuid.uuid4().hex}",
                service_id=service_id,
                number=number,
                issued_at=now.isoformat(),
                language=language,
                priority=priority,
            )
            self._state.tickets.append(ticket)
            self._save()
            return ticket

    def pending(self) -> list[OfflineTicket]:
        """Tickets still to hand in, oldest first."""
        with self._lock:
            return [
                OfflineTicket(**asdict(x))
                for x in self._state.tickets
                if not x.handed_in and x.refused is None
            ]

    def handed_in(self, request_id: str, ticket: TicketView | None) -> None:
        """The hub took the ticket."""
        view = ticket.model_dump(mode="json") if ticket is not None else {}
        self._finish(request_id, handed_in=True, ticket=view)

    def refused(self, request_id: str, reason: str) -> None:
        """The hub will never take the ticket (kept, and reported to staff)."""
        self._finish(request_id, refused=reason)

    def all_tickets(self) -> list[OfflineTicket]:
        """Every offline ticket on record, oldest first."""
        with self._lock:
            return [OfflineTicket(**asdict(x)) for x in self._state.tickets]

    def _finish(self, request_id: str, **changes: Any) -> None:
        with self._lock:
            for ticket in self._state.tickets:
                if ticket.request_id == request_id:
                    for key, value in changes.items():
                        setattr(ticket, key, value)
            done = [x for x in self._state.tickets if x.handed_in or x.refused is not None]
            if len(done) > self.KEEP_DONE:
                drop = {id(x) for x in done[: len(done) - self.KEEP_DONE]}
                self._state.tickets = [x for x in self._state.tickets if id(x) not in drop]
            self._save()

    # --- the file -----------------------------------------------------------------------

    def _load(self) -> _State:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return _State()
        except (OSError, ValueError) as error:
            # Keep the unreadable file for a person to look at; never crash the kiosk.
            broken = self.path.with_suffix(".broken")
            log.error("offline store %s unreadable (%s); kept as %s", self.path, error, broken)
            os.replace(self.path, broken)
            return _State()
        return _State(
            leases={sid: Lease(**x) for sid, x in raw.get("leases", {}).items()},
            tickets=[OfflineTicket(**x) for x in raw.get("tickets", [])],
        )

    def _save(self) -> None:
        payload = {
            "format": FORMAT,
            "leases": {sid: asdict(x) for sid, x in self._state.leases.items()},
            "tickets": [asdict(x) for x in self._state.tickets],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)
        _fsync_dir(self.path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
