"""What the pairing screen shows, in plain Python (a Kivy EventDispatcher, no window)."""

from __future__ import annotations

import socket
from enum import StrEnum

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, ListProperty, StringProperty

from i18n import LANGUAGES, N_, translator
from provisioning.enrol import Credentials, format_code

__all__ = ["PairingPresenter", "PairingState"]

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


class PairingState(StrEnum):
    """Where the pairing is."""

    SEARCHING = "searching"  # no code yet
    WAITING = "waiting"  # a code shown, waiting for the administrator
    PAIRED = "paired"
    FAILED = "failed"  # shown, then tried again


NO_CODE = "··· ···"


class PairingPresenter(EventDispatcher):  # type: ignore[misc]
    """What the pairing screen shows. Call every method on the UI thread.

    `language` None: every line in nl, fr, en and de (the site's language is unknown)."""

    #: A PairingState (a str, so kv can bind to it).
    state = StringProperty(PairingState.SEARCHING)
    #: The code as shown ('482 913'), or '' before the hub answered.
    code = StringProperty("")
    has_code = BooleanProperty(False)
    #: The code, or a placeholder before the hub answered.
    code_text = StringProperty(NO_CODE)
    #: One line per language: "Pair this terminal: code 482 913 — ask your administrator …".
    lines = ListProperty()
    #: The lines, one below the other.
    lines_text = StringProperty("")
    one_language = BooleanProperty(False)
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
        self._status_key = PairingState.SEARCHING.value
        self._status_fields: dict[str, str] = {}
        self._refresh()

    def show_code(self, code: str) -> None:
        """The hub gave a (new) pairing code."""
        self.raw_code = code
        self.state = PairingState.WAITING
        self._status(PairingState.WAITING)

    def paired(self, creds: Credentials) -> None:
        """The administrator approved: credentials are stored."""
        self.credentials = creds
        self.state = PairingState.PAIRED
        self._status(PairingState.PAIRED, name=creds.name)

    def failed(self, error: str) -> None:
        """Something went wrong; the enrolment tries again."""
        self.state = PairingState.FAILED
        self._status(PairingState.FAILED, error=error)

    def _status(self, key: str, **fields: str) -> None:
        self._status_key, self._status_fields = key, fields
        self._refresh()

    def _refresh(self) -> None:
        code = format_code(self.raw_code) if self.raw_code else ""
        self.code = code
        self.has_code = bool(code)
        self.code_text = code or NO_CODE
        lines = []
        for language in self.languages:
            line = translator(language).text(_PAIR[self.kind])
            if code:
                colon = " : " if language == "fr" else ": "  # French puts a space before
                line += f"{colon}{_text('code', language)} {code}"
            lines.append(f"{line} — {_text('ask', language)}")
        self.lines = lines
        self.lines_text = "\n".join(lines)
        self.one_language = len(lines) == 1
        digits = self.raw_code or "……"
        self.command = (
            f'loket devices approve {digits} --role {self.kind} --name "…"{_PLACEMENT[self.kind]}'
        )
        self.status = "  ·  ".join(
            _text(self._status_key, language).format(**self._status_fields)
            for language in self.languages
        )
