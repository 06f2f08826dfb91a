"""The pairing screen's window: the presenter drawn by pairing.kv, the enrolment behind it.

Import only after `apps.ui.configure_kivy`: it creates the window.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.lang import Builder

from apps.app import LoketApp
from apps.pairing.enrolment import Enrolment
from apps.pairing.presenter import PairingPresenter
from apps.ui import on_ui
from provisioning.discovery import HubAnnouncement
from provisioning.enrol import Credentials

__all__ = ["PairingApp", "pair_in_window"]

KV = Path(__file__).with_name("pairing.kv")
#: Seconds "Paired as …" stays on screen before the app starts.
SHOW_PAIRED = 1.5


class PairingApp(LoketApp):
    """Shows the presenter while the enrolment runs; stops once paired."""

    title = "Loket: pairing"
    kind = "pairing"

    def __init__(self, presenter: PairingPresenter, enrolment: Enrolment) -> None:
        super().__init__(presenter)
        self.enrolment = enrolment
        enrolment.on_paired = lambda _creds: Clock.schedule_once(
            lambda _dt: self.stop(), SHOW_PAIRED
        )

    def build(self) -> Any:
        Builder.load_file(str(KV))
        return Factory.PairingScreen()

    def started(self) -> None:
        self.enrolment.start()

    def on_stop(self) -> None:
        self.enrolment.stop()


def pair_in_window(
    kind: str,
    data_dir: str | os.PathLike[str],
    site_id: str,
    *,
    language: str | None = None,
    hub: HubAnnouncement | None = None,
    version: str | None = None,
) -> Credentials | None:
    """Show the pairing screen until the device is approved (its credentials) or the window
    is closed (None)."""
    presenter = PairingPresenter(kind, language)
    enrolment = Enrolment(presenter, data_dir, on_ui, site=site_id, hub=hub, version=version)
    PairingApp(presenter, enrolment).run()
    return presenter.credentials
