"""The board's connection: the client's callbacks handed to the presenter on the UI thread.

The client calls back on paho's network thread; `deliver` runs a function on the thread
that owns the presenter (Kivy's main thread in the app, the test's thread with an Inbox).
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from datetime import UTC, datetime

from display_board.board import BoardConfig
from display_board.presenter import DisplayPresenter
from queue_engine.client import LoketClient
from queue_engine.mqtt import Broker

Deliver = Callable[[Callable[[], None]], None]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


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
    return client


class Inbox:
    """A `deliver` for code without a Kivy loop: queue calls, run them on `drain()`."""

    def __init__(self) -> None:
        self._queue: queue.Queue[Callable[[], None]] = queue.Queue()

    def __call__(self, function: Callable[[], None]) -> None:
        self._queue.put(function)

    def drain(self, timeout: float = 0.0) -> int:
        """Run what has arrived (waiting up to `timeout` for the first); how many ran."""
        ran = 0
        try:
            function = self._queue.get(timeout=timeout) if timeout else self._queue.get_nowait()
            while True:
                function()
                ran += 1
                function = self._queue.get_nowait()
        except queue.Empty:
            return ran
