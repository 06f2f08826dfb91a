"""Round trips of the JSON codecs for tickets, appointments and counter states."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from queue_engine.adapters import codec
from queue_engine.domain.model import (
    Appointment,
    AppointmentStatus,
    Channel,
    CounterState,
    CounterStatus,
    PriorityClass,
    Ticket,
    TicketKind,
    TicketStatus,
    Transfer,
)

BXL = ZoneInfo("Europe/Brussels")
T0 = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # the night the clocks go forward


def _ticket(**overrides: Any) -> Ticket:
    values: dict[str, Any] = {
        "id": 7,
        "number": "A007",
        "day": date(2026, 3, 29),
        "service_id": "passport",
        "kind": TicketKind.WALK_IN,
        "priority": PriorityClass.NORMAL,
        "language": "nl",
        "channel": Channel.KIOSK,
        "status": TicketStatus.WAITING,
        "issued_at": T0,
        "queued_since": T0,
    }
    values.update(overrides)
    return Ticket(**values)


def _through_json(data: dict[str, Any]) -> dict[str, Any]:
    """What a store gets back from its text column."""
    result: dict[str, Any] = json.loads(json.dumps(data))
    return result


def test_minimal_ticket_round_trips() -> None:
    ticket = _ticket()
    assert codec.ticket_from_dict(_through_json(codec.ticket_to_dict(ticket))) == ticket


def test_full_ticket_with_transfers_round_trips() -> None:
    transfers = (
        Transfer(T0 + timedelta(minutes=5), "passport", "id_card", "c1", None, "wrong desk", "ann"),
        Transfer(T0 + timedelta(minutes=9), "id_card", "quick", None, "c3"),
    )
    ticket = _ticket(
        kind=TicketKind.APPOINTMENT,
        priority=PriorityClass.PRIORITY,
        channel=Channel.PHONE,
        status=TicketStatus.CANCELLED,
        first_called_at=T0 + timedelta(minutes=1),
        called_at=T0 + timedelta(minutes=2),
        started_at=T0 + timedelta(minutes=3),
        finished_at=T0 + timedelta(minutes=4),
        no_show_at=T0 + timedelta(minutes=6),
        held_at=T0 + timedelta(minutes=7),
        hold_until=T0 + timedelta(minutes=8),
        cancelled_at=T0 + timedelta(minutes=10),
        cancel_reason="left",
        counter_id="c3",
        target_counter_id="c3",
        recall_count=2,
        transfers=transfers,
        appointment_ids=("apt-1", "apt-2"),
        scheduled_at=T0 + timedelta(hours=1),
        visit_services=("passport", "id_card"),
        estimated_wait_s=123.456789,
        served_s=61.5,
    )
    data = _through_json(codec.ticket_to_dict(ticket))
    decoded = codec.ticket_from_dict(data)
    assert decoded == ticket
    assert decoded.transfers[0].note == "wrong desk"
    assert isinstance(decoded.transfers, tuple)
    assert isinstance(decoded.appointment_ids, tuple)


def test_encoding_uses_plain_json_values() -> None:
    data = codec.ticket_to_dict(_ticket(transfers=(Transfer(T0, "a", "b", None, None),)))
    assert data["day"] == "2026-03-29"
    assert data["issued_at"] == "2026-03-29T01:30:00+00:00"
    assert data["status"] == "waiting"
    assert type(data["status"]) is str
    assert data["transfers"] == [
        {
            "at": "2026-03-29T01:30:00+00:00",
            "from_service": "a",
            "to_service": "b",
            "from_counter": None,
            "to_counter": None,
            "note": "",
            "by": "",
        }
    ]


def test_timezone_aware_datetimes_keep_instant_and_offset() -> None:
    local = datetime(2026, 3, 29, 3, 30, tzinfo=BXL)  # just after the jump: +02:00
    ticket = _ticket(issued_at=local, queued_since=local.astimezone(timezone(timedelta(hours=-5))))
    data = codec.ticket_to_dict(ticket)
    assert data["issued_at"] == "2026-03-29T03:30:00+02:00"
    assert data["queued_since"] == "2026-03-28T20:30:00-05:00"
    decoded = codec.ticket_from_dict(_through_json(data))
    assert decoded == ticket
    assert decoded.issued_at.utcoffset() == timedelta(hours=2)


def test_dates_round_trip() -> None:
    ticket = _ticket(day=date(2024, 2, 29))
    assert codec.ticket_from_dict(codec.ticket_to_dict(ticket)).day == date(2024, 2, 29)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        codec.ticket_to_dict(_ticket(issued_at=datetime(2026, 3, 29, 9, 0)))


def test_stored_datetime_without_offset_is_refused() -> None:
    data = codec.ticket_to_dict(_ticket())
    data["issued_at"] = "2026-03-29T09:00:00"
    with pytest.raises(ValueError, match="no offset"):
        codec.ticket_from_dict(data)


def test_missing_optional_keys_take_defaults() -> None:
    data = codec.ticket_to_dict(_ticket())
    for key in ("transfers", "recall_count", "served_s", "called_at"):
        del data[key]
    assert codec.ticket_from_dict(data) == _ticket()


def test_unknown_or_missing_required_key_is_a_value_error() -> None:
    data = codec.ticket_to_dict(_ticket())
    with pytest.raises(ValueError, match="cannot decode Ticket"):
        codec.ticket_from_dict({**data, "shoe_size": 44})
    del data["number"]
    with pytest.raises(ValueError, match="cannot decode Ticket"):
        codec.ticket_from_dict(data)


@pytest.mark.parametrize(
    "appointment",
    [
        Appointment("apt-1", "AB12CD", ("passport",), T0),
        Appointment(
            "apt-2",
            "ZX9",
            ("birth", "childcare"),
            datetime(2026, 10, 25, 9, 30, tzinfo=BXL),
            duration_minutes=30,
            language="fr",
            status=AppointmentStatus.CHECKED_IN,
            initials="J.D.",
            ticket_id=12,
            checked_in_at=T0 + timedelta(days=200),
        ),
    ],
)
def test_appointment_round_trips(appointment: Appointment) -> None:
    data = _through_json(codec.appointment_to_dict(appointment))
    decoded = codec.appointment_from_dict(data)
    assert decoded == appointment
    assert decoded.start.utcoffset() == appointment.start.utcoffset()
    assert isinstance(decoded.services, tuple)


def test_ambiguous_local_time_keeps_its_instant() -> None:
    # Python never calls an ambiguous zoned time equal to one in another zone, so the
    # decoded value (fixed offset) is checked by instant; the engine stores UTC anyway.
    second_half_past_two = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BXL)
    appointment = Appointment("apt-3", "Q1", ("passport",), second_half_past_two)
    decoded = codec.appointment_from_dict(codec.appointment_to_dict(appointment))
    assert decoded.start.astimezone(UTC) == second_half_past_two.astimezone(UTC)
    assert decoded.start.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "state",
    [
        CounterState("c1"),
        CounterState("c2", CounterStatus.OPEN, 42, T0, priority_streak=1, normal_streak=2),
    ],
)
def test_counter_state_round_trips(state: CounterState) -> None:
    data = _through_json(codec.counter_state_to_dict(state))
    assert codec.counter_state_from_dict(data) == state


_aware = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
_text = st.text(max_size=12)
_transfers = st.builds(
    Transfer, _aware, _text, _text, st.none() | _text, st.none() | _text, _text, _text
)


@given(
    st.builds(
        _ticket,
        id=st.integers(1, 2**62),
        number=_text,
        day=st.dates(),
        status=st.sampled_from(TicketStatus),
        issued_at=_aware,
        queued_since=_aware,
        called_at=st.none() | _aware,
        cancel_reason=st.none() | _text,
        transfers=st.lists(_transfers, max_size=3).map(tuple),
        appointment_ids=st.lists(_text, max_size=3).map(tuple),
        estimated_wait_s=st.none() | st.floats(allow_nan=False, allow_infinity=False),
    )
)
def test_any_ticket_round_trips(ticket: Ticket) -> None:
    assert codec.ticket_from_dict(_through_json(codec.ticket_to_dict(ticket))) == ticket
