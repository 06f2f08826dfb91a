"""Pairing an unprovisioned device (`loket staff|display|kiosk --enrol`): the enrolment
thread, the stored credentials' checks, and the restart into the app once paired.

    creds = enrolled("staff", data_dir, site)              # stored credentials (checked), or None
    creds = enrol_or_restart("staff", data_dir, site)      # the pairing window, then a restart

`Enrolment` runs `provisioning.enrol.obtain_credentials` on a thread and hands the codes and
the outcome to the presenter on the UI thread through `deliver` (`apps.ui.on_ui`).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apps import ui
from apps.ui import Deliver
from provisioning.discovery import HubAnnouncement
from provisioning.enrol import (
    CREDENTIALS,
    Credentials,
    EnrolmentFailed,
    load_credentials,
    obtain_credentials,
)

if TYPE_CHECKING:
    from apps.pairing.presenter import PairingPresenter

__all__ = [
    "EnrolMode",
    "Enrolment",
    "check_credentials",
    "enrol_mode",
    "enrol_or_restart",
    "enrolled",
    "hub_announcement",
    "installed_version",
    "restart",
]

log = logging.getLogger(__name__)


class Enrolment:
    """`obtain_credentials` on a thread: codes and the outcome go to the presenter.

    Failures other than being stopped are shown and retried after `retry` seconds, so an
    unattended device keeps trying until it is paired."""

    def __init__(
        self,
        presenter: PairingPresenter,
        data_dir: str | os.PathLike[str],
        deliver: Deliver,
        on_paired: Callable[[Credentials], None] = lambda _creds: None,
        *,
        site: str | None = None,
        hub: HubAnnouncement | None = None,
        interfaces: Sequence[str] | None = None,
        version: str | None = None,
        poll: float = 2.0,
        retry: float = 5.0,
        obtain: Callable[..., Credentials] = obtain_credentials,
    ) -> None:
        self.presenter = presenter
        self.data_dir = data_dir
        self.deliver = deliver
        self.on_paired = on_paired
        self.options: dict[str, Any] = {
            "site": site,
            "hub": hub,
            "interfaces": interfaces,
            "version": version,
            "poll": poll,
        }
        self.retry = retry
        self.obtain = obtain
        self.stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pairing", daemon=True)

    def start(self) -> None:
        """Begin (in the background)."""
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop looking and waiting (the code on screen dies with it)."""
        self.stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        p = self.presenter
        while not self.stopped.is_set():
            try:
                creds = self.obtain(
                    p.kind,
                    self.data_dir,
                    lambda code: self.deliver(lambda: p.show_code(code)),
                    stop=self.stopped,
                    **self.options,
                )
            except EnrolmentFailed as error:
                if self.stopped.is_set():
                    return
                self._trouble(str(error))
            except Exception as error:  # an unattended device keeps trying
                log.exception("pairing failed")
                self._trouble(str(error) or type(error).__name__)
            else:
                self.deliver(lambda creds=creds: self._paired(creds))  # type: ignore[misc]
                return

    def _trouble(self, error: str) -> None:
        self.deliver(lambda: self.presenter.failed(error))
        self.stopped.wait(self.retry)

    def _paired(self, creds: Credentials) -> None:
        self.presenter.paired(creds)
        self.on_paired(creds)


def check_credentials(
    creds: Credentials, kind: str, site_id: str, data_dir: str | os.PathLike[str]
) -> Credentials:
    """`creds` if they are for a `kind` of site `site_id`; ValueError that says what to do."""
    where = Path(data_dir) / CREDENTIALS
    if creds.site != site_id:
        raise ValueError(
            f"the credentials in {where} are for site {creds.site!r}, but the site file is "
            f"site {site_id!r}: use site {creds.site!r}'s file, or delete {where} to pair "
            "this device again"
        )
    if creds.role != kind:
        raise ValueError(
            f"the credentials in {where} are for a {creds.role}, not a {kind}: run "
            f"`loket {creds.role}`, or delete {where} to pair this device again"
        )
    if kind == "staff" and not creds.counter:
        raise ValueError(f"the credentials in {where} name no counter; approve it again")
    return creds


def enrolled(kind: str, data_dir: str | os.PathLike[str], site_id: str) -> Credentials | None:
    """The stored, checked credentials, or None when the device is not paired yet."""
    creds = load_credentials(data_dir)
    return None if creds is None else check_credentials(creds, kind, site_id, data_dir)


def hub_announcement(url: str | None, site_id: str) -> HubAnnouncement | None:
    """`--hub URL`: the hub to pair with, without zeroconf."""
    if not url:
        return None
    return HubAnnouncement(site_id, url, tls=url.startswith("mqtts"))


def restart() -> None:
    """Start this command again in this process (a fresh window, now with credentials)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "loket.cli", *sys.argv[1:]])


def installed_version() -> str | None:
    """Loket's version as installed (shown by `loket devices list`)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("loket")
    except PackageNotFoundError:
        return None


def enrol_or_restart(
    kind: str,
    data_dir: str | os.PathLike[str],
    site_id: str,
    *,
    language: str | None = None,
    hub_url: str | None = None,
) -> Credentials | None:
    """`--enrol`: the stored credentials (checked against the site), or the pairing screen
    until an administrator approves, then this command again (`restart`, never returns) so
    the app starts in a fresh window. None when the pairing window was closed.
    ValueError: the stored credentials are for another site or role."""
    creds = enrolled(kind, data_dir, site_id)
    if creds is not None:
        return creds
    from apps.pairing.window import pair_in_window  # Kivy: only to show the window

    hub = hub_announcement(hub_url, site_id)
    got = pair_in_window(
        kind, data_dir, site_id, language=language, hub=hub, version=installed_version()
    )
    if got is None:
        return None
    check_credentials(got, kind, site_id, data_dir)
    log.info("paired as %s (%s); starting the %s app", got.device_id, got.name, kind)
    restart()
    return got  # pragma: no cover - restart replaces the process


@dataclass(frozen=True)
class EnrolMode:
    """`--enrol`: where the credentials are, and how to find the hub."""

    kind: str
    data_dir: Path
    hub_url: str | None = None

    def stored(self, site_id: str) -> Credentials | None:
        """The stored credentials, checked against the site (ValueError), or None."""
        return enrolled(self.kind, self.data_dir, site_id)

    def pair(self, site_id: str, language: str | None) -> Credentials | None:
        """The pairing window, then a restart; None if it was closed (see
        `enrol_or_restart`). Call after `configure_kivy`."""
        return enrol_or_restart(
            self.kind, self.data_dir, site_id, language=language, hub_url=self.hub_url
        )


def enrol_mode(args: argparse.Namespace, kind: str, *id_options: str) -> EnrolMode | None:
    """The `--enrol` mode asked for, or None for a device named on the command line
    (`id_options[0]` is then required); ValueError for options that do not go together."""
    given = [o for o in id_options if getattr(args, o.lstrip("-").replace("-", "_"), None)]
    if not args.enrol:
        extra = [o for o in ("--data", "--hub") if getattr(args, o[2:], None)]
        if extra:
            raise ValueError(f"{' and '.join(extra)} go with --enrol")
        if id_options[0] not in given:
            raise ValueError(
                f"give {id_options[0]} ID (a device of the site file) or --enrol (pair "
                "this device with the hub)"
            )
        return None
    if given:
        raise ValueError(
            f"--enrol takes the device's identity from the hub; leave out {', '.join(given)}"
        )
    return EnrolMode(kind, args.data or ui.data_dir(kind), args.hub)
