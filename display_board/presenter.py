"""Everything the board shows, decided without a window: calls, waits, clock, offline.

Feed it from the UI thread (the app hands the client's callbacks over with Kivy's Clock);
`tick(now)` moves time on: the highlight ends, the clock and info messages turn, and the
board says it is offline once the broker or the hub has been gone `offline_after` seconds.
Only numbers, counters and service names are ever shown: no personal data.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from kivy.event import EventDispatcher
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    StringProperty,
)

from display_board import theme
from display_board.announcer import Announcement
from display_board.board import BoardConfig
from display_board.layout import MAX_NAME_LINES
from display_board.texts import announcement, counter_label, labels
from link.protocol import messages as m
from link.protocol.office import InfoState, InfoView
from link.protocol.topics import HUB_DEVICE

#: Reasons a service shows as closed (after the last ticket, people waiting are still served).
CLOSED_REASONS = frozenset({"closed_today", "closed_now", "not_yet_open"})

CallKey = tuple[int, str, int, datetime]
#: How many lines a service name takes in the name column at the current size.
NameLines = Callable[[str], int]


def one_line(_name: str) -> int:
    """Every name on one line (before the window has measured anything)."""
    return 1


class AnnouncerLike(Protocol):
    """Where announcements go (the Announcer, or a list in tests)."""

    def announce(self, announcement: Announcement) -> None:
        """Queue one announcement."""


def _key(call: m.Call) -> CallKey:
    return (call.ticket_id, call.counter_id, call.recall, call.at)


def short_name(name: str) -> str:
    """A service's name before its details (after an en dash or a bracket): 'Identiteitskaart
    (eID) en Kids-ID' → 'Identiteitskaart'."""
    return name.split(" \u2013 ", maxsplit=1)[0].split(" (", maxsplit=1)[0].strip()


class DisplayPresenter(EventDispatcher):  # type: ignore[misc]
    """The state of one display board."""

    labels = DictProperty()
    site_name = StringProperty("")
    called_title = StringProperty("")
    called_number = StringProperty("")
    called_counter = StringProperty("")
    #: Where the called counter is ('eerste verdieping, links'), '' when not known.
    called_place = StringProperty("")
    highlight = BooleanProperty(False)
    #: Previous calls: [{"number": "A012", "counter": "Loket 3"}], newest first.
    recent = ListProperty()
    #: Waiting per service: [{"prefix", "name", "waiting", "wait", "lines", "height"}].
    services = ListProperty()
    clock_text = StringProperty("")
    info_text = StringProperty("")
    offline = BooleanProperty(False)
    offline_text = StringProperty("")
    #: Connected, and the hub is there: what is shown is current.
    live = BooleanProperty(False)
    #: Colours and opacity the view binds to (the call highlighted; stale while offline).
    called_bg = ListProperty(theme.STANDARD.panel)
    called_fg = ListProperty(theme.STANDARD.accent)
    banner_bg = ListProperty(theme.NONE)
    content_opacity = NumericProperty(1.0)

    def __init__(self, board: BoardConfig, announcer: AnnouncerLike | None, now: datetime) -> None:
        super().__init__()
        self.board = board
        self.palette = theme.palette(board.high_contrast)
        self.announcer = announcer
        self.language = board.languages[0]
        self.labels = labels(self.language)
        self.site_name = board.site_name
        self.recent_rows = board.recent_count
        self.service_rows = len(board.services)
        self.service_row_height = 40.0
        self._name_lines: NameLines = one_line
        self.called_title = str(self.labels["no_calls"])
        #: Every announcement queued, in order (what the speakers will say).
        self.announcements: list[Announcement] = []
        self._tz = ZoneInfo(board.timezone)
        self._calls: list[m.Call] = []
        self._all_calls: list[m.Call] = []
        self._seen: deque[CallKey] = deque(maxlen=100)
        self._services: dict[str, m.ServiceState] = {}
        self._office_info: list[InfoView] = []
        self._device_id = ""
        self._highlight_until: datetime | None = None
        self._link_up = False
        self._hub_up = False
        self._down_since: datetime | None = now
        self._paint()
        self.tick(now)

    # --- from the hub ---------------------------------------------------------------

    def show_calls(self, state: m.CallsState) -> None:
        """The retained last calls (on connect and after each change)."""
        self._all_calls = list(state.calls)
        self._calls = [c for c in state.calls if c.counter_id in self.board.counters]
        self._show_calls()

    def show_info(self, state: InfoState, device_id: str, now: datetime) -> None:
        """The office's info messages (retained); this display shows those for it."""
        self._office_info, self._device_id = list(state.messages), device_id
        self.info_text = self._info(now)

    def reconfigure(self, board: BoardConfig, now: datetime) -> None:
        """Another zone or other languages (the display's configuration from the hub)."""
        self.board = board
        self.language = board.languages[0]
        self.labels = labels(self.language)
        self._calls = [c for c in self._all_calls if c.counter_id in board.counters]
        self._show_calls()
        self.tick(now)

    def called(self, event: m.CalledEvent, now: datetime) -> None:
        """A call or recall as it happens: show it highlighted and announce it."""
        call = event.call
        if call.counter_id not in self.board.counters or _key(call) in self._seen:
            return  # another zone's call, or a duplicate delivery (QoS 1)
        self._seen.append(_key(call))
        self._calls = [call, *(c for c in self._calls if _key(c) != _key(call))]
        self._highlight_until = now + timedelta(seconds=self.board.highlight_seconds)
        self.highlight = True
        self._paint()
        self._show_calls()
        counter = self.board.counters[call.counter_id]
        place = self._place(call.counter_id, call.language)
        said = Announcement(
            number=call.number,
            counter_id=call.counter_id,
            text=announcement(call.number, counter, call.counter_id, call.language, place),
            language=call.language,
            recall=call.recall,
        )
        self.announcements.append(said)
        if self.announcer is not None:
            self.announcer.announce(said)

    def show_services(self, state: m.ServicesState, now: datetime) -> None:
        """Waiting counts and expected waits."""
        self._services = {s.id: s for s in state.services}
        self._show_services(now)

    def link_changed(self, up: bool, now: datetime) -> None:
        """The connection to the broker came or went."""
        self._link_up = up
        if not up:
            self._hub_up = False  # unknown until its retained status arrives again
        self._update_presence(now)

    def device_status(self, status: m.DeviceStatus, now: datetime) -> None:
        """A device's presence; only the hub's matters here."""
        if status.device == HUB_DEVICE:
            self._hub_up = status.online
            self._update_presence(now)

    # --- time -----------------------------------------------------------------------

    def tick(self, now: datetime) -> None:
        """Move the board's time on (about twice a second)."""
        self.clock_text = now.astimezone(self._tz).strftime("%H:%M")
        if self._highlight_until is not None and now >= self._highlight_until:
            self._highlight_until = None
            self.highlight = False
            self._paint()
        self._update_presence(now)
        self.info_text = self._info(now)
        if len(self._pages()) > 1:
            self._show_services(now)

    def set_capacity(
        self,
        recent_rows: int,
        service_rows: int,
        now: datetime,
        *,
        name_lines: NameLines = one_line,
        row_height: float = 40.0,
    ) -> None:
        """How many previous calls and one-line service rows fit on the screen now, how
        many lines each name needs there, and how high (px) one line of a row is."""
        self.recent_rows, self.service_rows = max(1, recent_rows), max(1, service_rows)
        self._name_lines, self.service_row_height = name_lines, row_height
        self._show_calls()
        self._show_services(now)

    # --- what is shown --------------------------------------------------------------

    def _counter_text(self, call: m.Call) -> str:
        name = self.board.counters.get(call.counter_id, call.counter_name)
        return counter_label(name, call.counter_id, self.language)

    def _place(self, counter_id: str, language: str) -> str:
        place = self.board.places.get(counter_id)
        return place.text(language) if place else ""

    def _show_calls(self) -> None:
        latest: dict[int, m.Call] = {}
        for call in self._calls:  # newest first: keep each ticket's latest call
            latest.setdefault(call.ticket_id, call)
        calls = list(latest.values())
        if calls:
            self.called_title = str(self.labels["ticket"])
            self.called_number = calls[0].number
            self.called_counter = self._counter_text(calls[0])
            self.called_place = self._place(calls[0].counter_id, self.language)
        else:
            self.called_title = str(self.labels["no_calls"])
            self.called_number = self.called_counter = self.called_place = ""
        self.recent = [
            {"number": c.number, "counter": self._counter_text(c)}
            for c in calls[1 : 1 + self.recent_rows]
        ]

    def _name(self, sid: str) -> str:
        state = self._services[sid]
        return short_name(state.names.get(self.language) or next(iter(state.names.values()), sid))

    def _pages(self) -> list[list[tuple[str, int]]]:
        """The services shown, (id, lines) per page: as many as fit in `service_rows` lines."""
        pages: list[list[tuple[str, int]]] = [[]]
        used = 0
        for sid in (sid for sid in self.board.services if sid in self._services):
            lines = self._name_lines(self._name(sid))
            if lines > min(MAX_NAME_LINES, self.service_rows):
                lines = 1  # no room to show it whole: one line, shortened with "…"
            if used + lines > self.service_rows and pages[-1]:
                pages.append([])
                used = 0
            pages[-1].append((sid, lines))
            used += lines
        return pages

    def _show_services(self, now: datetime) -> None:
        pages = self._pages()
        page = int(now.timestamp() // self.board.rotate_seconds) % len(pages)
        self.services = [
            {
                "prefix": self._services[sid].prefix,
                "name": self._name(sid),
                "waiting": str(self._services[sid].waiting),
                "wait": self._wait_text(self._services[sid]),
                "lines": lines,
                "height": lines * self.service_row_height,
            }
            for sid, lines in pages[page]
        ]

    def _wait_text(self, state: m.ServiceState) -> str:
        if not state.available and state.reason in CLOSED_REASONS:
            return str(self.labels["closed"])
        if state.waiting == 0 or state.expected_wait_s <= 0:
            return str(self.labels["no_wait"])
        return f"{math.ceil(state.expected_wait_s / 60)} {self.labels['minutes']}"

    def _update_presence(self, now: datetime) -> None:
        self.live = self._link_up and self._hub_up
        if self.live:
            self._down_since = None
        elif self._down_since is None:
            self._down_since = now
        gone = self._down_since is not None and (now - self._down_since) >= timedelta(
            seconds=self.board.offline_after
        )
        if gone != self.offline or (gone and not self.offline_text):
            self.offline = gone
            self.offline_text = str(self.labels["offline"]) if gone else ""
            self.banner_bg = self.palette.offline if gone else theme.NONE
            self.content_opacity = theme.STALE_OPACITY if gone else 1.0

    def _paint(self) -> None:
        colours = self.palette
        self.called_bg = colours.accent if self.highlight else colours.panel
        self.called_fg = colours.ink if self.highlight else colours.accent

    def _for_here(self, info: InfoView, now: datetime) -> bool:
        """An office message not expired at `now`, for all displays, this zone or this display
        (its start is not checked: a display's clock may run a little behind the hub's)."""
        if now >= info.until:
            return False
        if not info.zones and not info.devices:
            return True
        return self._device_id in info.devices or self.board.zone in info.zones

    def _info(self, now: datetime) -> str:
        """The office's messages for this display first, then the site file's, in turn."""
        office = tuple(i.texts for i in self._office_info if self._for_here(i, now))
        messages = office + self.board.messages or (
            {lang: labels(lang)["default_info"] for lang in self.board.languages},
        )
        texts = [msg[lang] for msg in messages for lang in self.board.languages if lang in msg]
        if not texts:
            return ""
        return texts[int(now.timestamp() // self.board.rotate_seconds) % len(texts)]
