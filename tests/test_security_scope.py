"""A staff terminal acts only on its counter's tickets and those waiting for it (issue 13,
item 7), over a real Mosquitto and hub. Town hall: loket-3 and loket-4 serve eid,
loket-1 serves only snelbalie."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from link.client import LoketClient
from queue_engine.hub.bootstrap import HubProcess
from tests.mqtt_fixtures import started

pytestmark = pytest.mark.security

Connect = Callable[..., LoketClient]


def refused(client: LoketClient, verb: str, **fields: Any) -> str | None:
    """The error code of a request, or None when it was done."""
    reply = client.request(verb, **fields)
    return None if reply.error is None else reply.error.code


def test_a_terminal_cannot_touch_another_counters_ticket(hub: HubProcess, connect: Connect) -> None:
    kiosk = started(connect("kiosk-inkom", role="kiosk"))
    three, four, one = (started(connect(f"staff-loket-{n}", role="staff")) for n in (3, 4, 1))
    for staff in (three, four, one):
        assert staff.request("counter_status", status="open").ok
    kiosk.request("issue_ticket", service_id="eid")
    waiting = kiosk.request("issue_ticket", service_id="eid").data.ticket.id
    called = three.request("call_next").data.ticket
    assert called is not None
    at_three = called.id
    assert three.request("transfer", to_service_id="paspoort", note="tel 0470 12 34 56").ok
    assert three.request("call_ticket", ticket_id=at_three).ok  # back at loket-3, with its note

    # Another counter: neither the one next door (same services) nor one of other services.
    for other in (four, one):
        assert refused(other, "ticket_details", ticket_id=at_three) == "forbidden"
        assert refused(other, "hold", ticket_id=at_three) == "forbidden"
        assert refused(other, "cancel", ticket_id=at_three) == "forbidden"
        assert refused(other, "transfer", ticket_id=at_three, to_service_id="afval") == "forbidden"
    assert refused(one, "cancel", ticket_id=waiting) == "forbidden"  # not a service it serves
    assert refused(one, "ticket_details", ticket_id=waiting) == "forbidden"
    assert refused(four, "transfer", ticket_id=waiting, to_service_id="afval") == "forbidden"

    # Its own ticket, and one waiting for a service it serves.
    details = three.request("ticket_details", ticket_id=at_three)
    assert details.ok and details.data.ticket.id == at_three
    assert four.request("ticket_details", ticket_id=waiting).ok
    assert three.request("no_show").ok
    assert refused(one, "reactivate", ticket_id=at_three) == "forbidden"
    assert refused(four, "reactivate", ticket_id=at_three) is None  # an eid no-show back
    assert refused(four, "hold", ticket_id=waiting) is None
    assert refused(four, "cancel", ticket_id=waiting) is None
