"""Printing tickets at the kiosk, and what to show when the printer fails.

Runs print jobs through `printer_drivers` (never raises, bounded in time; call it off the UI
thread). A failed job leaves a preview image of the ticket for the screen.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from i18n import Place
from link.protocol.replies import Documents, TicketView
from printer_drivers import (
    DocumentList,
    PrinterModel,
    PrinterStatus,
    TicketPrint,
    print_ticket,
    printer_status,
    save_preview,
    ticket_url,
)
from siteconfig import SiteConfig

log = logging.getLogger(__name__)
DEFAULT_PROFILE = "TM-T20II"


@dataclass(frozen=True)
class PrintOutcome:
    """How printing one ticket went."""

    ok: bool
    status: PrinterStatus
    reason: str | None = None
    preview: str | None = None
    """A PNG of the ticket, when it could not be printed."""


class PrinterPort(Protocol):
    """What the presenter needs from the printer."""

    def print_ticket(self, ticket: TicketPrint) -> PrintOutcome:
        """Print; never raises."""
        ...

    def status(self) -> tuple[PrinterStatus, str]:
        """The printer's status and a detail for staff."""
        ...


class TicketPrinter:
    """The kiosk's receipt printer, from the site file's device entry (or an override)."""

    def __init__(
        self,
        address: str | None,
        profile: str | None,
        preview_dir: str | Path,
        *,
        timeout: float = 8.0,
    ) -> None:
        self.address = address
        self.model = PrinterModel.from_profile(profile or DEFAULT_PROFILE)
        self.preview_dir = Path(preview_dir)
        self.timeout = timeout

    def print_ticket(self, ticket: TicketPrint) -> PrintOutcome:
        """Print the ticket; on failure, save a preview to show on screen instead."""
        if self.address is None:
            return self._failed(ticket, PrinterStatus.OFFLINE, "this kiosk has no printer")
        result = print_ticket(self.address, ticket, self.model, timeout=self.timeout)
        if result.ok:
            return PrintOutcome(True, result.status)
        log.warning("ticket %s not printed: %s", ticket.number, result.reason)
        return self._failed(ticket, result.status, result.reason)

    def status(self) -> tuple[PrinterStatus, str]:
        """Ask the printer how it is."""
        if self.address is None:
            return PrinterStatus.OFFLINE, "this kiosk has no printer"
        report = printer_status(self.address, timeout=3.0)
        return report.status, report.detail

    def _failed(
        self, ticket: TicketPrint, status: PrinterStatus, reason: str | None
    ) -> PrintOutcome:
        preview = None
        try:
            self.preview_dir.mkdir(parents=True, exist_ok=True)
            path = self.preview_dir / f"ticket-{ticket.number}.png"
            preview = str(save_preview(ticket, self.model, path))
        except (OSError, ValueError) as error:
            log.warning("no preview of ticket %s: %s", ticket.number, error)
        return PrintOutcome(False, status, reason, preview)


def ticket_for_reply(
    view: TicketView,
    documents: Sequence[Documents],
    config: SiteConfig,
    footer: str | None = None,
) -> TicketPrint:
    """What to print for the ticket of an issue_ticket, check_in or submit_offline_ticket
    reply, with the documents to bring (check-in)."""
    zone = ZoneInfo(config.site.timezone)
    appointment = view.scheduled_at.astimezone(zone) if view.scheduled_at else None
    wait = view.expected_wait_s
    return TicketPrint(
        site_name=config.site.name,
        number=view.number,
        service_name=view.service_name,
        language=view.language or config.site.default_language,
        issued_at=view.issued_at.astimezone(zone),
        position=None if appointment else view.position,
        expected_wait_minutes=None if appointment or wait is None else math.ceil(wait / 60),
        appointment_at=appointment,
        documents=tuple(DocumentList(d.service_name, tuple(d.items)) for d in documents if d.items),
        qr_url=ticket_url(config.site.ticket_url_template, view.token),
        footer=footer,
        where=where_to_go(config, view, view.language or config.site.default_language),
    )


def where_to_go(config: SiteConfig, view: TicketView, language: str) -> str | None:
    """Where the ticket's counter is, or where all counters serving its service are (their
    common floor at least); None when the site file does not say or they differ."""
    counters = [c for c in config.counters if c.id == view.target_counter_id] or [
        c for c in config.counters if any(ref.service == view.service_id for ref in c.services)
    ]
    places = [
        Place(c.floor, c.room, {str(k): v for k, v in (c.directions or {}).items()})
        for c in counters
    ]
    texts = {place.text(language) for place in places}
    if len(texts) == 1:
        return texts.pop() or None
    floors = {place.floor for place in places}
    if len(floors) == 1 and None not in floors:
        return Place(floors.pop()).text(language)
    return None


def ticket_for_offline(
    config: SiteConfig,
    number: str,
    service_name: str,
    language: str,
    issued_at: datetime,
    note: str,
) -> TicketPrint:
    """An offline ticket: no position, no wait and no QR code (the hub does not know it yet)."""
    zone = ZoneInfo(config.site.timezone)
    return TicketPrint(
        site_name=config.site.name,
        number=number,
        service_name=service_name,
        language=language,
        issued_at=issued_at.astimezone(zone),
        footer=note,
    )
