"""Who may ask what: each device has one role, and each role a fixed set of verbs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from link.protocol import messages as m


class Role(StrEnum):
    """What a device is at its site."""

    KIOSK = "kiosk"
    STAFF = "staff"
    DISPLAY = "display"
    WEB = "web"


#: Verbs that only the live ticket page (role `web`) uses: they name tickets by token.
WEB_VERBS = frozenset({"ticket_status", "delay_request"})
#: What each role may ask. A display only listens.
ROLE_VERBS: dict[Role, frozenset[str]] = {
    Role.KIOSK: frozenset(
        {"issue_ticket", "check_in", "add_visit_service", "lease_numbers", "submit_offline_ticket"}
    ),
    Role.STAFF: frozenset(m.REQUESTS) - {"lease_numbers", "submit_offline_ticket"} - WEB_VERBS,
    Role.DISPLAY: frozenset(),
    Role.WEB: WEB_VERBS,
}


@dataclass(frozen=True)
class Device:
    """A device as the hub knows it."""

    id: str
    role: Role
    counter: str | None = None
    zone: str | None = None
    default_language: str | None = None
