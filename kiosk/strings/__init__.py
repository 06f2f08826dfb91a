"""Every text the kiosk shows or says, in Dutch, French, English and German.

A message id maps to a tuple in LANGUAGES order; a test checks that none is missing.
"""

from __future__ import annotations

from . import ticket, visit, walkin

LANGUAGES = ("nl", "fr", "en", "de")
#: Each language's name in that language, for the language buttons.
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English", "de": "Deutsch"}

TEXTS: dict[str, tuple[str, str, str, str]] = {**visit.TEXTS, **walkin.TEXTS, **ticket.TEXTS}

__all__ = ["LANGUAGES", "LANGUAGE_NAMES", "TEXTS"]
