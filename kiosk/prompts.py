"""What the kiosk says aloud on each screen, when spoken prompts are on (plain, short)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.i18n import t

if TYPE_CHECKING:
    from kiosk.presenter import KioskPresenter


def prompt_for(p: KioskPresenter) -> str:
    """The spoken prompt for what is on screen now ('' when there is nothing to say)."""
    lang = p.language
    if p.overlay == "idle":
        return f"{t('idle_title', lang)} {t('idle_yes', lang)}. {t('idle_no', lang)}."
    if p.overlay == "help":
        return f"{t('help_title', lang)} {t('help_body', lang)}"
    if p.overlay == "accessibility":
        return t("accessibility", lang)
    screen = p.screen
    if screen == "welcome":
        return f"{t('welcome', lang)}. {p.site_name}. {t('touch_to_start', lang)}."
    if screen == "start":
        answers = (t("have_appointment", lang), t("no_appointment", lang))
        return f"{t('start_question', lang)} {answers[0]}. {answers[1]}."
    if screen == "keypad":
        return f"{t('code_title', lang)}. {t('code_hint', lang)}"
    if screen == "services":
        return t("services_title", lang)
    if screen == "checked_in":
        return _checked_in(p)
    if screen == "notice":
        return f"{p.notice_title}. {p.notice_body} {p.notice_extra}".strip()
    if screen == "care":
        return _care(p)
    return ""  # the ticket is said once the printer has answered


def ticket_prompt(p: KioskPresenter, number: str, printed: bool) -> str:
    """The ticket said aloud: its number, service and wait (or appointment time)."""
    said = p.t("say_ticket" if printed else "say_ticket_no_print", number=number)
    return " ".join([said, *map(_sentence, [p.ticket_service, *p.ticket_lines])])


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _checked_in(p: KioskPresenter) -> str:
    lang = p.language
    parts = [t("checked_in_title", lang) + "."]
    if p.documents:
        parts.append(t("documents_title", lang) + ":")
        parts += [f"{item}." for _, items in p.documents for item in items]
    return " ".join(parts)


def _care(p: KioskPresenter) -> str:
    lang = p.language
    names = [tile.name for tile in p.care_tiles]
    if len(names) >= 2:
        return t("care_prompt_two", lang, first=names[0], second=names[1])
    return t("care_prompt_one", lang)
