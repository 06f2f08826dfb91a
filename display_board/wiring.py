"""The board's connection: the client's callbacks handed to the presenter on the UI thread.

The client calls back on paho's network thread; `deliver` runs a function on the thread
that owns the presenter (Kivy's main thread in the app, the test's thread with an Inbox).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from apps.ui import Deliver, utc_now
from display_board.board import BoardConfig, zone_board
from display_board.presenter import DisplayPresenter
from link.client import LoketClient
from link.mqtt import Broker
from provisioning.devconfig import on_config
from provisioning.messages import DeviceConfigMessage
from siteconfig import SiteConfig

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def board_client(
    board: BoardConfig,
    device_id: str,
    broker: Broker,
    presenter: DisplayPresenter,
    deliver: Deliver,
    clock: Clock = utc_now,
) -> LoketClient:
    """A display's client (not started) that feeds `presenter` through `deliver`."""
    p = presenter
    client = LoketClient(
        board.site_id,
        device_id,
        broker,
        role="display",
        on_online=lambda up: deliver(lambda: p.link_changed(up, clock())),
    )
    client.on_device_status(lambda status: deliver(lambda: p.device_status(status, clock())))
    client.on_services(lambda state: deliver(lambda: p.show_services(state, clock())))
    client.on_calls(lambda state: deliver(lambda: p.show_calls(state)))
    client.on_called(lambda event: deliver(lambda: p.called(event, clock())))
    client.on_info(lambda state: deliver(lambda: p.show_info(state, device_id, clock())))
    return client


def follow_config(
    client: LoketClient,
    presenter: DisplayPresenter,
    site: SiteConfig,
    deliver: Deliver,
    clock: Clock = utc_now,
    language: str | None = None,
) -> None:
    """Apply the display's configuration from the hub live (an enrolled display; call
    before `client.start()`): another zone or other languages change what it shows."""

    def apply(config: DeviceConfigMessage) -> None:
        deliver(lambda: changed(config))

    def changed(config: DeviceConfigMessage) -> None:
        board = presenter.board
        languages = list(config.languages or board.languages)
        try:
            wanted = zone_board(site, config.zone, languages, language=language)
        except ValueError as error:  # the site file does not know the zone (yet)
            log.warning("cannot show zone %r: %s", config.zone, error)
            return
        new = replace(
            board,
            zone=wanted.zone,
            counters=wanted.counters,
            places=wanted.places,
            services=wanted.services,
            languages=wanted.languages,
        )
        if new != board:
            presenter.reconfigure(new, clock())

    on_config(client, apply)
