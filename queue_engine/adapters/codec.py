"""JSON-ready dicts for the model's records, and back: what a store keeps per row.

Datetimes become ISO strings with their offset, dates ISO strings, enums their values,
tuples lists. Decoding is exact: `ticket_from_dict(ticket_to_dict(t)) == t`. A key that is
missing takes the field's default, so rows written before a field existed still load.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from queue_engine.domain.model import (
    Appointment,
    AppointmentStatus,
    Channel,
    CounterState,
    CounterStatus,
    Lease,
    PriorityClass,
    Ticket,
    TicketKind,
    TicketStatus,
    Transfer,
)

_T = TypeVar("_T")
_Decoders = Mapping[str, Callable[[Any], Any]]


def _encode(value: Any) -> Any:
    """One field value as JSON-ready data."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} cannot be stored")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _to_dict(value)
    return value


def _to_dict(record: Any) -> dict[str, Any]:
    """A dataclass instance as a dict of JSON-ready field values."""
    return {f.name: _encode(getattr(record, f.name)) for f in dataclasses.fields(record)}


def _from_dict(cls: Callable[..., _T], data: Mapping[str, Any], decoders: _Decoders) -> _T:
    """Build `cls` from `data`, decoding each known field."""
    values = {key: (decoders[key](v) if key in decoders else v) for key, v in data.items()}
    try:
        return cls(**values)
    except TypeError as exc:
        raise ValueError(f"cannot decode {getattr(cls, '__name__', cls)}: {exc}") from exc


def _datetime(text: str) -> datetime:
    """An aware datetime from ISO text."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"stored datetime {text!r} has no offset")
    return value


def _optional(decode: Callable[[Any], _T]) -> Callable[[Any], _T | None]:
    """`decode`, passing None through."""
    return lambda value: None if value is None else decode(value)


_opt_datetime = _optional(_datetime)


def _strings(values: list[str]) -> tuple[str, ...]:
    """A JSON list of strings as a tuple."""
    return tuple(values)


def transfer_to_dict(transfer: Transfer) -> dict[str, Any]:
    """A transfer as a JSON-ready dict."""
    return _to_dict(transfer)


def transfer_from_dict(data: Mapping[str, Any]) -> Transfer:
    """A transfer from `transfer_to_dict`'s output."""
    return _from_dict(Transfer, data, {"at": _datetime})


def _transfers(values: list[Mapping[str, Any]]) -> tuple[Transfer, ...]:
    """A JSON list of transfers as a tuple of Transfer."""
    return tuple(transfer_from_dict(item) for item in values)


_TICKET: _Decoders = {
    "day": date.fromisoformat,
    "kind": TicketKind,
    "priority": PriorityClass,
    "channel": Channel,
    "status": TicketStatus,
    "issued_at": _datetime,
    "queued_since": _datetime,
    "first_called_at": _opt_datetime,
    "called_at": _opt_datetime,
    "started_at": _opt_datetime,
    "finished_at": _opt_datetime,
    "no_show_at": _opt_datetime,
    "held_at": _opt_datetime,
    "hold_until": _opt_datetime,
    "cancelled_at": _opt_datetime,
    "scheduled_at": _opt_datetime,
    "transfers": _transfers,
    "appointment_ids": _strings,
    "visit_services": _strings,
}

_APPOINTMENT: _Decoders = {
    "services": _strings,
    "start": _datetime,
    "status": AppointmentStatus,
    "checked_in_at": _opt_datetime,
}

_COUNTER_STATE: _Decoders = {
    "status": CounterStatus,
    "changed_at": _opt_datetime,
}


def ticket_to_dict(ticket: Ticket) -> dict[str, Any]:
    """A ticket as a JSON-ready dict."""
    return _to_dict(ticket)


def ticket_from_dict(data: Mapping[str, Any]) -> Ticket:
    """A ticket from `ticket_to_dict`'s output."""
    return _from_dict(Ticket, data, _TICKET)


def appointment_to_dict(appointment: Appointment) -> dict[str, Any]:
    """An appointment as a JSON-ready dict."""
    return _to_dict(appointment)


def appointment_from_dict(data: Mapping[str, Any]) -> Appointment:
    """An appointment from `appointment_to_dict`'s output."""
    return _from_dict(Appointment, data, _APPOINTMENT)


def counter_state_to_dict(state: CounterState) -> dict[str, Any]:
    """A counter's state as a JSON-ready dict."""
    return _to_dict(state)


def counter_state_from_dict(data: Mapping[str, Any]) -> CounterState:
    """A counter's state from `counter_state_to_dict`'s output."""
    return _from_dict(CounterState, data, _COUNTER_STATE)


_LEASE: _Decoders = {
    "day": date.fromisoformat,
    "numbers": _strings,
    "leased_at": _datetime,
}


def lease_to_dict(lease: Lease) -> dict[str, Any]:
    """A number lease as JSON-ready data."""
    return _to_dict(lease)


def lease_from_dict(data: Mapping[str, Any]) -> Lease:
    """A number lease from `lease_to_dict` output."""
    return _from_dict(Lease, data, _LEASE)
