"""The terminal's connection: a client for its device, commands on a worker thread, and the
client's callbacks handed to the presenter on the UI thread through `deliver`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from queue_engine.client import LoketClient
from queue_engine.mqtt import Broker
from staff_terminal.desk import DeskConfig
from staff_terminal.presenter import StaffPresenter
from staff_terminal.runner import Deliver, ThreadRunner


def utc_now() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


@dataclass
class Staff:
    """A wired terminal: its presenter, client and command runner."""

    presenter: StaffPresenter
    client: LoketClient
    runner: ThreadRunner

    def start(self) -> None:
        """Connect (in the background)."""
        self.client.start()

    def close(self) -> None:
        """Stop sending, say offline, disconnect."""
        self.runner.close()
        self.client.close()


def connect_staff(
    desk: DeskConfig,
    broker: Broker,
    deliver: Deliver,
    *,
    clock: Callable[[], datetime] = utc_now,
    language: str = "",
) -> Staff:
    """The terminal of `desk`, not started yet."""
    holder: list[StaffPresenter] = []

    def on_online(up: bool) -> None:
        deliver(lambda: holder[0].link_changed(up))

    client = LoketClient(desk.site_id, desk.device_id, broker, role="staff", on_online=on_online)
    runner = ThreadRunner(client, deliver)
    presenter = StaffPresenter(desk, runner, clock, language)
    holder.append(presenter)
    client.on_device_status(lambda status: deliver(lambda: presenter.device_status(status)))
    client.on_counter(lambda state: deliver(lambda: presenter.counter_changed(state)))
    client.on_services(lambda state: deliver(lambda: presenter.services_changed(state)))
    return Staff(presenter, client, runner)
