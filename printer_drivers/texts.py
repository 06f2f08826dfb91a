"""Everything the ticket says in words, in the ticket's language."""

from __future__ import annotations

from datetime import datetime

from i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, translator

LABELS = {
    "your_number": N_("Your number"),
    "position": N_("Place in the queue"),
    "expected_wait": N_("Expected wait"),
    "appointment": N_("Your appointment"),
    # Translators: on the ticket, above the documents to bring
    "please_bring": N_("Please bring"),
    # Translators: on the ticket, beside the QR code that opens the live ticket page
    "scan": N_("Scan to follow your turn"),
    "footer": N_("Thank you for your visit"),
    # Translators: on the ticket, before where to go: 'Go to: first floor, on the left'
    "where": N_("Go to"),
}

# Translators: an expected wait on the printed ticket, under an hour
_WAIT_SHORT = N_("about {m} min")
# Translators: an expected wait on the printed ticket: hours and minutes ("about 1 h 05")
_WAIT_LONG = N_("about {h} h {m:02d}")
_WAIT_NONE = N_("under 1 min")
# Translators: a clock time on the printed ticket ("10:30"; German says "10:30 Uhr")
_AT_TIME = N_("{t}")


def language_or_default(language: str | None) -> str:
    """`language` when the ticket texts know it, else the default (Dutch)."""
    return language if language is not None and language in LANGUAGES else DEFAULT_LANGUAGE


def label(key: str, language: str) -> str:
    """A fixed text, e.g. label('your_number', 'fr') == 'Votre numéro'."""
    return translator(language).text(LABELS[key])


def labelled(key: str, value: str, language: str) -> str:
    """'Label: value', with the space French puts before a colon."""
    colon = " :" if language_or_default(language) == "fr" else ":"
    return f"{label(key, language)}{colon} {value}"


def wait_text(minutes: int, language: str) -> str:
    """An expected wait: 'ca. 15 min', 'env. 1 h 05', 'under 1 min'."""
    words = translator(language)
    if minutes <= 0:
        return words.text(_WAIT_NONE)
    if minutes < 60:
        return words.text(_WAIT_SHORT, m=minutes)
    return words.text(_WAIT_LONG, h=minutes // 60, m=minutes % 60)


def date_time_text(moment: datetime) -> str:
    """The issue date and time as Belgian tickets show it: '01/12/2026 10:04'."""
    return f"{moment:%d/%m/%Y %H:%M}"


def time_text(moment: datetime, language: str) -> str:
    """A clock time: '10:30' ('10:30 Uhr' in German)."""
    return translator(language).text(_AT_TIME, t=f"{moment:%H:%M}")
