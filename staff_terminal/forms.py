"""The terminal's small forms, driven by keys: transfer, a ticket number or minutes, issue.

Each form turns keys and typed text into its state, and its state into a command
(`request()` gives the verb and fields, or the id of a message saying what is wrong).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from i18n import LANGUAGE_NAMES
from staff_terminal.desk import DeskConfig
from staff_terminal.screens import StaffScreen

#: "a12", "A 12", "id001" → "A012", "ID001".
_NUMBER = re.compile(r"^([A-Z]{1,2})\s*([0-9]{1,3})$")
MAX_NOTE = 500

Request = tuple[str, dict[str, Any]]


def ticket_number(text: str) -> str | None:
    """A typed ticket number in the hub's form, or None."""
    match = _NUMBER.match(text.strip().upper())
    return f"{match.group(1)}{int(match.group(2)):03d}" if match else None


@dataclass(frozen=True)
class Option:
    """One choice in a form's list."""

    kind: str
    id: str
    text: str


class Form:
    """Base of the forms: a list to choose from (maybe empty) and typed text."""

    kind: StaffScreen

    def __init__(self, title: str, options: list[Option] | None = None) -> None:
        self.title = title
        self.options = options or []
        self.index = 0
        self.text = ""

    def key(self, name: str) -> str | None:
        """Apply a key; 'submit', 'cancel', 'handled', or None if the form ignores it."""
        if name == "escape":
            return "cancel"
        if name == "enter":
            return "submit"
        if name in ("up", "down") and self.options:
            self.index = (self.index + (1 if name == "down" else -1)) % len(self.options)
            return "handled"
        if name == "backspace":
            self.text = self.text[:-1]
            return "handled"
        return None

    def type(self, text: str) -> None:
        """Typed characters (ignored by forms without a text field)."""

    def pick(self, index: int) -> None:
        """Choose an option (a click)."""
        if 0 <= index < len(self.options):
            self.index = index

    def request(self) -> Request | str:
        """The command, or the id of the message saying what is missing."""
        raise NotImplementedError


class TransferForm(Form):
    """To a service or another counter, with a note for the colleague."""

    kind = StaffScreen.TRANSFER

    def type(self, text: str) -> None:
        self.text = (self.text + text)[:MAX_NOTE]

    def request(self) -> Request | str:
        target = self.options[self.index]
        fields: dict[str, Any] = {"note": self.text.strip()}
        fields["to_service_id" if target.kind == "service" else "to_counter_id"] = target.id
        return "transfer", fields


class PromptForm(Form):
    """One typed value: a ticket number (call a ticket, reactivate) or minutes (hold)."""

    kind = StaffScreen.PROMPT

    def __init__(self, title: str, verb: str) -> None:
        super().__init__(title)
        self.verb = verb

    def type(self, text: str) -> None:
        allowed = "0123456789" if self.verb == "hold" else None
        kept = "".join(c for c in text.upper() if c.isalnum() and (not allowed or c in allowed))
        self.text = (self.text + kept)[:6]

    def request(self) -> Request | str:
        if self.verb == "hold":
            if not self.text:
                return "hold", {}
            value = int(self.text)
            return ("hold", {"minutes": value}) if 1 <= value <= 1440 else "bad_minutes"
        number = ticket_number(self.text)
        return (self.verb, {"number": number}) if number else "bad_number"


class IssueForm(Form):
    """A ticket at the desk or for a phone call: service, channel, priority, language."""

    kind = StaffScreen.ISSUE
    CHANNELS = ("desk", "phone")

    def __init__(self, title: str, options: list[Option], languages: tuple[str, ...]) -> None:
        super().__init__(title, options)
        self.languages = languages
        self.channel = "desk"
        self.priority = False
        self.language = languages[0]
        self.force = False

    def key(self, name: str) -> str | None:
        if name == "f2":
            self.channel = "phone" if self.channel == "desk" else "desk"
        elif name == "f3":
            self.priority = not self.priority
        elif name == "f4":
            at = self.languages.index(self.language)
            self.language = self.languages[(at + 1) % len(self.languages)]
        elif name == "f5":
            self.force = not self.force
        else:
            return super().key(name)
        return "handled"

    def settings(self, t: dict[str, str]) -> list[dict[str, str]]:
        """Its settings as buttons: 'Channel:  phone   [F2]'."""
        yes, no = t["yes"], t["no"]
        rows = [
            ("f2", "channel", t[f"channel_{self.channel}"]),
            ("f3", "priority", yes if self.priority else no),
            ("f4", "ticket_language", LANGUAGE_NAMES[self.language]),
            ("f5", "force", yes if self.force else no),
        ]
        return [
            {"key": key, "text": f"{t[label]}:  {value}   [{key.upper()}]"}
            for key, label, value in rows
        ]

    def request(self) -> Request | str:
        return "issue_ticket", {
            "service_id": self.options[self.index].id,
            "channel": self.channel,
            "priority": "priority" if self.priority else "normal",
            "language": self.language,
            "force": self.force,
        }


def transfer_form(desk: DeskConfig, here: str, t: dict[str, str], language: str) -> TransferForm:
    """Transfer a ticket of service `here`: to another service, or to another counter."""
    options = [
        Option("service", s.id, f"{t['to_service']}: {s.name(language)}")
        for s in desk.services
        if s.id != here
    ]
    options += [Option("counter", cid, f"{t['to_counter']}: {name}") for cid, name in desk.counters]
    return TransferForm(t["transfer_title"], options)


def issue_form(desk: DeskConfig, t: dict[str, str], language: str) -> IssueForm:
    """Issue a ticket for any of the site's services."""
    options = [Option("service", s.id, f"{s.prefix}  {s.name(language)}") for s in desk.services]
    return IssueForm(t["issue_title"], options, desk.languages)
