"""In-memory stand-ins for the hub, the printer and speech, following their real APIs.

For the kiosk presenter's tests (tests/test_kiosk_*.py); the screens themselves are tried
against a real hub by tests/test_kiosk_window.py and `loket demo`. Requests are checked
against the protocol's schemas, and the replies are built through the protocol's reply
models, as a real hub's are.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kiosk.hub import HubUnavailable
from kiosk.printing import PrintOutcome
from link.protocol import messages as m
from link.protocol.replies import REPLIES, ErrorBody, ReplyMessage
from printer_drivers import PrinterStatus, TicketPrint
from siteconfig import SiteConfig


@dataclass
class FakeHub:
    """A hub that answers at once, from tables the test fills in."""

    config: SiteConfig
    clock: Any
    online: bool = True
    silent: bool = False
    """Requests get no answer (HubUnavailable), as when the hub dies mid-request."""
    unavailable: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    """service id → (reason, next_available ISO) for issue_ticket refusals."""
    bookings: dict[str, dict[str, Any]] = field(default_factory=dict)
    """booking code → check_in reply data, or {'refused': reason, 'when': ISO}."""
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    tickets: list[dict[str, Any]] = field(default_factory=list)
    leases: dict[str, list[str]] = field(default_factory=dict)
    notices: dict[str, dict[str, str]] = field(default_factory=dict)
    """service id → the office's pause message (the service shows as paused)."""
    _seq: dict[str, int] = field(default_factory=dict)
    _answers: dict[str, ReplyMessage[Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def request(
        self, verb: str, *, request_id: str | None = None, **fields: Any
    ) -> ReplyMessage[Any]:
        if not self.online or self.silent:
            raise HubUnavailable(f"{verb}: no reply")
        rid = request_id or uuid.uuid4().hex
        if verb in m.REQUESTS:
            m.REQUESTS[verb](request_id=rid, **fields)  # the real schema, or ValidationError
        with self._lock:
            self.requests.append((verb, dict(fields)))
            if rid in self._answers:
                return self._answers[rid]
            data, error = getattr(self, f"_{verb}")(**fields)
            model: Any = ReplyMessage[REPLIES[verb]]  # type: ignore[valid-type]
            body = {"data": data} if error is None else {"error": error}
            reply: ReplyMessage[Any] = model.model_validate(
                {"request_id": rid, "ok": error is None, **body}
            )
            self._answers[rid] = reply
            return reply

    def publish_status(self, **fields: Any) -> None:
        self.statuses.append(fields)

    def services_state(self) -> m.ServicesState:
        """The retained state a real hub would publish now."""
        rows = []
        for s in self.config.services:
            waiting = sum(1 for t in self.tickets if t["service_id"] == s.id)
            reason, when = self.unavailable.get(s.id, (None, None))
            if s.id in self.notices:
                reason = "paused"
            if not s.walk_in:
                reason = "appointments_only"
            rows.append(
                m.ServiceState(
                    id=s.id,
                    names={str(k): v for k, v in s.names.items()},
                    prefix=s.prefix,
                    quick=s.quick,
                    walk_in=s.walk_in,
                    waiting=waiting,
                    waiting_priority=0,
                    longest_wait_s=0,
                    expected_wait_s=waiting * 300,
                    available=reason is None,
                    reason=reason,
                    next_available=datetime.fromisoformat(when) if when else None,
                    notice=self.notices.get(s.id, {}),
                )
            )
        return m.ServicesState(at=self.clock(), services=rows)

    # --- verbs ---------------------------------------------------------------------------

    def _report_print(self, order_id: str, **_: Any) -> Any:
        return {"order_id": order_id}, None

    def _service(self, service_id: str) -> Any:
        return next(s for s in self.config.services if s.id == service_id)

    def _number(self, service_id: str) -> str:
        service = self._service(service_id)
        self._seq[service_id] = self._seq.get(service_id, 0) + 1
        return f"{service.prefix}{self._seq[service_id]:03d}"

    def _view(self, service_id: str, number: str, language: str, **extra: Any) -> dict[str, Any]:
        service = self._service(service_id)
        waiting = sum(1 for t in self.tickets if t["service_id"] == service_id)
        view = {
            "id": next(self._ids),
            "number": number,
            "service_id": service_id,
            "service_name": service.names.get(language) or next(iter(service.names.values())),
            "status": "waiting",
            "kind": "walk_in",
            "priority": "normal",
            "language": language,
            "channel": "kiosk",
            "issued_at": self.clock().isoformat(),
            "queued_since": self.clock().isoformat(),
            "scheduled_at": None,
            "position": waiting + 1,
            "expected_wait_s": waiting * 300,
            "token": uuid.uuid4().hex[:16],
        }
        view.update(extra)
        self.tickets.append(view)
        return view

    def _issue_ticket(self, service_id: str, language: str = "nl", **kw: Any) -> Any:
        if service_id in self.unavailable:
            reason, when = self.unavailable[service_id]
            details = {"reason": reason, "next_available": when}
            return None, ErrorBody(code="not_available", message=reason, details=details)
        view = self._view(
            service_id, self._number(service_id), language, priority=kw.get("priority", "normal")
        )
        return {"ticket": view}, None

    def _check_in(self, booking_code: str, language: str = "nl") -> Any:
        booking = self.bookings.get(booking_code.upper())
        if booking is None:
            booking = {"refused": "unknown_code"}
        if "refused" in booking:
            details = {"reason": booking["refused"], "when": booking.get("when")}
            error = ErrorBody(code="check_in_refused", message=booking["refused"], details=details)
            return None, error
        data = dict(booking)
        first = data["appointments"][0]
        view = self._view(
            first["services"][0],
            self._number(first["services"][0]),
            language,
            kind="appointment",
            scheduled_at=first["start"],
            position=None,
            expected_wait_s=None,
        )
        data["ticket"] = view
        return data, None

    def _add_visit_service(self, ticket_id: int, service_id: str, **_: Any) -> Any:
        view = next(t for t in self.tickets if t["id"] == ticket_id)
        view.setdefault("visit_services", []).append(service_id)
        return {"ticket": view}, None

    def _lease_numbers(self, service_id: str, count: int = 10) -> Any:
        service = self._service(service_id)
        numbers = [self._number(service_id) for _ in range(count)]
        self.leases.setdefault(service_id, []).extend(numbers)
        now = self.clock()
        return {
            "lease_id": uuid.uuid4().hex[:16],
            "service_id": service_id,
            "prefix": service.prefix,
            "day": now.date().isoformat(),
            "numbers": numbers,
            "expires_at": (now + timedelta(days=1)).isoformat(),
        }, None

    def _submit_offline_ticket(
        self, service_id: str, number: str, issued_at: str, language: str = "nl", **kw: Any
    ) -> Any:
        if number not in self.leases.get(service_id, []):
            error = ErrorBody(code="invalid_command", message=f"{number} was not leased")
            return None, error
        if any(t["number"] == number for t in self.tickets):
            error = ErrorBody(code="invalid_transition", message=f"{number} already handed in")
            return None, error
        view = self._view(service_id, number, language, issued_at=issued_at)
        return {"ticket": view}, None


@dataclass
class FakePrinter:
    """Prints into a list, or fails with a status."""

    status_now: PrinterStatus = PrinterStatus.ONLINE
    printed: list[TicketPrint] = field(default_factory=list)

    def print_ticket(self, ticket: TicketPrint) -> PrintOutcome:
        if not self.status_now.ready:
            return PrintOutcome(False, self.status_now, f"fake: {self.status_now.value}")
        self.printed.append(ticket)
        return PrintOutcome(True, self.status_now)

    def status(self) -> tuple[PrinterStatus, str]:
        return self.status_now, self.status_now.text


@dataclass
class FakeSpeaker:
    """Remembers what it was asked to say."""

    said: list[tuple[str, str]] = field(default_factory=list)

    def say(self, text: str, language: str, *, replace: bool = False) -> None:
        self.said.append((text, language))


def aware(text: str, zone: str = "Europe/Brussels") -> datetime:
    """'2026-12-03 09:00' as an aware datetime in `zone`."""
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))
