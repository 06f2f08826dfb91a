"""The ticket layout: what a ticket says, built (as the kiosk does) from real engine replies,
on 58 and 80 mm."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.printing import ticket_for_reply
from link.protocol.replies import CheckInResult, TicketReply
from printer_drivers import PrinterModel, TicketPrint, layout_ticket
from printer_drivers.layout import Cut, Line, Paper, QrCode
from printer_drivers.texts import wait_text
from printer_drivers.ticket import DocumentList
from queue_engine.adapters.memory_store import MemoryStore
from queue_engine.domain import commands as c
from queue_engine.domain.checkin import normalize_code
from queue_engine.domain.model import Appointment
from queue_engine.service.engine import Engine
from siteconfig import SiteConfig, load_site_config
from tests.sites import Desk, local

ROOT = Path(__file__).resolve().parent.parent
BRUSSELS = ZoneInfo("Europe/Brussels")
PAPERS = [Paper(80, 512), Paper(80, 576), Paper(58, 384), Paper(58, 360)]


@pytest.fixture(scope="module")
def townhall() -> SiteConfig:
    return load_site_config(ROOT / "config" / "townhall.yaml")


@pytest.fixture
def town_desk(townhall: SiteConfig) -> Desk:
    """The example town hall, Tuesday 1 December 2026 at 10:04 (open)."""
    return Desk(Engine(townhall.to_site(), MemoryStore()), local("2026-12-01 10:04"))


PAPER_80 = Paper(80, 512)


def ticket_from_reply(reply: TicketReply | CheckInResult, config: SiteConfig) -> TicketPrint:
    """What the kiosk prints for a reply: its ticket, and the documents of a check-in."""
    documents = reply.documents if isinstance(reply, CheckInResult) else []
    return ticket_for_reply(reply.ticket, documents, config)


def texts(ticket: TicketPrint, paper: Paper = PAPER_80) -> list[str]:
    return [b.text for b in layout_ticket(ticket, paper).blocks if isinstance(b, Line)]


def test_walk_in_reply_becomes_a_ticket_with_local_time_wait_and_qr(
    town_desk: Desk, townhall: SiteConfig
) -> None:
    town_desk.issue("paspoort", language="fr")
    reply = town_desk.ok(c.IssueTicket, service_id="paspoort", language="fr")
    ticket = ticket_from_reply(reply, townhall)
    view = reply.ticket
    assert ticket.number == view.number == "P002"
    assert ticket.service_name == "Passeport"
    assert ticket.language == "fr"
    assert ticket.issued_at == datetime(2026, 12, 1, 10, 4, tzinfo=BRUSSELS)
    assert ticket.issued_at.utcoffset() is not None
    assert ticket.position == 2
    assert ticket.expected_wait_minutes is not None and ticket.expected_wait_minutes >= 1
    assert ticket.qr_url == f"https://loket.stadvoorbeeld.example/t/{view.token}"
    assert ticket.appointment_at is None and ticket.documents == ()
    lines = texts(ticket)
    assert "Votre numéro" in lines and "P002" in lines and "01/12/2026 10:04" in lines
    assert "Place dans la file : 2" in lines


def test_check_in_reply_shows_appointment_time_and_documents_but_no_personal_data(
    town_desk: Desk, townhall: SiteConfig
) -> None:
    booking = Appointment(
        id="a1",
        booking_code=normalize_code("BX-7Q4O"),
        services=("paspoort", "geboorte"),
        start=local("2026-12-01 10:20"),
        initials="JP",
    )
    town_desk.ok(c.ImportAppointments, appointments=(booking,))
    reply = town_desk.ok(c.CheckIn, booking_code="bx-7q4o", language="nl")
    ticket = ticket_from_reply(reply, townhall)
    assert ticket.appointment_at == datetime(2026, 12, 1, 10, 20, tzinfo=BRUSSELS)
    assert ticket.position is None and ticket.expected_wait_minutes is None
    assert [d.service_name for d in ticket.documents] == ["Paspoort", "Aangifte van een geboorte"]
    lines = texts(ticket)
    assert "Uw afspraak: 10:20" in lines
    assert "Breng mee:" in lines
    assert "- Uw identiteitskaart" in lines
    everything = " ".join(lines)
    for secret in ("BX", "7Q4O", "JP"):
        assert secret not in everything
    # The QR code holds the ticket's random token and nothing else (a random token may of
    # course contain "JP" by chance: compare it whole rather than searching it).
    assert ticket.qr_url == townhall.site.ticket_url_template.format(token=reply.ticket.token)


def test_no_template_means_no_qr_code(town_desk: Desk, townhall: SiteConfig) -> None:
    site = townhall.site.model_copy(update={"ticket_url_template": None})
    config = townhall.model_copy(update={"site": site})
    ticket = ticket_from_reply(town_desk.ok(c.IssueTicket, service_id="eid"), config)
    assert ticket.qr_url is None
    assert not any(isinstance(b, QrCode) for b in layout_ticket(ticket, Paper()).blocks)


def ticket(**kw: object) -> TicketPrint:
    fields: dict[str, object] = {
        "site_name": "Gemeente Voorbeeld \u2013 Administratief Centrum Sint-Jozef",
        "number": "ID123",
        "service_name": "Identiteitskaart en Kids-ID: aanvraag en afhaling",
        "language": "nl",
        "issued_at": datetime(2026, 12, 1, 10, 4, tzinfo=BRUSSELS),
        "position": 12,
        "expected_wait_minutes": 75,
        "documents": (
            DocumentList("Paspoort", ("Een recente kleurenfoto volgens de ICAO-normen " * 2,)),
            DocumentList("Geboorte", ("Identiteitskaart van beide ouders",)),
        ),
        "qr_url": "https://loket.example.be/t/abc",
    }
    fields.update(kw)
    return TicketPrint(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: f"{p.mm}mm-{p.dots}")
def test_every_line_fits_the_paper(paper: Paper) -> None:
    layout = layout_ticket(ticket(), paper)
    for block in layout.blocks:
        if isinstance(block, Line):
            assert len(block.text) * 12 * block.width <= paper.dots, block
    number = next(b for b in layout.blocks if isinstance(b, Line) and b.text == "ID123")
    assert number.width == number.height >= 4
    assert isinstance(layout.blocks[-1], Cut)


def test_documents_hang_under_their_dash_and_are_grouped_per_service() -> None:
    lines = texts(ticket(), Paper(58, 384))
    start = lines.index("Breng mee:")
    assert lines[start + 1] == "Paspoort:"
    assert lines[start + 2].startswith("- Een recente")
    assert lines[start + 3].startswith("  ")
    assert "Geboorte:" in lines


def test_service_name_is_double_size_when_it_fits_on_two_lines() -> None:
    short = layout_ticket(ticket(service_name="Paspoort"), Paper()).blocks
    service = next(b for b in short if isinstance(b, Line) and b.text == "Paspoort")
    assert (service.width, service.height) == (2, 2)
    long = layout_ticket(ticket(), Paper(58, 384)).blocks
    assert all(b.width == 1 for b in long if isinstance(b, Line) and "Kids-ID" in b.text)


def test_footer_can_be_replaced_or_left_out() -> None:
    assert texts(ticket())[-1] == "Bedankt voor uw bezoek"
    assert texts(ticket(footer="Tot ziens"))[-1] == "Tot ziens"
    assert texts(ticket(footer="", qr_url=None))[-1] != "Bedankt voor uw bezoek"


def test_waits_in_the_ticket_language() -> None:
    assert wait_text(0, "de") == "unter 1 Min."
    assert wait_text(75, "fr") == "env. 1 h 15"
    assert wait_text(9, "en") == "about 9 min"


def test_model_comes_from_the_escpos_profile() -> None:
    t88 = PrinterModel.from_profile("TM-T88V")
    assert (t88.paper_mm, t88.dots, t88.native_qr, t88.code_page) == (80, 512, True, "CP858")
    assert PrinterModel.from_profile("TM-T20II").dots == 576
    assert PrinterModel.from_profile("TM-T88V", paper_mm=58).dots == 360
    cheap = PrinterModel.from_profile("POS-5890")
    assert (cheap.paper_mm, cheap.dots, cheap.native_qr, cheap.cut) == (58, 384, False, False)
    assert PrinterModel.from_profile("TM-T88II").code_page == "CP1252"
    with pytest.raises(ValueError, match=r"unknown printer profile 'TM-T88X' \(did you mean"):
        PrinterModel.from_profile("TM-T88X")


@pytest.mark.parametrize(
    ("service", "language", "where"),
    [
        ("paspoort", "nl", "Ga naar: gelijkvloers"),  # loket 3 (left) or 4 (right)
        ("geboorte", "fr", "Présentez-vous à : premier étage"),  # loket 6 or 7
        ("snelbalie", "de", "Bitte zu: Erdgeschoss"),
        ("kinderopvang", "en", "Go to: first floor"),
    ],
)
def test_the_ticket_says_where_to_go(
    town_desk: Desk, townhall: SiteConfig, service: str, language: str, where: str
) -> None:
    reply = town_desk.ok(c.IssueTicket, service_id=service, language=language)
    lines = texts(ticket_from_reply(reply, townhall))
    assert where in lines
    assert lines.index(where) == lines.index("01/12/2026 10:04") - 1  # under the service


def test_a_ticket_for_one_counter_says_its_floor_room_and_direction(
    townhall: SiteConfig, town_desk: Desk
) -> None:
    reply = town_desk.ok(c.IssueTicket, service_id="geboorte", language="nl")
    view = reply.ticket.model_copy(update={"target_counter_id": "loket-6"})
    ticket = ticket_for_reply(view, [], townhall)
    assert ticket.where == "eerste verdieping, lokaal B.12, rechts van de trap"
    assert "Ga naar: eerste verdieping, lokaal B.12, rechts van de trap" in " ".join(
        texts(ticket, Paper(80, 576))
    )
    unknown = townhall.model_copy(
        update={"counters": [k.model_copy(update={"floor": None}) for k in townhall.counters]}
    )
    assert ticket_for_reply(reply.ticket, [], unknown).where is None
