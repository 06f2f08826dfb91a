"""The hub's answers, one pydantic model per verb, inside one generic envelope.

    reply = ReplyMessage[TicketReply].model_validate_json(payload)
    reply.data.ticket.number if reply.ok else reply.error.code

Every model refuses unknown fields, so the published JSON Schemas are closed. Times are
ISO 8601 with an offset. `REPLIES` names the data model of each verb, beside `REQUESTS`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from link.protocol import office_replies
from link.protocol.base import ReplyData
from link.protocol.messages import Message, Token
from queue_engine.domain.errors import CheckInReason, Unavailability
from queue_engine.domain.model import (
    Channel,
    CounterStatus,
    PriorityClass,
    TicketKind,
    TicketStatus,
)


class TicketView(ReplyData):
    """A ticket as the asking device sees it: number, service, status, place, counter."""

    id: int
    number: str
    service_id: str
    service_name: str
    status: TicketStatus
    kind: TicketKind
    priority: PriorityClass
    language: str
    channel: Channel
    issued_at: AwareDatetime
    queued_since: AwareDatetime
    scheduled_at: AwareDatetime | None = None
    called_at: AwareDatetime | None = None
    recall_count: int = 0
    counter_id: str | None = None
    counter_name: str | None = None
    target_counter_id: str | None = None
    visit_services: list[str] = Field(default_factory=list)
    transfers: int = 0
    #: For the counters that receive the ticket; replies go to the asking device only.
    transfer_notes: list[str] = Field(default_factory=list)
    position: int | None = None
    expected_wait_s: int | None = None
    #: The key of the ticket's live page.
    token: str | None = None


class TicketReply(ReplyData):
    """The ticket as the command left it."""

    ticket: TicketView


class Documents(ReplyData):
    """The documents to bring for one service, in the visitor's language."""

    service_id: str
    service_name: str
    items: list[str]


class Offer(ReplyData):
    """A related service offered at check-in (nudging)."""

    service_id: str
    service_name: str
    because_of: str


class AppointmentSlot(ReplyData):
    """One appointment covered by a check-in."""

    start: AwareDatetime
    services: list[str]


class CheckInResult(ReplyData):
    """A check-in: the visit's one ticket, its appointments, documents and offers."""

    ticket: TicketView
    already_checked_in: bool = False
    appointments: list[AppointmentSlot] = Field(default_factory=list)
    documents: list[Documents] = Field(default_factory=list)
    offers: list[Offer] = Field(default_factory=list)


class CallResult(ReplyData):
    """call_next: the called ticket and why it was chosen, or nobody and why not."""

    ticket: TicketView | None = None
    tier: str | None = None
    message: str | None = None


class CounterStatusResult(ReplyData):
    """The counter's status after counter_status."""

    counter_id: str
    status: CounterStatus


class LeaseResult(ReplyData):
    """Numbers a kiosk may issue while the hub is away, until `expires_at`."""

    lease_id: str
    service_id: str
    prefix: str
    day: date
    numbers: list[str]
    expires_at: AwareDatetime


class TicketDetails(TicketView):
    """Staff's full view of a ticket: its documents and how long it waited."""

    documents: list[Documents] = Field(default_factory=list)
    waited_s: int | None = None


class TicketDetailsResult(ReplyData):
    """ticket_details: one ticket in full."""

    ticket: TicketDetails


Expired = Literal["done", "cancelled", "no_show", "other_day"]


class LiveTicket(ReplyData):
    """What the live page may show of a ticket: where it stands, nothing about who holds it."""

    number: str
    service_id: str
    status: TicketStatus
    kind: TicketKind
    language: str
    day: date
    position: int | None = None
    expected_wait_s: int | None = None
    counter_id: str | None = None
    counter_name: str | None = None
    zone: str | None = None
    called_at: AwareDatetime | None = None
    recall_count: int = 0
    hold_until: AwareDatetime | None = None
    scheduled_at: AwareDatetime | None = None
    #: Why the page shows the ticket as over; None while it is live.
    expired: Expired | None = None


class UnknownTicket(ReplyData):
    """A token the hub does not know (today)."""

    expired: Literal["unknown"] = "unknown"


class TicketStatusResult(ReplyData):
    """ticket_status: each token asked, mapped to its ticket or to unknown."""

    tickets: Annotated[
        dict[Token, LiveTicket | UnknownTicket],
        Field(json_schema_extra={"additionalProperties": False}),
    ]


class ImportCounts(ReplyData):
    """Appointments imported (new) and updated."""

    imported: int
    updated: int


class TickResult(ReplyData):
    """What the hub's periodic tick did."""

    day_closed: int = 0
    auto_no_show: int = 0
    released: int = 0
    appointments_missed: int = 0


#: Every verb and the data its reply carries when it worked.
REPLIES: dict[str, type[ReplyData]] = {
    "issue_ticket": TicketReply,
    "check_in": CheckInResult,
    "add_visit_service": TicketReply,
    "call_next": CallResult,
    "call_ticket": TicketReply,
    "recall": TicketReply,
    "start": TicketReply,
    "finish": TicketReply,
    "no_show": TicketReply,
    "reactivate": TicketReply,
    "hold": TicketReply,
    "transfer": TicketReply,
    "cancel": TicketReply,
    "counter_status": CounterStatusResult,
    "ticket_details": TicketDetailsResult,
    "lease_numbers": LeaseResult,
    "submit_offline_ticket": TicketReply,
    "ticket_status": TicketStatusResult,
    "delay_request": TicketReply,
    "office_cancel": TicketReply,
    "office_transfer": TicketReply,
    **office_replies.REPLIES,
}

#: A scalar in an error's details (a reason, a time, a number).
Detail = str | int | float | bool | None


class NotAvailableDetails(BaseModel):
    """A `not_available` refusal: why the service gives no ticket now, and when it will."""

    model_config = ConfigDict(frozen=True)
    reason: Unavailability
    next_available: AwareDatetime | None = None


class CheckInRefusalDetails(BaseModel):
    """A `check_in_refused` refusal: why the code cannot be checked in, and its time."""

    model_config = ConfigDict(frozen=True)
    reason: CheckInReason
    when: AwareDatetime | None = None


_Details = TypeVar("_Details", NotAvailableDetails, CheckInRefusalDetails)


class ErrorBody(BaseModel):
    """Why a command was refused: a stable code and a message for people."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str
    message: str
    details: dict[str, Detail] = Field(default_factory=dict)

    def not_available(self) -> NotAvailableDetails | None:
        """The details of a `not_available` refusal; None for any other (or garbled) one."""
        return self._details("not_available", NotAvailableDetails)

    def check_in_refusal(self) -> CheckInRefusalDetails | None:
        """The details of a `check_in_refused` refusal; None for any other (or garbled) one."""
        return self._details("check_in_refused", CheckInRefusalDetails)

    def _details(self, code: str, model: type[_Details]) -> _Details | None:
        if self.code != code:
            return None
        try:
            return model.model_validate(self.details)
        except ValidationError:
            return None


D = TypeVar("D", bound=ReplyData)


class RefusedReply(Exception):
    """The hub refused the command whose result was asked for."""

    def __init__(self, error: ErrorBody | None) -> None:
        super().__init__(f"{error.code}: {error.message}" if error else "refused")
        self.error = error


class ReplyMessage(Message, Generic[D]):
    """The hub's answer to one request: `data` when it worked, `error` when not."""

    request_id: str
    ok: bool
    data: D | None = None
    error: ErrorBody | None = None

    @property
    def result(self) -> D:
        """The data of a reply that worked; RefusedReply (with the error) if it was refused."""
        if self.data is None:
            raise RefusedReply(self.error)
        return self.data

    @model_validator(mode="before")
    @classmethod
    def _no_data_when_refused(cls, raw: Any) -> Any:
        """Replies stored by older hubs sent `"data": {}` with an error; that means none."""
        if isinstance(raw, dict) and raw.get("ok") is False and raw.get("data") == {}:
            return {**raw, "data": None}
        return raw


def reply_schema(verb: str) -> dict[str, Any]:
    """The JSON Schema of the reply to `verb`."""
    model: type[BaseModel] = ReplyMessage[REPLIES[verb]]  # type: ignore[valid-type]
    return model.model_json_schema()


__all__ = [
    "REPLIES",
    "AppointmentSlot",
    "CallResult",
    "CheckInRefusalDetails",
    "CheckInResult",
    "CounterStatusResult",
    "Detail",
    "Documents",
    "ErrorBody",
    "Expired",
    "ImportCounts",
    "LeaseResult",
    "LiveTicket",
    "NotAvailableDetails",
    "Offer",
    "RefusedReply",
    "ReplyData",
    "ReplyMessage",
    "TickResult",
    "TicketDetails",
    "TicketDetailsResult",
    "TicketReply",
    "TicketStatusResult",
    "TicketView",
    "UnknownTicket",
    "reply_schema",
]
