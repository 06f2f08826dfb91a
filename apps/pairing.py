"""Pairing an unprovisioned device (`loket staff|display --enrol`): its screen and its flow.

    creds = enrolled("staff", data_dir, site)          # stored credentials (checked), or None
    creds = pair_in_window("staff", data_dir, site)     # shows the code until approved

`PairingPresenter` is what the screen shows, in plain Python (a Kivy EventDispatcher, no
window); `Enrolment` runs `provisioning.enrol.obtain_credentials` on a thread and hands the
codes and the outcome to the presenter on the UI thread through `deliver`.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, ListProperty, StringProperty

from i18n import LANGUAGES, N_, translator
from provisioning.discovery import HubAnnouncement
from provisioning.enrol import (
    CREDENTIALS,
    Credentials,
    EnrolmentFailed,
    format_code,
    load_credentials,
    obtain_credentials,
)

log = logging.getLogger(__name__)

Deliver = Callable[[Callable[[], None]], None]

#: "Pair this …" per kind of device.
_PAIR = {
    "staff": N_("Pair this terminal"),
    "display": N_("Pair this display"),
    "kiosk": N_("Pair this kiosk"),
}
_TEXTS = {
    # Translators: the pairing screen shows "Pair this terminal: code 482 913"
    "code": N_("code"),
    # Translators: followed by the command the administrator types (not translated)
    "ask": N_("ask your administrator to run:"),
    "searching": N_("Looking for the Loket hub on the network…"),
    "waiting": N_("Waiting for approval…"),
    "paired": N_("Paired as {name}. Starting…"),
    "failed": N_("Pairing does not work ({error}); trying again…"),
}
#: What the administrator adds for each kind.
_PLACEMENT = {"staff": " --counter …", "display": " --zone …", "kiosk": ""}


def _text(key: str, language: str) -> str:
    return translator(language).text(_TEXTS[key])


class PairingPresenter(EventDispatcher):  # type: ignore[misc]
    """What the pairing screen shows. Call every method on the UI thread.

    `language` None: every line in nl, fr, en and de (the site's language is unknown)."""

    #: 'searching' (no code yet), 'waiting' (a code shown), 'paired', 'failed'.
    state = StringProperty("searching")
    #: The code as shown ('482 913'), or '' before the hub answered.
    code = StringProperty("")
    has_code = BooleanProperty(False)
    #: One line per language: "Pair this terminal: code 482 913 — ask your administrator …".
    lines = ListProperty()
    #: What the administrator types.
    command = StringProperty("")
    #: Searching / waiting / paired / trouble, per language, joined.
    status = StringProperty("")
    #: The device's host name (`loket devices list` shows it beside waiting requests).
    hostname = StringProperty("")

    def __init__(self, kind: str, language: str | None = None, hostname: str = "") -> None:
        super().__init__()
        if kind not in _PAIR:
            raise ValueError(f"no pairing screen for a {kind!r}")
        self.kind = kind
        self.languages: tuple[str, ...] = (language,) if language in LANGUAGES else LANGUAGES
        self.hostname = hostname or socket.gethostname()
        self.raw_code = ""
        self.credentials: Credentials | None = None
        self._status_key = "searching"
        self._status_fields: dict[str, str] = {}
        self._refresh()

    def show_code(self, code: str) -> None:
        """The hub gave a (new) pairing code."""
        self.raw_code = code
        self.state = "waiting"
        self._status("waiting")

    def paired(self, creds: Credentials) -> None:
        """The administrator approved: credentials are stored."""
        self.credentials = creds
        self.state = "paired"
        self._status("paired", name=creds.name)

    def failed(self, error: str) -> None:
        """Something went wrong; the enrolment tries again."""
        self.state = "failed"
        self._status("failed", error=error)

    def _status(self, key: str, **fields: str) -> None:
        self._status_key, self._status_fields = key, fields
        self._refresh()

    def _refresh(self) -> None:
        code = format_code(self.raw_code) if self.raw_code else ""
        self.code = code
        self.has_code = bool(code)
        lines = []
        for language in self.languages:
            line = translator(language).text(_PAIR[self.kind])
            if code:
                colon = " : " if language == "fr" else ": "  # French puts a space before
                line += f"{colon}{_text('code', language)} {code}"
            lines.append(f"{line} — {_text('ask', language)}")
        self.lines = lines
        digits = self.raw_code or "……"
        self.command = (
            f'loket devices approve {digits} --role {self.kind} --name "…"{_PLACEMENT[self.kind]}'
        )
        self.status = "  ·  ".join(
            _text(self._status_key, language).format(**self._status_fields)
            for language in self.languages
        )


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


def default_data_dir(kind: str) -> Path:
    """Where a device of `kind` keeps its credentials: ~/.local/share/loket/<kind>."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "loket" / kind


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


KV = """
<PairingLabel@Label>:
    color: 1, 1, 1, 1
    text_size: self.width, None
    size_hint_y: None
    height: self.texture_size[1]
    halign: "center"

<PairingScreen@BoxLayout>:
    orientation: "vertical"
    padding: [self.width * 0.05, self.height * 0.05]
    spacing: self.height * 0.02
    canvas.before:
        Color:
            rgba: 0.07, 0.09, 0.11, 1
        Rectangle:
            pos: self.pos
            size: self.size
    Widget:
    PairingLabel:
        text: app.presenter.code or "··· ···"
        font_size: min(root.height * 0.22, root.width * 0.16)
        bold: True
        color: (1.0, 0.80, 0.0, 1) if app.presenter.has_code else (0.75, 0.80, 0.85, 1)
    PairingLabel:
        text: "\\n".join(app.presenter.lines)
        font_size: root.height * (0.045 if len(app.presenter.lines) == 1 else 0.03)
        line_height: 1.25
    PairingLabel:
        text: app.presenter.command
        font_name: "RobotoMono-Regular"
        font_size: root.height * 0.035
        color: 1.0, 0.80, 0.0, 1
        canvas.before:
            Color:
                rgba: 0.13, 0.16, 0.20, 1
            Rectangle:
                pos: self.x - 10, self.y - 10
                size: self.width + 20, self.height + 20
    PairingLabel:
        text: app.presenter.status
        font_size: root.height * 0.028
        color: 0.75, 0.80, 0.85, 1
    PairingLabel:
        text: app.presenter.hostname
        font_size: root.height * 0.022
        color: 0.75, 0.80, 0.85, 1
    Widget:
"""


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
    is closed (None). Call after `display_board.window.configure_kivy`."""
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.lang import Builder

    from apps.script import Trace, UiScript, load_steps

    def deliver(function: Callable[[], None]) -> None:
        Clock.schedule_once(lambda _dt: function(), 0)

    presenter = PairingPresenter(kind, language)

    class PairingApp(App):  # type: ignore[misc]
        title = "Loket: pairing"

        def __init__(self) -> None:
            super().__init__()
            self.presenter = presenter
            self.enrolment = Enrolment(
                presenter,
                data_dir,
                deliver,
                self._paired,
                site=site_id,
                hub=hub,
                version=version,
            )

        def build(self) -> Any:
            Builder.load_string(KV)
            from kivy.factory import Factory

            return Factory.PairingScreen()

        def on_start(self) -> None:
            self.enrolment.start()
            Clock.schedule_once(lambda _dt: Trace.from_env().mark("ready", "pairing"), 0)
            steps = load_steps()
            if steps is not None:
                UiScript(steps, presenter, self.stop).start()

        def on_stop(self) -> None:
            self.enrolment.stop()

        def _paired(self, _creds: Credentials) -> None:
            Clock.schedule_once(lambda _dt: self.stop(), 1.5)  # "Paired as …" stays a moment

    PairingApp().run()
    return presenter.credentials


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
    return EnrolMode(kind, args.data or default_data_dir(kind), args.hub)
