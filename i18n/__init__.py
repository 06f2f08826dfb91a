"""Every text Loket shows, prints or says, in Dutch, French, English and German.

Texts are marked in the code where they are used and translated in gettext catalogues
(`i18n/locale/<language>/LC_MESSAGES/loket.po`, managed with Babel: `make i18n`):

    WELCOME = N_("Welcome")                        # a message, found by pybabel extract
    AHEAD = nN_("There is {n} person before you.", "There are {n} people before you.")
    translator("fr").text(WELCOME)                 # 'Bienvenue'
    translator("nl").text(AHEAD, n=3)              # 'Er zijn nog 3 personen voor u.'

The msgids are the English texts; a message missing from a catalogue falls back to them.
A plural message chooses its form by its `{n}` placeholder, with the language's rule.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from queue_engine.domain.model import LANGUAGES

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALE_DIR",
    "N_",
    "Message",
    "Place",
    "Translator",
    "nN_",
    "pN_",
    "translator",
]

#: Where the catalogues live, and their gettext domain.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "loket"
#: The language of a screen whose language is unknown.
DEFAULT_LANGUAGE = "nl"
#: Each language's name in that language, for language buttons (the same in every language).
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English", "de": "Deutsch"}


@dataclass(frozen=True)
class Message:
    """A text to translate, as `pybabel extract` finds it in the code."""

    msgid: str
    plural: str | None = None
    context: str | None = None


def N_(msgid: str) -> Message:
    """A message (marked for extraction)."""
    return Message(msgid)


def pN_(context: str, msgid: str) -> Message:
    """A message whose English also means something else elsewhere (its msgctxt)."""
    return Message(msgid, context=context)


def nN_(singular: str, plural: str) -> Message:
    """A counted message: the language's plural rule picks the form for `{n}`."""
    return Message(singular, plural=plural)


class Translator:
    """One language's catalogue: `text(message, **placeholders)` gives the filled-in text."""

    def __init__(self, language: str, catalogue: gettext.NullTranslations) -> None:
        self.language = language
        self._catalogue = catalogue

    def text(self, message: Message, **values: object) -> str:
        """The message in this language with `values` filled in (as is when none are given)."""
        found = self._lookup(message, values.get("n"))
        return found.format(**values) if values else found

    def _lookup(self, message: Message, n: object) -> str:
        catalogue, context = self._catalogue, message.context
        if message.plural is None:
            if context is None:
                return catalogue.gettext(message.msgid)
            return catalogue.pgettext(context, message.msgid)
        if not isinstance(n, int):
            raise TypeError(f"{message.msgid!r} is counted: give n=<int>")
        if context is None:
            return catalogue.ngettext(message.msgid, message.plural, n)
        return catalogue.npgettext(context, message.msgid, message.plural, n)


@cache
def translator(language: str | None) -> Translator:
    """The texts of `language` (of the default language when Loket does not speak it)."""
    code = language if language is not None and language in LANGUAGES else DEFAULT_LANGUAGE
    catalogue = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])
    return Translator(code, catalogue)


from i18n.places import Place  # noqa: E402  (it uses the lookup above)
