"""The board's words in Dutch, French, English and German, and how a call is announced."""

from __future__ import annotations

import re

from i18n import N_, translator

#: Every label the board shows.
LABELS = {
    "ticket": N_("Ticket"),
    "counter": N_("Counter"),
    "last_calls": N_("Previous calls"),
    "queues": N_("Waiting and expected wait"),
    "no_calls": N_("No calls yet"),
    "closed": N_("closed"),
    # Translators: the expected wait on the display board when there is none
    "no_wait": N_("none"),
    # Translators: after a number of minutes on the display board ("12 min")
    "minutes": N_("min"),
    "offline": N_("Offline: the information shown may be out of date"),
    "default_info": N_("Welcome. Keep your ticket at hand: your number will be called."),
}

# Translators: said aloud for a call: {number} is spelled for speech, {counter} is "counter 3"
ANNOUNCEMENT = N_("Ticket {number}, {counter}")
# Translators: the counter word inside a spoken sentence (German nouns keep their capital)
SPOKEN_COUNTER = N_("counter")

_NUMBER = re.compile(r"^([A-Z]{1,2})0*([0-9]+)$")
_DIGITS = re.compile(r"\d+")


def labels(language: str) -> dict[str, str]:
    """Every label in `language` (Dutch when the language is unknown)."""
    words = translator(language)
    return {key: words.text(message) for key, message in LABELS.items()}


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


def announcement(
    number: str, counter_name: str, counter_id: str, language: str, place: str = ""
) -> str:
    """What is said for a call, in the ticket's language: 'Ticket A-12, loket 3', then
    where the counter is when the site file says so ('…, eerste verdieping, links')."""
    words = translator(language)
    digits = counter_number(counter_name, counter_id)
    counter = f"{words.text(SPOKEN_COUNTER)} {digits}" if digits else counter_name
    said = words.text(ANNOUNCEMENT, number=spoken_number(number), counter=counter)
    return f"{said}, {place}" if place else said
