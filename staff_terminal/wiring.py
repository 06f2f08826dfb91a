"""The terminal's connection: a client for its device, commands on a worker thread, and the
client's callbacks handed to the presenter on the UI thread through `deliver`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from apps.runner import ThreadRunner
from apps.ui import Deliver, utc_now
from link.client import LoketClient
from link.mqtt import Broker
from link.protocol import messages as m
from provisioning.devconfig import on_config
from provisioning.messages import DeviceConfigMessage
from siteconfig import SiteConfig
from staff_terminal.desk import DeskConfig, desk_config
from staff_terminal.presenter import StaffPresenter
from staff_terminal.runner import Commands

log = logging.getLogger(__name__)


@dataclass
class Staff:
    """A wired terminal: its presenter, client and command runner."""

    presenter: StaffPresenter
    client: LoketClient
    runner: Commands
    #: The last state of every counter (written on the network thread), for a move.
    counters: dict[str, m.CounterStateMessage] = field(default_factory=dict)

    def start(self) -> None:
        """Connect (in the background)."""
        self.client.start()

    def close(self) -> None:
        """Stop sending, say offline, disconnect."""
        self.runner.close()
        self.client.close()

    def move_to(self, desk: DeskConfig) -> None:
        """Work for another counter from now on (on the UI thread)."""
        self.presenter.move_to(desk)
        state = self.counters.get(desk.counter_id)
        if state is not None:
            self.presenter.counter_changed(state)


def follow_config(staff: Staff, site: SiteConfig, deliver: Deliver) -> None:
    """Apply the terminal's configuration from the hub live (an enrolled terminal; call
    before `staff.start()`): a new counter moves the terminal there."""

    def apply(config: DeviceConfigMessage) -> None:
        if config.counter:
            deliver(lambda: moved(config.counter or ""))

    def moved(counter: str) -> None:
        desk = staff.presenter.desk
        if counter == desk.counter_id:
            return
        try:
            staff.move_to(desk_config(site, counter, desk.device_id, enrolled=True))
        except ValueError as error:  # the site file does not know it (yet)
            log.warning("cannot move to counter %r: %s", counter, error)

    on_config(staff.client, apply)


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
    runner = Commands(client, ThreadRunner(deliver, name="staff-commands"))
    presenter = StaffPresenter(desk, runner, clock, language)
    holder.append(presenter)
    client.on_device_status(lambda status: deliver(lambda: presenter.device_status(status)))
    staff = Staff(presenter, client, runner)

    def counter(state: m.CounterStateMessage) -> None:
        staff.counters[state.id] = state
        deliver(lambda: presenter.counter_changed(state))

    client.on_counter(counter)
    client.on_services(lambda state: deliver(lambda: presenter.services_changed(state)))
    return staff
