"""Sample tickets for `loket printer test` and `preview`, the benchmark and the docs."""

from __future__ import annotations

from datetime import datetime

from siteconfig import SiteConfig

from .texts import language_or_default
from .ticket import DocumentList, TicketPrint, ticket_url

SAMPLE_SITE = "Stad Voorbeeld \u2013 Stadhuis"  # an en dash, as site names have
SAMPLE_URL = "https://loket.stadvoorbeeld.example/t/{token}"
#: As long as a real token (secrets.token_urlsafe(16)), so the QR code has the real size.
SAMPLE_TOKEN = "Xq3v9LkT2mWc8RbN5pYh4A"
ACCENTS = "é è ë ê ç à ö ü ß €"

_SERVICE = {"nl": "Paspoort", "fr": "Passeport", "en": "Passport", "de": "Reisepass"}
_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "nl": ("Uw identiteitskaart", "Een recente kleurenfoto volgens de ICAO-normen"),
    "fr": ("Votre carte d'identité", "Une photo couleur récente aux normes OACI"),
    "en": ("Your identity card", "A recent colour photo to ICAO standards"),
    "de": ("Ihr Personalausweis", "Ein aktuelles Farbfoto nach ICAO-Norm"),
}


def sample_ticket(
    issued_at: datetime,
    language: str = "nl",
    appointment: bool = False,
    config: SiteConfig | None = None,
    footer: str | None = None,
) -> TicketPrint:
    """A realistic walk-in (or appointment) ticket.

    With a site `config`: its name and URL template, and its first service that takes
    walk-ins (or appointments).
    """
    lang = language_or_default(language)
    site_name, template, prefix = SAMPLE_SITE, SAMPLE_URL, "P"
    service, documents = _SERVICE[lang], _DOCUMENTS[lang]
    if config is not None:
        site_name, template = config.site.name, config.site.ticket_url_template or ""
        chosen = next(
            (s for s in config.services if (s.appointments if appointment else s.walk_in)),
            config.services[0],
        )
        names = {str(key): name for key, name in chosen.names.items()}
        lists = {str(key): tuple(items) for key, items in chosen.documents.items()}
        service = names.get(lang) or names[config.site.default_language]
        documents, prefix = lists.get(lang, ()), chosen.prefix
    later = issued_at.replace(minute=30) if issued_at.minute < 30 else issued_at
    return TicketPrint(
        site_name=site_name,
        number=f"{prefix}012",
        service_name=service,
        language=lang,
        issued_at=issued_at,
        position=None if appointment else 3,
        expected_wait_minutes=None if appointment else 15,
        appointment_at=later if appointment else None,
        documents=(DocumentList(service, documents),) if appointment and documents else (),
        qr_url=ticket_url(template, SAMPLE_TOKEN),
        footer=footer,
    )
