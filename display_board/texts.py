"""The board's words in Dutch, French, English and German, and how a call is announced."""

from __future__ import annotations

import re

LANGUAGES = ("nl", "fr", "en", "de")

#: Every label the board shows, per language (a test checks that none is missing).
LABELS: dict[str, dict[str, str]] = {
    "ticket": {"nl": "Ticket", "fr": "Ticket", "en": "Ticket", "de": "Ticket"},
    "counter": {"nl": "Loket", "fr": "Guichet", "en": "Counter", "de": "Schalter"},
    "last_calls": {
        "nl": "Vorige oproepen",
        "fr": "Appels précédents",
        "en": "Previous calls",
        "de": "Letzte Aufrufe",
    },
    "queues": {
        "nl": "Wachtenden en wachttijd",
        "fr": "File d'attente et délai",
        "en": "Waiting and expected wait",
        "de": "Wartende und Wartezeit",
    },
    "no_calls": {
        "nl": "Nog geen oproepen",
        "fr": "Pas encore d'appels",
        "en": "No calls yet",
        "de": "Noch keine Aufrufe",
    },
    "closed": {"nl": "gesloten", "fr": "fermé", "en": "closed", "de": "geschlossen"},
    "no_wait": {"nl": "geen", "fr": "aucune", "en": "none", "de": "keine"},
    "minutes": {"nl": "min", "fr": "min", "en": "min", "de": "Min."},
    "offline": {
        "nl": "Geen verbinding: de gegevens zijn misschien niet actueel",
        "fr": "Hors ligne : les informations ne sont peut-être pas à jour",
        "en": "Offline: the information shown may be out of date",
        "de": "Keine Verbindung: die Angaben sind vielleicht nicht aktuell",
    },
    "default_info": {
        "nl": "Welkom. Houd uw ticket bij de hand: uw nummer wordt afgeroepen.",
        "fr": "Bienvenue. Gardez votre ticket en main : votre numéro sera appelé.",
        "en": "Welcome. Keep your ticket at hand: your number will be called.",
        "de": "Willkommen. Halten Sie Ihr Ticket bereit: Ihre Nummer wird aufgerufen.",
    },
}

#: The spoken announcement; {number} is spelled for speech, {counter} is "loket 3".
ANNOUNCEMENT = {
    "nl": "Ticket {number}, {counter}",
    "fr": "Ticket {number}, {counter}",
    "en": "Ticket {number}, {counter}",
    "de": "Ticket {number}, {counter}",
}
#: The counter word inside a spoken sentence (German nouns keep their capital).
SPOKEN_COUNTER = {"nl": "loket", "fr": "guichet", "en": "counter", "de": "Schalter"}

_NUMBER = re.compile(r"^([A-Z]{1,2})0*([0-9]+)$")
_DIGITS = re.compile(r"\d+")


def labels(language: str) -> dict[str, str]:
    """Every label in `language` (Dutch when the language is unknown)."""
    lang = language if language in LANGUAGES else "nl"
    return {key: words[lang] for key, words in LABELS.items()}


def spoken_number(number: str) -> str:
    """'A012' → 'A-12', 'ID001' → 'I D-1': letters one by one, then the number.

    The hyphen makes espeak-ng say the letter's name in every language (in English a lone
    'A' is otherwise read as the article)."""
    match = _NUMBER.match(number)
    if match is None:
        return number
    return f"{' '.join(match.group(1))}-{int(match.group(2))}"


def counter_number(name: str, counter_id: str) -> str | None:
    """The counter's number from its name ('Loket 6 - Burgerlijke stand' → '6') or id."""
    for text in (name, counter_id):
        found = _DIGITS.search(text)
        if found:
            return str(int(found.group()))
    return None


def counter_label(name: str, counter_id: str, language: str) -> str:
    """How the board shows a counter: 'Guichet 3' in French; its name if it has no number."""
    number = counter_number(name, counter_id)
    if number is None:
        return name
    return f"{labels(language)['counter']} {number}"


def announcement(number: str, counter_name: str, counter_id: str, language: str) -> str:
    """What is said for a call, in the ticket's language: 'Ticket A-12, loket 3'."""
    lang = language if language in LANGUAGES else "nl"
    digits = counter_number(counter_name, counter_id)
    counter = f"{SPOKEN_COUNTER[lang]} {digits}" if digits else counter_name
    return ANNOUNCEMENT[lang].format(number=spoken_number(number), counter=counter)
