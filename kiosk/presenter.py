"""The kiosk's state and actions, without a window: the views only bind to these properties
and call these methods (and those of the flows: `visit`, `walkin`, `tickets`).

Screens: welcome → start → keypad → checked_in → ticket (appointment), start → services →
ticket (walk-in), notice (why not, what to do next), care (care-home mode: one screen).
Overlays on any screen: idle ("Do you need more time?"), help, accessibility.
Time comes from `deps.clock`; `tick()` is called every second by the app (by hand in tests).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)

from i18n import LANGUAGE_NAMES
from kiosk.context import Deps
from kiosk.i18n import t, texts
from kiosk.prompts import prompt_for
from kiosk.screens import Overlay, PrintState, Screen
from kiosk.theme import Theme, make_theme
from kiosk.ticketing import TicketFlow
from kiosk.visit import VisitFlow
from kiosk.walkin import WalkInFlow
from link.protocol import messages as m

log = logging.getLogger(__name__)


class KioskPresenter(EventDispatcher):  # type: ignore[misc]
    """Everything a kiosk screen shows, and every action a visitor can take."""

    screen = StringProperty(Screen.WELCOME)
    overlay = StringProperty(Overlay.NONE)
    """'', 'idle', 'help' or 'accessibility'."""
    language = StringProperty("nl")
    texts = DictProperty({})
    languages = ListProperty([])
    """(code, name) pairs for the language buttons."""
    site_name = StringProperty("")
    care_mode = BooleanProperty(False)
    large_text = BooleanProperty(False)
    high_contrast = BooleanProperty(False)
    speech = BooleanProperty(False)
    theme: Any = ObjectProperty(None)
    ui = DictProperty({})
    """The theme's colours and sizes by name, for the `.kv` files."""
    online = BooleanProperty(False)
    printer_ready = BooleanProperty(True)
    banner = StringProperty("")
    busy = BooleanProperty(False)
    # --- keypad and check-in (see VisitFlow) ---------------------------------------------
    code = StringProperty("")
    code_error = StringProperty("")
    appointment_lines = ListProperty([])
    documents = ListProperty([])
    """[(service name, [items])]."""
    offer_text = StringProperty("")
    offer_done = ListProperty([])
    visit_note = StringProperty("")
    # --- walk-in (see WalkInFlow) ----------------------------------------------------------
    tiles = ListProperty([])
    care_tiles = ListProperty([])
    priority = BooleanProperty(False)
    # --- notice: why not, and what to do next ----------------------------------------------
    notice_title = StringProperty("")
    notice_body = StringProperty("")
    notice_extra = StringProperty("")
    notice_pictogram = StringProperty("question")
    notice_qr = StringProperty("")
    notice_can_retry = BooleanProperty(False)
    notice_offer_walk_in = BooleanProperty(False)
    # --- ticket (see TicketFlow) -----------------------------------------------------------
    ticket_number = StringProperty("")
    ticket_service = StringProperty("")
    ticket_lines = ListProperty([])
    ticket_qr = StringProperty("")
    ticket_note = StringProperty("")
    print_state = StringProperty(PrintState.NONE)
    """'printing', 'printed' or 'failed'."""
    print_failed = BooleanProperty(False)
    ticket_finished = BooleanProperty(False)
    """Printed or failed: the visitor may leave the screen."""
    ticket_message = StringProperty("")
    done_text = StringProperty("")
    qr_caption = StringProperty("")
    ticket_preview = StringProperty("")
    # --- for the views -----------------------------------------------------------------------
    window_width = NumericProperty(1920)
    window_height = NumericProperty(1080)
    layout_orientation = StringProperty("horizontal")
    """Side by side on a landscape screen, stacked on a portrait one."""
    tile_cols = NumericProperty(2)
    keypad_cols = NumericProperty(9)
    pictograms = StringProperty("")
    """Folder of the pictogram PNGs."""

    def __init__(self, deps: Deps, pictograms: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.deps = deps
        self.pictograms = pictograms
        self.site_name = deps.config.site.name
        self.care_mode = deps.device.mode == "care_home"
        self.languages = [(code, LANGUAGE_NAMES[code]) for code in deps.languages]
        self.visit = VisitFlow(self)
        self.walkin = WalkInFlow(self)
        self.tickets = TicketFlow(self)
        self.printer_status = "unknown"
        self.printer_detail = ""
        self.help_requested = False
        self.help_since: datetime | None = None
        self.services_state: m.ServicesState | None = None
        self._last_touch = deps.monotonic()
        self._idle_since = 0.0
        self._last_printer_poll = -1e9
        self.session = 0
        self.reset()
        self.bind(screen=self._announce, overlay=self._announce)

    # --- the visitor's session --------------------------------------------------------------

    def reset(self) -> None:
        """Start again for the next visitor: forget everything the last one entered."""
        self.session += 1
        device = self.deps.device
        self.language = self.deps.default_language
        self.large_text = device.large_text
        self.high_contrast = device.high_contrast
        self.speech = self.care_mode
        self.priority = False
        self.busy = False
        self.visit.clear()
        self.tickets.clear()
        self._clear_notice()
        self._update_theme()
        self.texts = texts(self.language)
        self._update_banner()
        self.overlay = Overlay.NONE
        self.screen = Screen.CARE if self.care_mode else Screen.WELCOME
        self.walkin.refresh()
        self.touched()

    def touched(self) -> None:
        """Any touch: the visitor is still there (the idle question stays until answered)."""
        self._last_touch = self.deps.monotonic()

    def start(self) -> None:
        """'Touch to start' on the welcome screen."""
        self.go(Screen.START)

    def go(self, screen: Screen) -> None:
        """Show a screen (from a button)."""
        self.overlay = Overlay.NONE
        self.screen = screen

    def home(self) -> None:
        """'Start again': back to the first screen, everything cleared."""
        self.reset()

    def back(self) -> None:
        """One step back: from a detail to its list, otherwise to the start."""
        if self.care_mode:
            self.go(Screen.CARE)
        elif self.screen == Screen.NOTICE and self.walkin.came_from_tiles:
            self.go(Screen.SERVICES)
        elif self.screen in (Screen.START, Screen.WELCOME):
            self.go(Screen.WELCOME)
        else:
            self.go(Screen.START)

    # --- language and accessibility -------------------------------------------------------------

    def choose_language(self, language: str) -> None:
        """Show and speak everything in `language` from now on."""
        if language not in self.deps.languages:
            return
        self.language = language
        self.texts = texts(language)
        self._update_banner()
        self.walkin.refresh()
        self._announce()

    def t(self, message_id: str, **values: object) -> str:
        """A text in the visitor's language."""
        return t(message_id, self.language, **values)

    def open_accessibility(self) -> None:
        self.overlay = Overlay.ACCESSIBILITY

    def toggle_large_text(self) -> None:
        self.large_text = not self.large_text
        self._update_theme()

    def toggle_high_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        self._update_theme()

    def toggle_speech(self) -> None:
        self.speech = not self.speech
        self._announce()

    def close_overlay(self) -> None:
        if self.overlay == Overlay.HELP:
            self.help_requested = False
            self.help_since = None
            self.publish_status()
        self.overlay = Overlay.NONE

    def ask_staff(self) -> None:
        """'Ask for help': say where to go, and let staff see it on the device status."""
        self.overlay = Overlay.HELP
        if not self.help_requested:
            self.help_since = self.deps.now()
        self.help_requested = True
        self.publish_status()

    def set_window_size(self, width: float, height: float) -> None:
        self.window_width, self.window_height = width, height
        portrait = height > width
        self.layout_orientation = "vertical" if portrait else "horizontal"
        self.tile_cols = 1 if portrait else 2
        self.keypad_cols = 6 if portrait else 9
        self._update_theme()

    def _update_theme(self) -> None:
        self.theme = self.make_theme()
        self.ui = self.theme.for_views()

    def make_theme(self) -> Theme:
        return make_theme(
            high_contrast=self.high_contrast,
            large_text=self.large_text,
            window_width_px=self.window_width,
            window_height_px=self.window_height,
            screen_width_mm=self.deps.settings.screen_width_mm,
        )

    # --- time ---------------------------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: idle question and reset, ticket screen timeout, link and printer.

        A ticket that could not be printed stays while the visitor is there (they copy the
        number), then goes like any screen: asked, then reset, so the next visitor never
        sees it."""
        now = self.deps.monotonic()
        self.set_online(self.deps.hub.online)
        settings = self.deps.settings
        quiet = now - self._last_touch
        if self.screen == Screen.TICKET and self.print_state != PrintState.FAILED:
            if self.tickets.expired(now):
                self.reset()
            return
        if self.busy:
            return
        if self.overlay == Overlay.IDLE:
            if now - self._idle_since >= settings.idle_prompt_seconds:
                self.reset()
        elif quiet >= settings.idle_seconds and self._visitor_present():
            self.overlay, self._idle_since = Overlay.IDLE, now
        if self._at_rest() and now - self._last_printer_poll >= settings.printer_poll_seconds:
            self._last_printer_poll = now
            self.tickets.poll_printer()
        self.walkin.refresh()

    def more_time(self) -> None:
        """'Yes, I need more time' (other overlays stay)."""
        if self.overlay == Overlay.IDLE:
            self.overlay = Overlay.NONE
        self.touched()

    def _visitor_present(self) -> bool:
        """Whether anything would be lost or left on screen by starting again."""
        if self.screen in (Screen.WELCOME, Screen.CARE):
            return (
                self.language != self.deps.default_language
                or self.large_text != self.deps.device.large_text
                or self.high_contrast != self.deps.device.high_contrast
                or self.overlay != Overlay.NONE
                or (self.speech and not self.care_mode)
            )
        return True

    def _at_rest(self) -> bool:
        return self.screen in (Screen.WELCOME, Screen.CARE) and not self.busy

    # --- hub and printer state ------------------------------------------------------------------

    def set_online(self, online: bool) -> None:
        """The link to the hub went up or down (on the UI thread)."""
        if online != self.online:
            self.online = online
            if online:
                self.deps.wake_sync()
            self.walkin.refresh()
        self._update_banner()

    def services_changed(self, state: m.ServicesState) -> None:
        """New retained state from the hub (on the UI thread)."""
        self.services_state = state
        self.walkin.refresh()

    def printer_changed(self, status: str, detail: str, ready: bool) -> None:
        """The printer said how it is; staff see it in the device status."""
        self.printer_status, self.printer_detail, self.printer_ready = status, detail, ready
        self.publish_status()
        self._update_banner()

    def publish_status(self) -> None:
        """Printer state, offline tickets not yet handed in, and a visitor asking for help."""
        parts = []
        if not self.printer_ready and self.printer_detail:
            parts.append(self.printer_detail)
        pending = len(self.deps.store.pending())
        if pending:
            parts.append(f"{pending} offline ticket(s) to hand in")
        if self.help_requested:
            parts.append("a visitor asks for help at the kiosk")
        self.deps.hub.publish_status(
            printer=self.printer_status,
            detail="; ".join(parts) or None,
            help_since=self.help_since,
            offline_tickets=pending,
        )

    def _update_banner(self) -> None:
        if not self.online:
            can = any(tile.available for tile in self.tiles)
            self.banner = self.t("offline_banner" if can else "offline_banner_desk")
        elif not self.printer_ready:
            self.banner = self.t("printer_down_banner")
        else:
            self.banner = ""

    # --- notices and speech -----------------------------------------------------------------------

    def show_notice(
        self,
        title: str,
        body: str,
        *,
        extra: str = "",
        pictogram: str = "question",
        qr: str = "",
        can_retry: bool = False,
        offer_walk_in: bool = False,
    ) -> None:
        """A kind message: what happened and what to do next."""
        self.notice_title, self.notice_body, self.notice_extra = title, body, extra
        self.notice_pictogram, self.notice_qr = pictogram, qr
        self.notice_can_retry, self.notice_offer_walk_in = can_retry, offer_walk_in
        self.busy = False
        if self.screen == Screen.NOTICE:
            self._announce()
        self.go(Screen.NOTICE)

    def _clear_notice(self) -> None:
        self.notice_title = self.notice_body = self.notice_extra = self.notice_qr = ""
        self.notice_can_retry = self.notice_offer_walk_in = False

    def say(self, text: str) -> None:
        """Speak `text` when spoken prompts are on, instead of any prompt not yet spoken."""
        if self.speech and text:
            self.deps.speaker.say(text, self.language, replace=True)

    def _announce(self, *_: object) -> None:
        if self.speech:
            self.say(prompt_for(self))
