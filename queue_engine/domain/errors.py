"""Domain errors: each says what was tried and why it is not allowed."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any


class DomainError(Exception):
    """A command the queue rules refuse. `code` is stable; `message` is for people."""

    code = "domain_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidTransition(DomainError):
    """A ticket or counter was asked to move where its life cycle does not go."""

    code = "invalid_transition"


class NotFound(DomainError):
    """A ticket, counter, service or appointment that does not exist."""

    code = "not_found"


class InvalidCommand(DomainError):
    """A command whose arguments are wrong in themselves."""

    code = "invalid_command"


class Unavailability(enum.StrEnum):
    """Why a service cannot give a ticket now."""

    CLOSED_TODAY = "closed_today"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED_NOW = "closed_now"
    AFTER_LAST_TICKET = "after_last_ticket"
    DAILY_CAP_REACHED = "daily_cap_reached"
    #: The tickets already waiting fill the time until the service closes.
    FULL_TODAY = "full_today"
    APPOINTMENTS_ONLY = "appointments_only"
    #: The front office paused walk-ins (with a message the kiosk shows).
    PAUSED = "paused"
    NUMBERS_EXHAUSTED = "numbers_exhausted"


class NotAvailable(DomainError):
    """A service that cannot give a ticket now; says why and when it can."""

    code = "not_available"

    def __init__(self, message: str, reason: Unavailability, next_available: datetime | None):
        super().__init__(
            message,
            reason=reason.value,
            next_available=next_available.isoformat() if next_available else None,
        )
        self.reason = reason
        self.next_available = next_available


class CheckInReason(enum.StrEnum):
    """Why a check-in was refused."""

    UNKNOWN_CODE = "unknown_code"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    OTHER_DAY = "other_day"
    CANCELLED = "cancelled"


class CheckInRefused(DomainError):
    """A booking code that cannot be checked in now; says why and what to do."""

    code = "check_in_refused"

    def __init__(self, message: str, reason: CheckInReason, when: datetime | None = None):
        super().__init__(message, reason=reason.value, when=when.isoformat() if when else None)
        self.reason = reason
        self.when = when
