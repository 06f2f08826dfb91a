"""The live ticket page's words, and how it says waits, times and dates."""

from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

from i18n import N_, nN_, translator

#: Every text of the page; a counted one takes its count as `n`.
MESSAGES = {
    "your_number": N_("Your number"),
    # Translators: the label of the language links on the live ticket page
    "languages": N_("Language"),
    "people_before": nN_("There is {n} person before you.", "There are {n} people before you."),
    "next": N_("You are next."),
    "wait": N_("Expected wait: {wait}."),
    "wait_short": N_("less than 2 minutes"),
    "wait_minutes": nN_("about {n} minute", "about {n} minutes"),
    "waiting_hint": N_(
        "You do not have to stay in the waiting room. This page updates by itself: come back when "
        "your turn is near."
    ),
    "appointment": N_("Appointment at {time}."),
    "your_turn": N_("It is your turn!"),
    # Translators: followed by the counter's name, in large letters
    "go_to": N_("Go to"),
    "called_again": N_("You are being called again."),
    "serving": N_("You are being served at {counter}."),
    "held_until": N_(
        "Your ticket is set aside. Your turn comes back from {time}, in your place in the queue.",
    ),
    "held": N_("Your ticket is set aside. A member of staff will call you again."),
    "finished": N_("Finished"),
    "done": N_("Your visit is over. Thank you, and goodbye!"),
    "not_valid": N_("No longer valid"),
    "cancelled": N_("This ticket was cancelled."),
    "no_show": N_(
        "Your number was called, but you were not there. Please go to the reception desk.",
    ),
    "other_day": N_("This ticket was for another day ({day}) and is no longer valid."),
    "unknown_title": N_("Unknown ticket"),
    "unknown": N_(
        "We cannot find this ticket. A ticket is valid only on the day it was printed. Check the "
        "link, or ask at the reception desk."
    ),
    "unreachable": N_("We cannot reach the queue right now. This page keeps trying by itself."),
    "not_live": N_(
        "Not live: we cannot reach the queue right now. What you see here may be out of date.",
    ),
    "updated": N_("Updated at {time}"),
    "noscript": N_("This page reloads every 30 seconds."),
    "delay_button": nN_("I need {n} more minute", "I need {n} more minutes"),
    "delay_hint": N_("We will skip you for a while; you keep your place in the queue."),
    "note_delayed": nN_(
        "Done: we will skip you for {n} minute.",
        "Done: we will skip you for {n} minutes.",
    ),
    "note_refused": N_("That is no longer possible: your ticket is not waiting any more."),
    "note_once": N_("You already asked for more time. Please speak to a member of staff."),
    "note_unavailable": N_(
        "That did not work: the queue cannot be reached. Try again in a moment.",
    ),
}

#: Notes a redirect may ask the page to show (after "I need more minutes").
NOTES = frozenset({"delayed", "refused", "once", "unavailable"})


def text(language: str, key: str, **values: object) -> str:
    """One text in `language`, with `values` filled in."""
    return translator(language).text(MESSAGES[key], **values)


def wait_words(language: str, seconds: int) -> str:
    """An expected wait as people say it: short, a few minutes, or rounded to five."""
    if seconds < 120:
        return text(language, "wait_short")
    minutes = math.ceil(seconds / 60)
    if minutes > 10:
        minutes = 5 * round(minutes / 5)
    return text(language, "wait_minutes", n=minutes)


def clock_time(value: str | datetime, tz: ZoneInfo) -> str:
    """A time of day in the site's time zone, 24-hour clock (14:05)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(tz).strftime("%H:%M")


def day_words(language: str, day: str) -> str:
    """A date as written in the language (German with dots, the others with slashes)."""
    value = date.fromisoformat(day)
    return value.strftime("%d.%m.%Y" if language == "de" else "%d/%m/%Y")


def pick_language(offered: tuple[str, ...], *, asked: str | None, accept: str | None,
                  ticket: str | None, default: str) -> str:  # fmt: skip
    """The page's language: asked on the page, else the ticket's, else the browser's."""
    for choice in (asked, ticket):
        if choice in offered:
            return choice
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in offered:
            return code
    return default if default in offered else offered[0]
