"""Everything the ticket says in words, in Dutch, French, English and German."""

from __future__ import annotations

from datetime import datetime

LANGUAGES = ("nl", "fr", "en", "de")
DEFAULT_LANGUAGE = "nl"

LABELS: dict[str, dict[str, str]] = {
    "your_number": {
        "nl": "Uw nummer",
        "fr": "Votre numéro",
        "en": "Your number",
        "de": "Ihre Nummer",
    },
    "position": {
        "nl": "Plaats in de rij",
        "fr": "Place dans la file",
        "en": "Place in the queue",
        "de": "Platz in der Reihe",
    },
    "expected_wait": {
        "nl": "Verwachte wachttijd",
        "fr": "Attente prévue",
        "en": "Expected wait",
        "de": "Voraussichtliche Wartezeit",
    },
    "appointment": {
        "nl": "Uw afspraak",
        "fr": "Votre rendez-vous",
        "en": "Your appointment",
        "de": "Ihr Termin",
    },
    "please_bring": {
        "nl": "Breng mee",
        "fr": "À apporter",
        "en": "Please bring",
        "de": "Bitte mitbringen",
    },
    "scan": {
        "nl": "Scan en volg uw beurt",
        "fr": "Scannez et suivez votre tour",
        "en": "Scan to follow your turn",
        "de": "Scannen und mitverfolgen",
    },
    "footer": {
        "nl": "Bedankt voor uw bezoek",
        "fr": "Merci de votre visite",
        "en": "Thank you for your visit",
        "de": "Danke für Ihren Besuch",
    },
}

_MINUTES = {
    "nl": ("ca. {m} min", "ca. {h} u {m:02d}", "minder dan 1 min"),
    "fr": ("env. {m} min", "env. {h} h {m:02d}", "moins d'1 min"),
    "en": ("about {m} min", "about {h} h {m:02d}", "under 1 min"),
    "de": ("ca. {m} Min.", "ca. {h} Std. {m:02d}", "unter 1 Min."),
}

_AT_TIME = {"nl": "{t}", "fr": "{t}", "en": "{t}", "de": "{t} Uhr"}


def language_or_default(language: str | None) -> str:
    """`language` when the ticket texts know it, else the default (Dutch)."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def label(key: str, language: str) -> str:
    """A fixed text, e.g. label('your_number', 'fr') == 'Votre numéro'."""
    return LABELS[key][language_or_default(language)]


def labelled(key: str, value: str, language: str) -> str:
    """'Label: value', with the space French puts before a colon."""
    colon = " :" if language_or_default(language) == "fr" else ":"
    return f"{label(key, language)}{colon} {value}"


def wait_text(minutes: int, language: str) -> str:
    """An expected wait: 'ca. 15 min', 'env. 1 h 05', 'under 1 min'."""
    short, long, none = _MINUTES[language_or_default(language)]
    if minutes <= 0:
        return none
    if minutes < 60:
        return short.format(m=minutes)
    return long.format(h=minutes // 60, m=minutes % 60)


def date_time_text(moment: datetime) -> str:
    """The issue date and time as Belgian tickets show it: '01/12/2026 10:04'."""
    return f"{moment:%d/%m/%Y %H:%M}"


def time_text(moment: datetime, language: str) -> str:
    """A clock time: '10:30' ('10:30 Uhr' in German)."""
    return _AT_TIME[language_or_default(language)].format(t=f"{moment:%H:%M}")
