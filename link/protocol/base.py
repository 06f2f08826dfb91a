"""What every payload shares: the base models, the version, and the field types of ids,
languages, ticket numbers, tokens, people's account names and texts people type."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SCHEMA_VERSION: Literal[1] = 1
#: Largest payload the hub reads; larger ones are refused unread.
MAX_PAYLOAD = 64 * 1024

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
RequestId = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Language = Literal["nl", "fr", "en", "de"]
TicketNumber = Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,2}[0-9]{3}$")]
#: The key of a ticket's live page (secrets.token_urlsafe(16) makes 22 characters).
Token = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,64}$")]
#: How many tickets one ticket_status request may ask about.
MAX_STATUS_TOKENS = 200
#: A person's account name in the office (the web process checks it; the hub records it).
Person = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
#: Text a person types for others to read: one line, no control characters, no markup
#: start (`<`), and not starting with a spreadsheet formula sign.
ShortText = Annotated[
    str,
    StringConstraints(pattern=r"^[^=+@\-\x00-\x1f\x7f-\x9f<][^\x00-\x1f\x7f-\x9f<]{0,199}$"),
]
#: One text per language, at least one.
Texts = Annotated[dict[Language, ShortText], Field(min_length=1)]


class Message(BaseModel):
    """Base of every payload: strict about unknown fields, versioned."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    v: Literal[1] = SCHEMA_VERSION


class Request(Message):
    """Every command: a client-chosen id; a retry with the same id gets the first reply."""

    request_id: RequestId


class ReplyData(BaseModel):
    """Base of every reply's data: closed and immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)
