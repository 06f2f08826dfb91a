"""Payloads of enrolment, administration and device configuration (pydantic, versioned)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from link.protocol.messages import Id, Language
from link.protocol.roles import Role

#: The roles a device is enrolled with (`web`, the live page, is the hub's own device).
DeviceRole = Literal[Role.KIOSK, Role.STAFF, Role.DISPLAY]
ROLES: tuple[DeviceRole, ...] = (Role.KIOSK, Role.STAFF, Role.DISPLAY)
#: 16 random bytes as hex: the enrolment's id, also the MQTT client id's tail.
Nonce = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
B64 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/=]{1,8192}$")]
Short = Annotated[str, StringConstraints(max_length=100)]
#: Largest enrolment or admin payload the hub reads.
MAX_PAYLOAD = 16 * 1024


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    v: Literal[1] = 1


class EnrolRequest(_Message):
    """enrol/request/<client>: a device asks to be enrolled, confirms, or acknowledges.

    `pake` is the device's SPAKE2 message, made with the pairing code: the code never
    crosses the network, and nothing sent lets anyone test a guess of it offline. `proof`
    answers the hub's proof ("confirm") or shows the bundle arrived ("ack").
    """

    type: Literal["request", "confirm", "ack"] = "request"
    nonce: Nonce
    kind: DeviceRole
    pake: B64
    hostname: Short | None = None
    version: Short | None = None
    proof: B64 | None = None


class EnrolReply(_Message):
    """enrol/reply/<client>: pending; confirm (the hub's SPAKE2 message and its proof that
    it knows the code); approved (the sealed bundle); or refused."""

    nonce: Nonce
    status: Literal["pending", "confirm", "approved", "refused"]
    expires_in: int | None = None
    reason: Short | None = None
    pake: B64 | None = None
    proof: B64 | None = None
    iv: B64 | None = None
    ciphertext: B64 | None = None


class Bundle(_Message):
    """What an approved device receives, sealed: who it is and how to reach the broker."""

    site: Id
    device_id: Id
    role: DeviceRole
    name: str
    counter: Id | None = None
    zone: Id | None = None
    broker: str | None = None
    """The URL to use; None: the one the device found the hub at."""
    username: str
    password: str = Field(repr=False)
    ca_pem: str | None = None


class AdminRequest(_Message):
    """admin/request: `loket devices approve|list|revoke|update` (and a manager screen)."""

    request_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    verb: Literal["approve", "list", "revoke", "update"]
    code: Short | None = None
    role: DeviceRole | None = None
    name: Short | None = None
    device: Short | None = None
    counter: Short | None = None
    zone: Short | None = None


class AdminError(_Message):
    """Why an admin request failed; `retry_after` in seconds when rate-limited."""

    code: str
    message: str
    retry_after: int | None = None


class AdminData(BaseModel):
    """Base of the data of each admin reply: closed and immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Approved(AdminData):
    """approve: the device now enrolled, and where it works."""

    device: str
    role: DeviceRole
    name: str
    counter: str | None = None
    zone: str | None = None


class Updated(AdminData):
    """update: the device's name and place now."""

    device: str
    name: str
    counter: str | None = None
    zone: str | None = None


class Revoked(AdminData):
    """revoke: the device whose credentials were removed; `reloaded`: whether the hub
    reloaded the broker (else `loket-broker-reload.path` must, before the device is dropped)."""

    device: str
    reloaded: bool


DeviceState = Literal["enrolled", "not enrolled", "revoked"]


class DeviceRow(AdminData):
    """One device in the listing, with its presence."""

    id: str
    role: Role
    name: str
    counter: str | None = None
    zone: str | None = None
    state: DeviceState
    online: bool = False
    last_seen: datetime | None = None
    version: str | None = None
    printer: str | None = None
    #: Kiosks: since when a visitor asks for help (None: nobody asks).
    help_since: datetime | None = None
    offline_tickets: int = 0


class PendingRow(AdminData):
    """A device waiting for approval (shown by its pairing code, never listed by it)."""

    kind: DeviceRole
    hostname: str | None = None
    version: str | None = None
    waiting_s: int
    expires_in: int


class Listing(AdminData):
    """list: every device, and the requests waiting for approval."""

    devices: list[DeviceRow]
    pending: list[PendingRow]


#: The data model of each admin verb's reply.
ADMIN_REPLIES: dict[str, type[AdminData]] = {
    "approve": Approved,
    "list": Listing,
    "revoke": Revoked,
    "update": Updated,
}
A = TypeVar("A", bound=AdminData)


class AdminReply(_Message, Generic[A]):
    """admin/reply: the answer to one admin request."""

    request_id: str
    ok: bool
    data: A | None = None
    error: AdminError | None = None


class DeviceConfigMessage(_Message):
    """devices/<id>/config (retained, readable by that device only): its configuration."""

    site: Id
    device: Id
    role: Role
    name: str
    counter: Id | None = None
    zone: Id | None = None
    languages: list[Language] | None = None
    printer: str | None = None
    printer_profile: str | None = None
    mode: str | None = None
    large_text: bool = False
    high_contrast: bool = False
    revision: int = 0
    updated_at: datetime | None = None
