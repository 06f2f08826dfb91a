"""The storage port's contract, checked against MemoryStore and a real SQLite file alike."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from queue_engine.adapters.memory_store import MemoryStore
from queue_engine.adapters.sqlite_store import SqliteStore
from queue_engine.domain.events import AppointmentMissed, Event, TicketCalled, TicketIssued
from queue_engine.domain.model import (
    FINAL_STATUSES,
    Appointment,
    Channel,
    CounterState,
    CounterStatus,
    PriorityClass,
    Ticket,
    TicketKind,
    TicketStatus,
    Transfer,
)
from queue_engine.ports import Change, PurgeReport, RequestRecord, Store

BXL = ZoneInfo("Europe/Brussels")
DAY = date(2026, 3, 30)
DAY_START = datetime(2026, 3, 29, 22, 0, tzinfo=UTC)  # local midnight, CEST
DAY_END = DAY_START + timedelta(days=1)
T0 = datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


def make_ticket(ticket_id: int, **overrides: Any) -> Ticket:
    values: dict[str, Any] = {
        "id": ticket_id,
        "number": f"A{ticket_id:03d}",
        "day": DAY,
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


def make_appointment(appointment_id: str, start: datetime, code: str = "AB12") -> Appointment:
    return Appointment(appointment_id, code, ("passport",), start, initials="J.D.")


def called(at: datetime, ticket_id: int = 1) -> TicketCalled:
    return TicketCalled(at=at, ticket_id=ticket_id, service_id="passport", counter_id="c1")


def request(request_id: str, at: datetime = T0, reply: str = '{"ok":true}') -> RequestRecord:
    return RequestRecord("kiosk-1", request_id, "issue_ticket", at, reply)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    opened: Store = (
        MemoryStore() if request.param == "memory" else SqliteStore(tmp_path / "s.db", "hall")
    )
    yield opened
    opened.close()


def write(store: Store, change: Change, req: RequestRecord | None = None) -> None:
    with store.transaction() as tx:
        tx.write(change, req)


def load(store: Store, day: date = DAY) -> Any:
    with store.transaction() as tx:
        return tx.load(day, DAY_START, DAY_END)


def test_empty_store_loads_nothing(store: Store) -> None:
    snapshot = load(store)
    assert (snapshot.tickets, snapshot.appointments, snapshot.counters) == ({}, {}, {})
    assert snapshot.numbering == {}
    assert snapshot.next_ticket_id == 1


def test_only_the_first_transaction_is_stale(store: Store) -> None:
    stale = []
    for _ in range(3):
        with store.transaction() as tx:
            stale.append(tx.stale)
    assert stale == [True, False, False]


def test_load_selects_open_tickets_and_the_days_tickets(store: Store) -> None:
    yesterday = DAY - timedelta(days=1)
    old = {s: make_ticket(i, day=yesterday, status=s) for i, s in enumerate(TicketStatus, 1)}
    today = {s: make_ticket(i, status=s) for i, s in enumerate(TicketStatus, 101)}
    write(store, Change(tickets={t.id: t for t in [*old.values(), *today.values()]}))
    loaded = load(store).tickets
    expected = [t for s, t in old.items() if s not in FINAL_STATUSES] + list(today.values())
    assert list(loaded.values()) == sorted(expected, key=lambda t: t.id)
    assert list(loaded) == [t.id for t in loaded.values()]


def test_load_selects_appointments_in_the_half_open_day(store: Store) -> None:
    starts = {
        "before": DAY_START - timedelta(microseconds=1),
        "first": DAY_START,
        "late": DAY_END - timedelta(microseconds=1),
        "early": DAY_START + timedelta(hours=9),
        "next-day": DAY_END,
    }
    write(store, Change(appointments={k: make_appointment(k, v) for k, v in starts.items()}))
    assert list(load(store).appointments) == ["first", "early", "late"]


def test_load_returns_all_counters_and_the_days_numbering(store: Store) -> None:
    counters = {c: CounterState(c, CounterStatus.OPEN, None, T0) for c in ("c2", "c1")}
    numbering = {("passport", DAY): 7, ("id", DAY): 3, ("passport", DAY - timedelta(1)): 40}
    write(store, Change(counters=counters, numbering=numbering))
    snapshot = load(store)
    assert snapshot.counters == counters
    assert list(snapshot.counters) == ["c1", "c2"]
    assert snapshot.numbering == {("id", DAY): 3, ("passport", DAY): 7}


def test_records_come_back_equal(store: Store) -> None:
    transfer = Transfer(T0, "passport", "id", "c1", None, note="needs interpreter", by="staff-2")
    ticket = make_ticket(
        5,
        issued_at=T0.astimezone(BXL),
        transfers=(transfer,),
        appointment_ids=("a1",),
        estimated_wait_s=90.25,
    )
    appointment = make_appointment("a1", T0.astimezone(BXL))
    write(store, Change(tickets={5: ticket}, appointments={"a1": appointment}))
    snapshot = load(store)
    assert snapshot.tickets == {5: ticket}
    assert snapshot.appointments == {"a1": appointment}


def test_writes_upsert(store: Store) -> None:
    ticket = make_ticket(1, day=DAY - timedelta(days=1))
    write(store, Change(tickets={1: ticket}, numbering={("passport", DAY): 1}))
    done = replace(ticket, status=TicketStatus.DONE, finished_at=T0)
    write(store, Change(tickets={1: done}, numbering={("passport", DAY): 2}))
    snapshot = load(store)
    assert snapshot.tickets == {}  # final, and of another day
    assert snapshot.numbering == {("passport", DAY): 2}
    assert snapshot.next_ticket_id == 2
    assert load(store, DAY - timedelta(days=1)).tickets == {1: done}


def test_a_transaction_reads_its_own_writes(store: Store) -> None:
    with store.transaction() as tx:
        change = Change(tickets={3: make_ticket(3)}, appointments={"a": make_appointment("a", T0)})
        tx.write(change, request("r1"))
        assert tx.load(DAY, DAY_START, DAY_END).next_ticket_id == 4
        assert [a.id for a in tx.find_appointments("AB12")] == ["a"]
        assert tx.reply_for("kiosk-1", "r1") == '{"ok":true}'


def test_reply_lookup_is_idempotent(store: Store) -> None:
    with store.transaction() as tx:
        assert tx.reply_for("kiosk-1", "r1") is None
    write(store, Change(tickets={1: make_ticket(1)}), request("r1", reply='"first"'))
    write(store, Change(), request("r1", reply='"second"'))
    with store.transaction() as tx:
        assert tx.reply_for("kiosk-1", "r1") == '"first"'
        assert tx.reply_for("kiosk-2", "r1") is None
        assert tx.reply_for("kiosk-1", "r2") is None


def test_an_exception_rolls_everything_back(store: Store) -> None:
    write(store, Change(tickets={1: make_ticket(1)}))
    with pytest.raises(KeyError), store.transaction() as tx:
        tx.write(
            Change(
                tickets={1: replace(make_ticket(1), status=TicketStatus.CALLED), 2: make_ticket(2)},
                appointments={"a": make_appointment("a", T0)},
                counters={"c1": CounterState("c1", CounterStatus.OPEN)},
                numbering={("passport", DAY): 2},
                events=[called(T0)],
            ),
            request("r1"),
        )
        raise KeyError("the engine failed half-way")
    with store.transaction() as tx:
        assert tx.stale  # the engine may hold state of the failed attempt: reload
        snapshot = tx.load(DAY, DAY_START, DAY_END)
        assert snapshot.tickets == {1: make_ticket(1)}
        assert (snapshot.appointments, snapshot.counters, snapshot.numbering) == ({}, {}, {})
        assert tx.reply_for("kiosk-1", "r1") is None
        assert tx.find_appointments("AB12") == []
    assert list(store.events()) == []


def test_a_transaction_cannot_be_used_after_it_ends(store: Store) -> None:
    with store.transaction() as tx:
        pass
    with pytest.raises(RuntimeError, match="ended"):
        tx.load(DAY, DAY_START, DAY_END)
    with pytest.raises(RuntimeError, match="ended"):
        tx.write(Change(), None)


def test_transactions_do_not_nest(store: Store) -> None:
    with store.transaction(), pytest.raises(RuntimeError, match="nest"):  # noqa: SIM117
        with store.transaction():
            pass
    with store.transaction(), pytest.raises(RuntimeError, match="nest"):
        store.purge_personal_data(T0)


def test_events_come_in_write_order_filtered_on_half_open_range(store: Store) -> None:
    ten, nine, eleven = (T0.replace(hour=h) for h in (10, 9, 11))
    first: list[Event] = [called(ten, 1), called(nine, 2)]
    second: list[Event] = [AppointmentMissed(at=eleven), called(ten, 3)]
    write(store, Change(events=first))
    write(store, Change(events=second))
    assert list(store.events()) == first + second
    assert list(store.events(start=ten)) == [first[0], *second]
    assert list(store.events(end=ten)) == [first[1]]
    assert list(store.events(nine, eleven)) == [*first, second[1]]
    # Bounds in another zone mean the same instants.
    assert list(store.events(ten.astimezone(BXL), eleven.astimezone(BXL))) == [
        first[0],
        second[1],
    ]
    assert list(store.events(eleven, eleven)) == []


def test_event_log_reads_through_many_pages(store: Store) -> None:
    events = [called(T0 + timedelta(seconds=i), i) for i in range(1234)]
    write(store, Change(events=list(events)))
    assert list(store.events()) == events
    assert (
        list(store.events(T0 + timedelta(seconds=100), T0 + timedelta(seconds=1100)))
        == (events[100:1100])
    )


def test_events_keep_every_field(store: Store) -> None:
    issued = TicketIssued(
        at=T0,
        ticket_id=1,
        number="A001",
        service_id="passport",
        kind=TicketKind.APPOINTMENT,
        priority=PriorityClass.PRIORITY,
        channel=Channel.DESK,
        language="fr",
        queued_since=T0,
        estimated_wait_s=12.5,
        scheduled_at=T0 + timedelta(minutes=30),
    )
    write(store, Change(events=[issued]))
    assert list(store.events()) == [issued]


def test_find_appointments_any_day_by_start(store: Store) -> None:
    appointments = {
        "later": make_appointment("later", T0 + timedelta(days=20)),
        "b-same": make_appointment("b-same", T0),
        "a-same": make_appointment("a-same", T0),
        "past": make_appointment("past", T0 - timedelta(days=3)),
        "other": make_appointment("other", T0, code="ZZ99"),
        "blank": make_appointment("blank", T0, code=""),
    }
    write(store, Change(appointments=appointments))
    with store.transaction() as tx:
        assert [a.id for a in tx.find_appointments("AB12")] == ["past", "a-same", "b-same", "later"]
        assert tx.find_appointments("ZZ99") == [appointments["other"]]
        assert tx.find_appointments("NOPE") == []
        assert tx.find_appointments("") == []


def test_purge_clears_personal_data_before_the_cutoff(store: Store) -> None:
    cutoff = T0 - timedelta(days=30)
    old, new = cutoff - timedelta(hours=1), cutoff + timedelta(hours=1)
    note = Transfer(old, "passport", "id", "c1", "c2", note="hard of hearing", by="staff-1")
    tickets = {
        1: make_ticket(1, day=old.date(), issued_at=old, transfers=(note,)),
        2: make_ticket(2, day=old.date(), issued_at=old, appointment_ids=("old",)),
        3: make_ticket(3, issued_at=new, transfers=(note,)),
    }
    appointments = {"old": make_appointment("old", old), "new": make_appointment("new", new)}
    events: list[Event] = [called(old), called(new)]
    write(
        store, Change(tickets=tickets, appointments=appointments, events=events), request("r1", old)
    )
    write(store, Change(), request("r2", new))

    report = store.purge_personal_data(cutoff)

    assert report == PurgeReport(appointments=1, tickets=1, requests=1)
    with store.transaction() as tx:
        assert tx.stale  # the engine's snapshot may hold what was purged
        snapshot = tx.load(old.date(), old - timedelta(days=1), new + timedelta(days=1))
        (renamed,) = set(snapshot.appointments) - {"new"}  # a new random id: nothing derived
        assert renamed.startswith("apt-")
        assert snapshot.appointments[renamed] == replace(
            appointments["old"], id=renamed, booking_code="", initials=None
        )
        assert snapshot.appointments["new"] == appointments["new"]
        assert [a.id for a in tx.find_appointments("AB12")] == ["new"]
        assert snapshot.tickets[1].transfers == (replace(note, note=""),)
        assert snapshot.tickets[2] == replace(tickets[2], appointment_ids=(renamed,))
        assert snapshot.tickets[3] == tickets[3]
        assert tx.reply_for("kiosk-1", "r1") is None
        assert tx.reply_for("kiosk-1", "r2") is not None
    assert list(store.events()) == events
    assert store.purge_personal_data(cutoff) == PurgeReport(0, 0, 0)


def test_ticket_ids_are_not_reused_after_purge(store: Store) -> None:
    old = T0 - timedelta(days=60)
    done = make_ticket(9, day=old.date(), issued_at=old, status=TicketStatus.DONE)
    write(store, Change(tickets={9: done}))
    store.purge_personal_data(T0)
    snapshot = load(store)
    assert snapshot.tickets == {}
    assert snapshot.next_ticket_id == 10


def test_naive_datetimes_are_refused(store: Store) -> None:
    naive = datetime(2026, 3, 30, 9, 0)
    with pytest.raises(ValueError, match="naive"):
        list(store.events(start=naive))
    with pytest.raises(ValueError, match="naive"), store.transaction() as tx:
        tx.load(DAY, naive, naive)


def test_a_closed_store_refuses_work(store: Store) -> None:
    store.close()
    store.close()  # twice is fine
    with pytest.raises(RuntimeError, match="closed"), store.transaction():
        pass
