"""Looking up texts, and saying times, waits and ticket numbers in the visitor's language."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from i18n import translator
from kiosk.messages import MESSAGES

__all__ = [
    "describe_when",
    "spoken_number",
    "t",
    "texts",
    "wait_text",
]


def t(message_id: str, language: str, **values: object) -> str:
    """The text of `message_id` in `language` (Dutch if unknown), with `values` filled in."""
    return translator(language).text(MESSAGES[message_id], **values)


def texts(language: str) -> dict[str, str]:
    """Every text in `language`, for the views to bind to (placeholders left as they are)."""
    words = translator(language)
    return {message_id: words.text(message) for message_id, message in MESSAGES.items()}


def clock_time(moment: datetime, zone: ZoneInfo) -> str:
    """'16:30' in the site's time zone."""
    return f"{moment.astimezone(zone):%H:%M}"


def describe_when(moment: datetime, now: datetime, language: str, zone: ZoneInfo) -> str:
    """'today at 16:00', 'tomorrow at 08:30' or 'on Monday 7 December at 08:30'."""
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    time_text = f"{local:%H:%M}"
    if local.date() == today:
        return t("when_today", language, time=time_text)
    if local.date() == today + timedelta(days=1):
        return t("when_tomorrow", language, time=time_text)
    return t(
        "when_day",
        language,
        weekday=t(f"weekday_{local.weekday()}", language),
        day=local.day,
        month=t(f"month_{local.month}", language),
        time=time_text,
    )


def wait_text(seconds: float | None, language: str) -> str:
    """'About 15 min wait', 'No waiting', or 'not known' when there is no estimate."""
    if seconds is None:
        return t("wait_unknown", language)
    minutes = math.ceil(seconds / 60)
    if minutes <= 1:
        return t("wait_none", language)
    if minutes > 10:
        minutes = 5 * math.ceil(minutes / 5)  # no false precision on long waits
    return t("wait_minutes", language, minutes=minutes)


def spoken_number(number: str) -> str:
    """'ID012' as speech can say it: 'ID 12'."""
    match = re.fullmatch(r"([A-Z]+)0*(\d+)", number)
    return f"{match.group(1)} {match.group(2)}" if match else number
