"""From an MQTT command to an engine command: parse, check the schema, check the role.

The device id comes from the topic, which the broker's ACL vouches for; the device's role
(kiosk, staff, display) and counter come from the site's configuration.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from link.protocol import messages as m
from link.protocol.replies import ErrorBody, ReplyMessage
from link.protocol.roles import ROLE_VERBS, Device, Role
from queue_engine.domain import commands as c
from queue_engine.domain.model import Channel

KIOSK_CHANNELS = frozenset({Channel.KIOSK, Channel.WEB})


class Refused(Exception):
    """A command refused before it reached the engine; becomes an error reply."""

    def __init__(self, request_id: str, code: str, message: str) -> None:
        super().__init__(message)
        self.request_id = request_id
        self.code = code
        self.message = message

    def reply(self) -> ReplyMessage[Any]:
        """The error reply."""
        body = ErrorBody(code=self.code, message=self.message)
        return ReplyMessage(request_id=self.request_id, ok=False, error=body)


def _raw_request_id(payload: bytes) -> str:
    """The request id of a payload that failed validation, if one can be found at all."""
    try:
        raw = json.loads(payload)
    except (ValueError, RecursionError):
        return ""
    rid = raw.get("request_id") if isinstance(raw, dict) else None
    if not isinstance(rid, str) or not 0 < len(rid) <= 100:
        return ""
    try:
        rid.encode("utf-8")  # a lone surrogate could not be sent back
    except UnicodeEncodeError:
        return ""
    return rid


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item["loc"]) or "payload"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def parse(device: Device | None, device_id: str, verb: str, payload: bytes) -> m.Request:
    """Validate a command's payload and the device's right to send it."""
    if len(payload) > m.MAX_PAYLOAD:
        raise Refused("", "too_large", f"payload of {len(payload)} bytes; at most {m.MAX_PAYLOAD}")
    rid = _raw_request_id(payload)
    if device is None:
        raise Refused(rid, "unknown_device", f"device {device_id!r} is not enrolled at this site")
    model = m.REQUESTS.get(verb)
    if model is None:
        known = ", ".join(sorted(m.REQUESTS))
        raise Refused(rid, "unknown_verb", f"unknown command {verb!r} (known: {known})")
    try:
        # Strict: "7", 8.0 and "off" are not the integer or boolean the schema says.
        request = model.model_validate_json(payload, strict=True)
    except ValidationError as error:
        raise Refused(rid, "invalid_request", f"{verb}: {_describe(error)}") from None
    if verb not in ROLE_VERBS.get(device.role, frozenset()):
        raise Refused(rid, "forbidden", f"a {device.role} may not {verb}")
    return request


NumberLookup = Callable[[str], int | None]


def _ticket_id(request: Any, lookup: NumberLookup) -> int | None:
    ticket_id: int | None = getattr(request, "ticket_id", None)
    number: str | None = getattr(request, "number", None)
    if ticket_id is None and number is not None:
        ticket_id = lookup(number)
        if ticket_id is None:
            raise Refused(request.request_id, "not_found", f"no active ticket {number}")
    return ticket_id


def _counter(device: Device, request: m.CounterRequest) -> str:
    """The counter a staff command is for: its own, never another's."""
    asked = request.counter_id
    if device.counter is not None and asked not in (None, device.counter):
        raise Refused(
            request.request_id,
            "forbidden",
            f"{device.id} works for counter {device.counter}, not {asked}",
        )
    counter = asked or device.counter
    if counter is None:
        raise Refused(request.request_id, "invalid_request", "counter_id is required")
    return counter


def to_command(device: Device, verb: str, request: m.Request, lookup: NumberLookup) -> c.Command:
    """The engine command for a validated request."""
    base: dict[str, Any] = {"request_id": request.request_id, "actor": device.id}
    if isinstance(request, m.IssueTicketRequest):
        return _issue(device, request, base)
    if isinstance(request, m.CheckInRequest):
        channel = Channel.KIOSK if device.role == Role.KIOSK else Channel.DESK
        return c.CheckIn(
            **base, booking_code=request.booking_code, language=request.language, channel=channel
        )
    if isinstance(request, m.LeaseNumbersRequest):
        return c.LeaseNumbers(**base, service_id=request.service_id, count=request.count)
    if isinstance(request, m.SubmitOfflineTicketRequest):
        return c.SubmitOfflineTicket(
            **base,
            service_id=request.service_id,
            number=request.number,
            issued_at=request.issued_at,
            language=request.language,
            priority=request.priority,
        )
    if isinstance(request, m.AddVisitServiceRequest):
        tid = _require_ticket(request, lookup)
        return c.AddVisitService(**base, ticket_id=tid, service_id=request.service_id)
    if isinstance(request, m.ReactivateRequest):
        return c.Reactivate(**base, ticket_id=_require_ticket(request, lookup))
    if isinstance(request, m.CancelRequest):
        return c.CancelTicket(
            **base, ticket_id=_require_ticket(request, lookup), reason=request.reason
        )
    assert isinstance(request, m.CounterRequest)
    return _counter_command(device, verb, request, lookup, base)


def _require_ticket(request: Any, lookup: NumberLookup) -> int:
    tid = _ticket_id(request, lookup)
    if tid is None:
        raise Refused(request.request_id, "invalid_request", "name the ticket: ticket_id or number")
    return tid


def _issue(device: Device, request: m.IssueTicketRequest, base: dict[str, Any]) -> c.Command:
    if device.role == Role.KIOSK and (request.channel not in KIOSK_CHANNELS or request.force):
        raise Refused(request.request_id, "forbidden", "a kiosk issues kiosk tickets only")
    channel = (
        request.channel
        if device.role == Role.KIOSK or request.channel != Channel.KIOSK
        else (Channel.DESK)
    )
    return c.IssueTicket(
        **base,
        service_id=request.service_id,
        language=request.language or device.default_language or "nl",
        channel=channel,
        priority=request.priority,
        force=request.force,
    )


_SIMPLE: dict[str, type[c.CallNext | c.Recall | c.StartService | c.Finish | c.MarkNoShow]] = {
    "call_next": c.CallNext,
    "recall": c.Recall,
    "start": c.StartService,
    "finish": c.Finish,
    "no_show": c.MarkNoShow,
}


def _counter_command(
    device: Device,
    verb: str,
    request: m.CounterRequest,
    lookup: NumberLookup,
    base: dict[str, Any],
) -> c.Command:
    if verb in _SIMPLE:
        return _SIMPLE[verb](**base, counter_id=_counter(device, request))
    if isinstance(request, m.CallTicketRequest):
        tid = _require_ticket(request, lookup)
        return c.CallTicket(**base, counter_id=_counter(device, request), ticket_id=tid)
    if isinstance(request, m.CounterStatusRequest):
        return c.SetCounterStatus(
            **base, counter_id=_counter(device, request), status=request.status
        )
    maybe_tid = _ticket_id(request, lookup)
    counter = None if maybe_tid is not None else _counter(device, request)
    if isinstance(request, m.HoldRequest):
        return c.Hold(**base, counter_id=counter, ticket_id=maybe_tid, minutes=request.minutes)
    assert isinstance(request, m.TransferRequest)
    return c.Transfer(
        **base,
        counter_id=counter,
        ticket_id=maybe_tid,
        to_service_id=request.to_service_id,
        to_counter_id=request.to_counter_id,
        note=request.note,
    )
