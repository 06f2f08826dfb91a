"""The translation catalogues: every message in every language with the same placeholders,
plural forms by each language's rule, compiled files that match, and one LANGUAGES."""

from __future__ import annotations

import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from i18n import DOMAIN, LANGUAGES, LOCALE_DIR, N_, nN_, translator

ROOT = Path(__file__).resolve().parent.parent
#: The keywords `make i18n` gives pybabel extract.
KEYWORDS = {"N_": None, "pN_": ((1, "c"), 2), "nN_": (1, 2)}
PLURAL_RULES = {"nl": "(n != 1)", "fr": "(n > 1)", "en": "(n != 1)", "de": "(n != 1)"}
#: Texts that are the same in all four languages on purpose.
SAME_EVERYWHERE = {"Ticket", "Ticket {number}, {counter}", "{time}  {service}"}


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def entries(catalogue: Catalog) -> dict[tuple[str | None, str], Message]:
    """The messages by (msgctxt, msgid), the header left out."""
    found = {}
    for message in catalogue:
        if message.id:
            msgid = message.id[0] if message.pluralizable else message.id
            found[(message.context, msgid)] = message
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if message.pluralizable else (message.string,)


def looked_up(compiled: gettext.GNUTranslations, message: Message) -> tuple[str, ...]:
    """What the compiled catalogue gives for `message` (both forms of a plural: 1 and 2)."""
    context = message.context
    if message.pluralizable:
        if context:
            return tuple(compiled.npgettext(context, *message.id, n) for n in (1, 2))
        return tuple(compiled.ngettext(*message.id, n) for n in (1, 2))
    return (compiled.pgettext(context, message.id) if context else compiled.gettext(message.id),)


TEMPLATE = entries(read(LOCALE_DIR / f"{DOMAIN}.pot"))


def test_the_template_holds_every_marked_text_in_the_code() -> None:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    marked = {
        (context, msgid[0] if isinstance(msgid, tuple) else msgid)
        for _, _, msgid, _, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",)
        )
    }
    assert len(marked) > 250
    assert sorted(marked - set(TEMPLATE), key=str) == [], "run `make i18n`"
    assert sorted(set(TEMPLATE) - marked, key=str) == [], "run `make i18n`"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_template_placeholders(language: str) -> None:
    catalogue = read(po_path(language))
    assert catalogue.num_plurals == 2 and catalogue.plural_expr == PLURAL_RULES[language]
    translated = entries(catalogue)
    assert sorted(set(TEMPLATE) - set(translated), key=str) == [], "missing: run `make i18n`"
    assert sorted(set(translated) - set(TEMPLATE), key=str) == [], "not in the code any more"
    for key, original in TEMPLATE.items():
        message = translated[key]
        assert not message.fuzzy, f"{language} {key}: fuzzy (check it and remove the flag)"
        ids = message.id if original.pluralizable else (message.id,)
        expected = set().union(*(fields(msgid) for msgid in ids))
        assert len(forms(message)) == (2 if original.pluralizable else 1), (language, key)
        for text in forms(message):
            assert text.strip(), f"{language} {key}: empty"
            assert fields(text) == expected, f"{language} {key}: placeholders {text!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language: str) -> None:
    catalogue = read(po_path(language))
    mo = po_path(language).with_suffix(".mo")
    with mo.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    assert compiled.info()["plural-forms"] == catalogue.plural_forms
    for message in entries(catalogue).values():
        assert looked_up(compiled, message) == forms(message), f"{language} {message.id!r}"


def test_no_text_is_left_in_another_language() -> None:
    catalogues = [entries(read(po_path(language))) for language in LANGUAGES]
    same = {
        key[1] for key in TEMPLATE if len({forms(catalogue[key]) for catalogue in catalogues}) == 1
    }
    assert same == SAME_EVERYWHERE


def test_languages_is_defined_once() -> None:
    definition = re.compile(r"^\s*LANGUAGES\s*(:[^=\n]*)?=", re.MULTILINE)
    found = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not any(part.startswith(".") or part == "build" for part in path.relative_to(ROOT).parts)
        and definition.search(path.read_text(encoding="utf-8"))
    ]
    assert found == ["queue_engine/domain/model.py"]


def test_lookups_fill_in_fall_back_and_count() -> None:
    welcome, people = N_("Welcome"), nN_("{n} person before you", "{n} people before you")
    assert translator("fr").text(welcome) == "Bienvenue"
    assert translator("xx").text(welcome) == translator("nl").text(welcome) == "Welkom"
    assert translator("de").text(N_("Not in any catalogue {x}"), x=1) == "Not in any catalogue 1"
    assert translator("en").text(people, n=1) == "1 person before you"
    assert translator("en").text(people, n=0) == "0 people before you"
    with pytest.raises(TypeError):
        translator("en").text(people)


def test_plural_forms_follow_each_language() -> None:
    live = nN_("There is {n} person before you.", "There are {n} people before you.")
    assert translator("fr").text(live, n=0) == "Il y a encore 0 personne avant vous."
    assert translator("fr").text(live, n=2) == "Il y a encore 2 personnes avant vous."
    assert translator("nl").text(live, n=0) == "Er zijn nog 0 personen voor u."
    assert translator("de").text(live, n=1) == "Vor Ihnen ist noch 1 Person."
