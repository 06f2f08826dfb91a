"""What goes on a ticket (`TicketPrint`), built from the hub's reply and the site config.

No personal data: the ticket shows a number, a service, times, the documents to bring and a
link with an unguessable token; never a booking code, initials or a name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from siteconfig import SiteConfig


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


def ticket_from_reply(
    reply: Mapping[str, Any], config: SiteConfig, footer: str | None = None
) -> TicketPrint:
    """The ticket to print for an IssueTicket or CheckIn reply's data."""
    view = reply.get("ticket", reply)
    zone = ZoneInfo(config.site.timezone)
    appointment = _local(view.get("scheduled_at"), zone)
    issued = _local(view.get("issued_at"), zone)
    if issued is None:
        raise ValueError(f"ticket {view.get('number')!r} in the reply has no issued_at")
    return TicketPrint(
        site_name=config.site.name,
        number=view["number"],
        service_name=view["service_name"],
        language=view.get("language") or config.site.default_language,
        issued_at=issued,
        position=None if appointment else view.get("position"),
        expected_wait_minutes=None if appointment else _minutes(view.get("expected_wait_s")),
        appointment_at=appointment,
        documents=_documents(reply.get("documents") or ()),
        qr_url=ticket_url(config.site.ticket_url_template, view.get("token")),
        footer=footer,
    )


def ticket_url(template: str | None, token: str | None) -> str | None:
    """The live-status URL for a token, or None without a template or a token."""
    if not template or not token:
        return None
    return template.replace("{token}", token)


def _local(text: str | None, zone: ZoneInfo) -> datetime | None:
    """An ISO time from the reply as the site's local time (naive times are taken as UTC)."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(zone)


def _minutes(seconds: float | None) -> int | None:
    """Whole minutes, rounded up (a visitor told 5 minutes should not wait 5½)."""
    return None if seconds is None else math.ceil(seconds / 60)


def _documents(rows: Sequence[Mapping[str, Any]]) -> tuple[DocumentList, ...]:
    """The reply's documents per service, without empty lists."""
    return tuple(
        DocumentList(row["service_name"], tuple(row["items"])) for row in rows if row.get("items")
    )
