"""'I don't have an appointment': the service tiles, taking a ticket, and why a service
gives none (with when it will, and a QR code to book online). While the hub is away,
tickets come from the numbers the hub leased to this kiosk."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.hub import HubUnavailable
from kiosk.i18n import describe_when, t
from kiosk.screens import Screen
from kiosk.tiles import FULL, Tile, build_tiles
from queue_engine.domain.availability import availability

if TYPE_CHECKING:
    from kiosk.presenter import KioskPresenter

#: Care-home mode shows this many buttons at most.
CARE_BUTTONS = 2


class WalkInFlow:
    """Tiles and walk-in tickets; state lives in the presenter's properties."""

    def __init__(self, p: KioskPresenter) -> None:
        self.p = p
        self.came_from_tiles = False

    # --- tiles ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the tiles from the latest state (only assigns when something changed)."""
        p = self.p
        deps = p.deps
        today = deps.now().date()
        tiles = build_tiles(
            deps.config,
            deps.site,
            p.services_state,
            p.language,
            deps.now(),
            online=p.online,
            numbers_left=lambda sid: deps.store.numbers_left(sid, today),
        )
        if tiles != p.tiles:
            p.tiles = tiles
        care = [x for x in tiles if deps.site.services[x.id].walk_in][:CARE_BUTTONS]
        if care != p.care_tiles:
            p.care_tiles = care

    def any_available(self) -> bool:
        """Whether some walk-in ticket can be had now (to offer it instead)."""
        return any(tile.available for tile in self.p.tiles)

    def open(self) -> None:
        """'I don't have an appointment'."""
        self.refresh()
        self.p.go(Screen.SERVICES)

    def toggle_priority(self) -> None:
        """'I need priority' (wheelchair, pregnant …)."""
        self.p.priority = not self.p.priority

    # --- taking a ticket --------------------------------------------------------------------------

    def choose(self, service_id: str) -> None:
        """A tile was touched."""
        p = self.p
        tile = next((x for x in p.tiles if x.id == service_id), None)
        if tile is None or p.busy:
            return
        self.came_from_tiles = p.screen == Screen.SERVICES
        if not tile.available:
            self.explain(tile)
        elif tile.offline or not p.online:
            self._issue_offline(tile)
        else:
            self._issue(tile)

    def _issue(self, tile: Tile) -> None:
        p = self.p
        p.busy = True
        session, hub = p.session, p.deps.hub
        fields = {
            "service_id": tile.id,
            "language": p.language,
            "priority": "priority" if p.priority else "normal",
        }

        def work() -> Any:
            try:
                return hub.request("issue_ticket", **fields)
            except HubUnavailable as error:
                return error

        p.deps.background(work, lambda result: self._issued(session, tile, result))

    def _issued(self, session: int, tile: Tile, result: Any) -> None:
        p = self.p
        if session != p.session:
            return
        p.busy = False
        if isinstance(result, HubUnavailable):
            p.set_online(False)
            self._issue_offline(tile)
        elif result.data is not None:
            p.tickets.show_reply(result.data)
        elif result.error is not None and (refusal := result.error.not_available()):
            self.explain(tile, refusal.reason, refusal.next_available)
        else:
            self._cannot()

    def _issue_offline(self, tile: Tile) -> None:
        """A ticket from this kiosk's leased numbers, stored before it is printed."""
        p = self.p
        deps = p.deps
        service = deps.site.services[tile.id]
        now = deps.now()
        state = _local_availability(p, tile.id, now)
        if not state:
            self.explain(tile, *self._offline_reason(tile.id, now))
            return
        priority = "priority" if p.priority else "normal"
        ticket = deps.store.issue(tile.id, now, p.language, priority)
        if ticket is None:
            self.explain(tile, "offline")
            return
        p.tickets.show_offline(ticket, service.name(p.language, deps.site.default_language))
        deps.wake_sync()

    def _offline_reason(self, service_id: str, now: datetime) -> tuple[str, datetime | None]:
        site = self.p.deps.site
        state = availability(site, site.services[service_id], now, 0)
        if state.reason is None:
            return "offline", None
        return state.reason.value, state.next_available

    def _cannot(self) -> None:
        p = self.p
        p.show_notice(p.t("no_ticket_title"), p.t("no_ticket_body"), pictogram="help")

    # --- why not ------------------------------------------------------------------------------

    def explain(self, tile: Tile, reason: str | None = None, when: datetime | None = None) -> None:
        """Why this service gives no ticket now, when it will, and how to book."""
        p = self.p
        reason = reason or tile.reason or "closed_now"
        if reason == "appointments_only":
            body = p.t("unavailable_body_appointments_only")
        elif reason == "full_today":
            body = p.t("unavailable_body_full_today")
        elif reason in FULL:
            body = p.t("unavailable_body_full")
        elif reason == "offline":
            body = p.t("unavailable_body_offline")
        elif reason == "paused":
            body = tile.notice or p.t("unavailable_body_paused")
        else:
            body = p.t("unavailable_body_closed")
        next_text = tile.next_text
        if when:
            said = describe_when(when, p.deps.now(), p.language, p.deps.zone)
            next_text = t("next_available", p.language, when=said)
        booking = tile.booking_url if reason != "offline" else None
        lines = [next_text, p.t("book_online") if booking else ""]
        p.show_notice(
            f"{tile.name}: {t(f'reason_{reason}', p.language)}",
            body,
            extra="\n".join(line for line in lines if line),
            pictogram=tile.pictogram,
            qr=booking or "",
        )


def _local_availability(p: KioskPresenter, service_id: str, now: datetime) -> bool:
    """Whether the site file's hours let the service give a ticket now (offline check)."""
    site = p.deps.site
    return availability(site, site.services[service_id], now, 0).available
