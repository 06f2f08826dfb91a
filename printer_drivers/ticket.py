"""What goes on a ticket (`TicketPrint`): the printer's own type, which the kiosk fills in.

No personal data: the ticket shows a number, a service, times, the documents to bring and a
link with an unguessable token; never a booking code, initials or a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DocumentList:
    """The documents to bring for one service."""

    service_name: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class TicketPrint:
    """The layout's input: everything a ticket shows, already in the ticket's language."""

    site_name: str
    number: str
    service_name: str
    language: str
    issued_at: datetime
    """Local wall-clock time at the site."""
    position: int | None = None
    expected_wait_minutes: int | None = None
    appointment_at: datetime | None = None
    """Local time of the (first) appointment; None for walk-ins."""
    documents: tuple[DocumentList, ...] = ()
    qr_url: str | None = None
    """The ticket's live-status page; None prints no QR code."""
    footer: str | None = None
    """None prints the standard thank-you line; '' prints none."""
    where: str | None = None
    """Where to go or wait ('first floor, room B.12, on the left'); None prints nothing."""


def ticket_url(template: str | None, token: str | None) -> str | None:
    """The live-status URL for a token, or None without a template or a token."""
    if not template or not token:
        return None
    return template.replace("{token}", token)
