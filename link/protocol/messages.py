"""The payload of every MQTT message, as pydantic models; `v` is the schema version.

Commands carry their `request_id` in the payload (so requests work on MQTT 3.1.1 too);
on MQTT 5 the hub also echoes the correlation data. Payloads are JSON objects of at most
MAX_PAYLOAD bytes. Nothing here carries a name: tickets are numbers, devices are ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from link.protocol import office
from link.protocol.base import (
    MAX_PAYLOAD,
    MAX_STATUS_TOKENS,
    SCHEMA_VERSION,
    Id,
    Language,
    Message,
    Request,
    RequestId,
    TicketNumber,
    Token,
)
from queue_engine.domain.errors import Unavailability
from queue_engine.domain.model import (
    CancelReason,
    Channel,
    CounterStatus,
    PriorityClass,
    TicketStatus,
)

# --- commands (cmd/<device>/<verb>) ------------------------------------------------------


class IssueTicketRequest(Request):
    """A walk-in ticket (kiosk), or one issued by staff at the desk or for a phone call."""

    service_id: Id
    language: Language | None = None
    channel: Channel = Channel.KIOSK
    priority: PriorityClass = PriorityClass.NORMAL
    force: bool = False


class CheckInRequest(Request):
    """Check in with a booking code (typed or scanned)."""

    booking_code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    language: Language | None = None


class TicketRef(Request):
    """A command about one ticket, by id or by its number (e.g. "P012")."""

    ticket_id: int | None = None
    number: TicketNumber | None = None


class AddVisitServiceRequest(TicketRef):
    """The visitor accepted a related service (nudging)."""

    service_id: Id


class CounterRequest(Request):
    """A command for a counter; a staff terminal may omit its own counter."""

    counter_id: Id | None = None


class CallTicketRequest(CounterRequest):
    """Call one particular ticket."""

    ticket_id: int | None = None
    number: TicketNumber | None = None


class ReactivateRequest(TicketRef):
    """A no-show who turned up, or a held ticket, back to its place."""


class HoldRequest(CounterRequest):
    """Put the counter's ticket (or a given one) aside."""

    ticket_id: int | None = None
    number: TicketNumber | None = None
    minutes: Annotated[int, Field(ge=1, le=1440)] | None = None


class TransferRequest(CounterRequest):
    """Send the counter's ticket (or a given one) to another service or counter."""

    ticket_id: int | None = None
    number: TicketNumber | None = None
    to_service_id: Id | None = None
    to_counter_id: Id | None = None
    note: Annotated[str, StringConstraints(max_length=500)] = ""


class CancelRequest(TicketRef):
    """Withdraw a ticket."""

    reason: CancelReason = CancelReason.WITHDRAWN


class CounterStatusRequest(CounterRequest):
    """Open, pause or close the counter."""

    status: CounterStatus


class LeaseNumbersRequest(Request):
    """A kiosk reserves numbers so it can go on issuing tickets if the hub goes away."""

    service_id: Id
    count: Annotated[int, Field(ge=1, le=50)] = 10


class SubmitOfflineTicketRequest(Request):
    """A ticket the kiosk issued from its lease while offline, handed in with its real time."""

    service_id: Id
    number: TicketNumber
    issued_at: AwareDatetime
    language: Language = "nl"
    priority: PriorityClass = PriorityClass.NORMAL


class TicketStatusRequest(Request):
    """The live ticket page asks how tickets stand, by their tokens (read-only, not stored)."""

    tokens: Annotated[list[Token], Field(min_length=1, max_length=MAX_STATUS_TOKENS)]


class DelayRequest(Request):
    """A visitor asks on the live page to be called later: the waiting ticket is held."""

    token: Token
    minutes: Annotated[int, Field(ge=1, le=60)] = 10


class TicketDetailsRequest(CounterRequest):
    """Staff: the full view of the counter's ticket (or a given one), with transfer notes.

    Read-only: the hub answers from memory and stores nothing."""

    ticket_id: int | None = None
    number: TicketNumber | None = None


#: Every verb and the payload it takes.
REQUESTS: dict[str, type[Request]] = {
    "issue_ticket": IssueTicketRequest,
    "check_in": CheckInRequest,
    "add_visit_service": AddVisitServiceRequest,
    "call_next": CounterRequest,
    "call_ticket": CallTicketRequest,
    "recall": CounterRequest,
    "start": CounterRequest,
    "finish": CounterRequest,
    "no_show": CounterRequest,
    "reactivate": ReactivateRequest,
    "hold": HoldRequest,
    "transfer": TransferRequest,
    "cancel": CancelRequest,
    "counter_status": CounterStatusRequest,
    "ticket_details": TicketDetailsRequest,
    "lease_numbers": LeaseNumbersRequest,
    "submit_offline_ticket": SubmitOfflineTicketRequest,
    "ticket_status": TicketStatusRequest,
    "delay_request": DelayRequest,
    **office.REQUESTS,
}


# --- state (retained) and events ---------------------------------------------------------


class ServiceState(BaseModel):
    """One service as the kiosk and displays see it."""

    id: str
    names: dict[str, str]
    prefix: str
    quick: bool
    walk_in: bool
    waiting: int
    waiting_priority: int
    longest_wait_s: int
    expected_wait_s: int
    available: bool
    reason: Unavailability | None = None
    next_available: datetime | None = None
    #: The front office's message while walk-ins are paused, per language (else empty).
    notice: dict[str, str] = Field(default_factory=dict)


class ServicesState(Message):
    """state/services: every service, republished when something changes."""

    at: datetime
    services: list[ServiceState]


class CounterFigures(BaseModel):
    """A counter's figures of the local day (no personal data)."""

    called: int
    served: int
    no_shows: int
    transferred_out: int
    service_time_mean_s: int | None = None
    service_time_median_s: int | None = None


class CounterStateMessage(Message):
    """state/counters/<id>: a counter's status and the number it serves."""

    at: datetime
    id: str
    name: str
    zone: str | None = None
    status: CounterStatus
    ticket: str | None = None
    ticket_status: TicketStatus | None = None
    services: list[str] = Field(default_factory=list)
    figures: CounterFigures | None = None


class Call(BaseModel):
    """One call of a ticket to a counter: number and counter only."""

    ticket_id: int
    number: str
    service_id: str
    counter_id: str
    counter_name: str
    zone: str | None = None
    language: str
    at: datetime
    recall: int = 0


class CallsState(Message):
    """state/calls: the last calls, newest first, for displays that (re)connect."""

    at: datetime
    calls: list[Call]


class CalledEvent(Message):
    """events/called: one call (or recall), for the chime and the announcement."""

    call: Call


class EventLogEntry(Message):
    """events/log: one committed event of the anonymous event log, for central KPIs.

    `seq` grows with every event of a site (also across hub restarts), so a collector
    keeps (site, seq) once; `event` holds the event's fields as the site's log stores them.
    """

    site: Id
    seq: Annotated[int, Field(ge=0)]
    type: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9]{0,63}$")]
    event: dict[str, Any]


class DeviceStatus(Message):
    """devices/<id>/status: presence (retained; the last will says offline)."""

    device: str
    online: bool
    at: datetime | None = None
    role: str | None = None
    version: str | None = None
    printer: str | None = None
    detail: str | None = None
    #: Kiosks: when a visitor pressed "Ask for help" (until the help screen is closed).
    help_since: AwareDatetime | None = None
    #: Kiosks: tickets issued offline and not handed in to the hub yet.
    offline_tickets: Annotated[int, Field(ge=0)] | None = None


#: Every message but the replies (see replies.REPLIES), for the schema documentation.
MESSAGES: dict[str, type[BaseModel]] = {
    **{f"cmd-{verb}": model for verb, model in REQUESTS.items()},
    "state-services": ServicesState,
    "state-counter": CounterStateMessage,
    "state-calls": CallsState,
    "event-called": CalledEvent,
    "event-log": EventLogEntry,
    "device-status": DeviceStatus,
    **office.MESSAGES,
}

__all__ = [
    "MAX_PAYLOAD",
    "MAX_STATUS_TOKENS",
    "MESSAGES",
    "REQUESTS",
    "SCHEMA_VERSION",
    "Id",
    "Language",
    "Message",
    "Request",
    "RequestId",
    "TicketNumber",
    "Token",
]
