"""The live ticket page as HTML: the whole page first (works without JavaScript), then the
card alone for each update. Pure functions of a ticket's view from the hub; every value
is escaped."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from i18n import LANGUAGE_NAMES
from link.protocol.replies import LiveTicket, UnknownTicket
from live_page.assets import SCRIPT, STYLE
from live_page.texts import clock_time, day_words, text, wait_words
from queue_engine.domain.model import Site, TicketStatus

#: A ticket as the hub's ticket_status reply gives it.
View = LiveTicket | UnknownTicket
#: Why a ticket's page stops updating for good (a no-show may still be reactivated).
FINAL = frozenset({"done", "cancelled", "other_day", "unknown"})


@dataclass(frozen=True)
class PageSettings:
    """What a site chose for its live page."""

    site: Site
    allow_delay: bool = False
    delay_minutes: int = 10


def is_final(view: View | None) -> bool:
    """Whether the ticket is over: nothing about it will change any more."""
    return view is not None and view.expired in FINAL


def _service_name(settings: PageSettings, view: LiveTicket, language: str) -> str:
    service = settings.site.services.get(view.service_id)
    return service.name(language, settings.site.default_language) if service else ""


def _counter_name(settings: PageSettings, view: LiveTicket) -> str:
    counter = settings.site.counters.get(view.counter_id or "")
    return counter.name if counter else view.counter_name or ""


def _head(view: LiveTicket, settings: PageSettings, language: str, title: str | None = None) -> str:
    """The number (and the service) as the card's heading."""
    label = escape(title or text(language, "your_number"))
    number = escape(view.number)
    service = escape(_service_name(settings, view, language))
    return f'<h1>{label} <span class="num">{number}</span></h1><p class="svc">{service}</p>'


def _p(words: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f"<p{cls}>{escape(words)}</p>"


def _waiting(
    settings: PageSettings, view: LiveTicket, lang: str, token: str, can_delay: bool
) -> str:
    parts = [_head(view, settings, lang)]
    position = view.position
    if position == 1:
        parts.append(_p(text(lang, "next"), "big"))
    elif position:
        parts.append(_p(text(lang, "people_before", n=position - 1), "big"))
    if view.scheduled_at is not None:
        tz = settings.site.tz
        parts.append(_p(text(lang, "appointment", time=clock_time(view.scheduled_at, tz))))
    if view.expected_wait_s is not None:
        parts.append(_p(text(lang, "wait", wait=wait_words(lang, view.expected_wait_s))))
    parts.append(_p(text(lang, "waiting_hint"), "hint"))
    if settings.allow_delay and can_delay:
        minutes = settings.delay_minutes
        parts.append(
            f'<form method="post" action="{escape(token)}/delay">'
            f'<input type="hidden" name="lang" value="{escape(lang)}">'
            f"<button>{escape(text(lang, 'delay_button', n=minutes))}</button></form>"
            + _p(text(lang, "delay_hint"), "hint")
        )
    return f'<section class="card">{"".join(parts)}</section>'


def _called(settings: PageSettings, view: LiveTicket, lang: str) -> str:
    counter = escape(_counter_name(settings, view))
    again = _p(text(lang, "called_again")) if view.recall_count else ""
    return (
        f'<section class="card called">{_head(view, settings, lang, text(lang, "your_turn"))}'
        f'<p class="to">{escape(text(lang, "go_to"))} <strong class="ctr">{counter}</strong></p>'
        f"{again}</section>"
    )


def _over(settings: PageSettings, view: View, lang: str) -> str:
    if isinstance(view, UnknownTicket) or view.expired is None:
        return (
            f'<section class="card over"><h1>{escape(text(lang, "unknown_title"))}</h1>'
            f"{_p(text(lang, 'unknown'))}</section>"
        )
    reason = view.expired
    title = text(lang, "finished" if reason == "done" else "not_valid")
    if reason == "other_day":
        words = text(lang, "other_day", day=day_words(lang, view.day.isoformat()))
    else:
        words = text(lang, reason)
    return f'<section class="card over">{_head(view, settings, lang, title)}{_p(words)}</section>'


def card(settings: PageSettings, view: View | None, lang: str, token: str,
         can_delay: bool = True) -> str:  # fmt: skip
    """The part of the page that changes: where the ticket stands."""
    if view is None:
        return f'<section class="card">{_p(text(lang, "unreachable"), "big")}</section>'
    if isinstance(view, UnknownTicket) or view.expired:
        return _over(settings, view, lang)
    status = view.status
    if status is TicketStatus.CALLED:
        return _called(settings, view, lang)
    if status is TicketStatus.SERVING:
        words = text(lang, "serving", counter=_counter_name(settings, view))
        return f'<section class="card">{_head(view, settings, lang)}{_p(words, "big")}</section>'
    if status is TicketStatus.HELD:
        until = view.hold_until
        words = (
            text(lang, "held_until", time=clock_time(until, settings.site.tz))
            if until
            else text(lang, "held")
        )
        return f'<section class="card">{_head(view, settings, lang)}{_p(words, "big")}</section>'
    return _waiting(settings, view, lang, token, can_delay)


def summary(settings: PageSettings, view: View | None, lang: str) -> str:
    """One sentence for screen readers, said when it changes (not on every update)."""
    if view is None:
        return text(lang, "unreachable")
    if isinstance(view, UnknownTicket):
        return text(lang, "unknown_title")
    if view.expired:
        if view.expired == "other_day":
            return text(lang, "other_day", day=day_words(lang, view.day.isoformat()))
        return text(lang, view.expired)
    number = view.number
    status = view.status
    if status is TicketStatus.CALLED:
        return f"{number}: {text(lang, 'your_turn')} {text(lang, 'go_to')} " + _counter_name(
            settings, view
        )
    if status is TicketStatus.WAITING and view.position:
        position = view.position
        words = text(lang, "next") if position == 1 else text(lang, "people_before", n=position - 1)
        return f"{number}: {words}"
    return f"{number}: " + card_words(settings, view, lang)


def card_words(settings: PageSettings, view: LiveTicket, lang: str) -> str:
    """The status sentence of a serving or held ticket."""
    if view.status is TicketStatus.SERVING:
        return text(lang, "serving", counter=_counter_name(settings, view))
    until = view.hold_until
    if until:
        return text(lang, "held_until", time=clock_time(until, settings.site.tz))
    return text(lang, "held")


def title(settings: PageSettings, view: View | None, lang: str) -> str:
    """The browser tab's title: the counter to go to once called, else the number."""
    if not isinstance(view, LiveTicket):
        return settings.site.name
    if _called_now(view):
        return f"▶ {_counter_name(settings, view)} \u2013 {view.number}"
    return f"{view.number} \u2013 {settings.site.name}"


def _called_now(view: View | None) -> bool:
    return isinstance(view, LiveTicket) and view.status is TicketStatus.CALLED and not view.expired


def update(settings: PageSettings, view: View | None, lang: str, token: str, *, live: bool,
           updated: str, can_delay: bool = True) -> dict[str, Any]:  # fmt: skip
    """One update for an open page (sent as a server-sent event, or polled as JSON)."""
    return {
        "html": card(settings, view, lang, token, can_delay),
        "title": title(settings, view, lang),
        "say": summary(settings, view, lang),
        "alert": _called_now(view),
        "live": live,
        "upd": text(lang, "updated", time=updated),
        "final": is_final(view),
    }


def _languages(settings: PageSettings, lang: str) -> str:
    links = []
    for code in settings.site.languages:
        current = ' aria-current="true"' if code == lang else ""
        name = escape(LANGUAGE_NAMES.get(code, code))
        links.append(f'<a href="?lang={code}" hreflang="{code}" lang="{code}"{current}>{name}</a>')
    label = escape(text(lang, "languages"))
    return f'<nav aria-label="{label}">{"".join(links)}</nav>'


def page(settings: PageSettings, view: View | None, lang: str, token: str, *, live: bool,
         updated: str, note: str | None = None, can_delay: bool = True) -> str:  # fmt: skip
    """The whole page, complete without JavaScript."""
    body = update(settings, view, lang, token, live=live, updated=updated, can_delay=can_delay)
    final = "1" if body["final"] else "0"
    notice = ""
    if note:
        notice = _p(text(lang, f"note_{note}", n=settings.delay_minutes), "note")
    refresh = "" if body["final"] else (
        '<noscript><meta http-equiv="refresh" content="30"></noscript>'
    )  # fmt: skip
    t = escape(token)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">'
        f"<title>{escape(body['title'])}</title>{refresh}<style>{STYLE}</style></head>"
        f'<body data-events="{t}/events?lang={lang}" data-state="{t}/state?lang={lang}" '
        f'data-final="{final}"><header><p class="site">{escape(settings.site.name)}</p>'
        f"{_languages(settings, lang)}</header><main>"
        f'<p id="stale" class="stale{"" if not live else " off"}" role="alert">'
        f"{escape(text(lang, 'not_live'))}</p>{notice}"
        f'<div id="card">{body["html"]}</div>'
        f'<p id="say" class="sr" aria-live="assertive">{escape(body["say"])}</p>'
        f'<p id="upd" class="upd">{escape(body["upd"])}</p>'
        f"<noscript>{_p(text(lang, 'noscript'), 'upd')}</noscript>"
        f"</main><script>{SCRIPT}</script></body></html>"
    )
