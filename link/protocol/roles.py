"""Who may ask what: each device has one role, and each role a fixed set of verbs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from link.protocol import messages as m
from link.protocol.office import OFFICE_VERBS


class Role(StrEnum):
    """What a device is at its site."""

    KIOSK = "kiosk"
    STAFF = "staff"
    DISPLAY = "display"
    WEB = "web"


#: Verbs that only the live ticket page (role `web`) uses: they name tickets by token.
WEB_VERBS = frozenset({"ticket_status", "delay_request"})
#: Verbs of kiosks only.
KIOSK_VERBS = frozenset(
    {
        "issue_ticket",
        "check_in",
        "add_visit_service",
        "lease_numbers",
        "submit_offline_ticket",
        "report_print",
    }
)
#: What each role may ask. A display only listens. The web process is the live ticket
#: page and the front office (whose verbs name the person who gave them, `by`).
ROLE_VERBS: dict[Role, frozenset[str]] = {
    Role.KIOSK: KIOSK_VERBS,
    Role.STAFF: frozenset(m.REQUESTS)
    - {"lease_numbers", "submit_offline_ticket", "report_print"}
    - WEB_VERBS
    - OFFICE_VERBS,
    Role.DISPLAY: frozenset(),
    Role.WEB: WEB_VERBS | OFFICE_VERBS,
}


@dataclass(frozen=True)
class Device:
    """A device as the hub knows it."""

    id: str
    role: Role
    counter: str | None = None
    zone: str | None = None
    default_language: str | None = None
    #: Its name and place from the site file (or the registry), for alerts.
    name: str | None = None
    floor: int | None = None
    room: str | None = None
