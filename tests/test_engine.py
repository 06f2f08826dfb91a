"""The engine end to end on an in-memory store: commands, replies, idempotency."""

from __future__ import annotations

import pytest

from queue_engine.adapters.memory_store import MemoryStore
from queue_engine.domain import commands as c
from queue_engine.domain.events import TicketCalled, TicketIssued
from queue_engine.domain.model import CounterStatus, PriorityClass
from queue_engine.service.engine import Engine
from tests.sites import Desk, make_site


def test_issue_numbers_each_service_separately(desk: Desk) -> None:
    numbers = [desk.issue(s).number for s in ("passport", "eid", "passport", "quick")]
    assert numbers == ["P001", "E001", "P002", "Q001"]


def test_retried_request_returns_first_reply_and_changes_nothing(desk: Desk) -> None:
    first = desk.run(c.IssueTicket, request_id="kiosk-7", actor="k1", service_id="passport")
    again = desk.run(c.IssueTicket, request_id="kiosk-7", actor="k1", service_id="passport")
    assert again == first
    assert desk.issue("passport").number == "P002"


def test_same_request_id_from_another_device_is_another_request(desk: Desk) -> None:
    one = desk.run(c.IssueTicket, request_id="x", actor="k1", service_id="passport")
    two = desk.run(c.IssueTicket, request_id="x", actor="k2", service_id="passport")
    assert (one.data.ticket.number, two.data.ticket.number) == ("P001", "P002")


def test_refused_command_is_remembered_too(desk: Desk) -> None:
    first = desk.run(c.CallNext, request_id="s1", actor="c2", counter_id="c2")
    assert not first.ok and first.error_code == "invalid_transition"
    desk.open("c2")
    desk.issue("passport")
    assert desk.run(c.CallNext, request_id="s1", actor="c2", counter_id="c2") == first


def test_full_cycle_call_start_finish(desk: Desk) -> None:
    desk.open("c2")
    ticket = desk.issue("passport")
    called = desk.ok(c.CallNext, counter_id="c2").ticket
    assert called.number == ticket.number and called.counter_name == "Loket 2"
    desk.advance(1)
    assert desk.ok(c.StartService, counter_id="c2").ticket.status == "serving"
    desk.advance(8)
    done = desk.ok(c.Finish, counter_id="c2").ticket
    assert done.status == "done"
    assert desk.engine.state.counters["c2"].ticket_id is None


def test_call_next_with_nobody_waiting_is_not_an_error(desk: Desk) -> None:
    desk.open("c1")
    data = desk.ok(c.CallNext, counter_id="c1")
    assert data.ticket is None and "Loket 1" in data.message


def test_call_next_while_serving_finishes_the_current_ticket(desk: Desk) -> None:
    desk.open("c2")
    first, second = desk.issue("passport"), desk.issue("passport")
    desk.ok(c.CallNext, counter_id="c2")
    desk.ok(c.StartService, counter_id="c2")
    assert desk.ok(c.CallNext, counter_id="c2").ticket.number == second.number
    assert desk.engine.state.tickets[first.id].status.value == "done"


def test_call_next_refused_while_a_ticket_is_called_and_not_started(desk: Desk) -> None:
    desk.open("c2")
    desk.issue("passport")
    desk.issue("passport")
    desk.ok(c.CallNext, counter_id="c2")
    reply = desk.run(c.CallNext, counter_id="c2")
    assert reply.error_code == "invalid_transition"
    assert "P001" in reply.error.message and "no-show" in reply.error.message


def test_closed_or_paused_counter_cannot_call(desk: Desk) -> None:
    desk.issue("passport")
    assert "closed" in desk.run(c.CallNext, counter_id="c2").error.message
    desk.open("c2")
    desk.ok(c.SetCounterStatus, counter_id="c2", status=CounterStatus.PAUSED)
    assert "paused" in desk.run(c.CallNext, counter_id="c2").error.message


def test_counter_cannot_close_with_a_ticket(desk: Desk) -> None:
    desk.open("c2")
    desk.issue("passport")
    desk.ok(c.CallNext, counter_id="c2")
    reply = desk.run(c.SetCounterStatus, counter_id="c2", status=CounterStatus.CLOSED)
    assert reply.error_code == "invalid_transition" and "P001" in reply.error.message
    desk.ok(c.SetCounterStatus, counter_id="c2", status=CounterStatus.PAUSED)
    desk.ok(c.StartService, counter_id="c2")
    desk.ok(c.Finish, counter_id="c2")


def test_recall_no_show_and_reactivation_keep_the_place(desk: Desk) -> None:
    desk.open("c2")
    first = desk.issue("passport")
    desk.advance(1)
    desk.issue("passport")
    desk.ok(c.CallNext, counter_id="c2")
    assert desk.ok(c.Recall, counter_id="c2").ticket.recall_count == 1
    desk.ok(c.MarkNoShow, counter_id="c2")
    desk.advance(5)
    back = desk.ok(c.Reactivate, ticket_id=first.id).ticket
    assert back.status == "waiting" and back.position == 1


def test_no_show_cannot_be_reactivated_after_the_window(desk: Desk) -> None:
    desk.open("c2")
    ticket = desk.issue("passport")
    desk.ok(c.CallNext, counter_id="c2")
    desk.ok(c.MarkNoShow, counter_id="c2")
    desk.advance(61)
    reply = desk.run(c.Reactivate, ticket_id=ticket.id)
    assert reply.error_code == "invalid_transition" and "new ticket" in reply.error.message


def test_transfer_keeps_the_original_place(desk: Desk) -> None:
    """No wrong door: a visitor sent to births goes before people who came after them."""
    desk.open("c2")
    wrong = desk.issue("passport")
    desk.advance(5)
    later = desk.issue("births")
    desk.ok(c.CallNext, counter_id="c2")
    desk.ok(c.StartService, counter_id="c2")
    moved = desk.ok(
        c.Transfer, counter_id="c2", to_service_id="births", note="needs birth registration"
    ).ticket
    assert moved.number == wrong.number and moved.service_id == "births"
    assert moved.position == 1
    desk.open("c4")
    assert desk.ok(c.CallNext, counter_id="c4").ticket.number == wrong.number
    assert desk.engine.state.tickets[later.id].status.value == "waiting"
    stored = desk.engine.state.tickets[wrong.id]
    assert stored.transfers[0].note == "needs birth registration"
    assert stored.queued_since == desk.engine.state.tickets[wrong.id].issued_at


def test_transfer_to_a_counter_only_that_counter_calls_it(desk: Desk) -> None:
    desk.open("c2", "c3")
    ticket = desk.issue("eid")
    desk.ok(c.Transfer, ticket_id=ticket.id, to_counter_id="c3")
    assert desk.ok(c.CallNext, counter_id="c2").ticket is None
    assert desk.ok(c.CallNext, counter_id="c3").ticket.number == ticket.number


def test_transfer_needs_a_destination_and_a_short_note(desk: Desk) -> None:
    ticket = desk.issue("eid")
    assert desk.run(c.Transfer, ticket_id=ticket.id).error_code == "invalid_command"
    long_note = desk.run(c.Transfer, ticket_id=ticket.id, to_service_id="quick", note="x" * 501)
    assert "500" in long_note.error.message
    unknown = desk.run(c.Transfer, ticket_id=ticket.id, to_service_id="nope")
    assert unknown.error_code == "not_found"


def test_hold_and_automatic_release(desk: Desk) -> None:
    desk.open("c2")
    ticket = desk.issue("passport")
    desk.ok(c.CallNext, counter_id="c2")
    desk.ok(c.Hold, counter_id="c2", minutes=10)
    assert desk.ok(c.CallNext, counter_id="c2").ticket is None
    desk.advance(11)
    assert desk.ok(c.Tick).released == 1
    assert desk.ok(c.CallNext, counter_id="c2").ticket.number == ticket.number


def test_call_specific_ticket(desk: Desk) -> None:
    desk.open("c2")
    desk.issue("passport")
    second = desk.issue("eid")
    called = desk.ok(c.CallTicket, counter_id="c2", ticket_id=second.id).ticket
    assert called.number == "E001"
    events = [e for e in desk.engine.store.events() if isinstance(e, TicketCalled)]
    assert events[-1].specific


def test_cancel_with_a_known_reason_only(desk: Desk) -> None:
    ticket = desk.issue("passport")
    with pytest.raises(ValueError, match="not one of visitor_left"):
        desk.run(c.CancelTicket, ticket_id=ticket.id, reason="Jan Peeters left")
    done = desk.ok(c.CancelTicket, ticket_id=ticket.id, reason="visitor_left").ticket
    assert done.status == "cancelled"


def test_desk_and_phone_tickets_are_recorded_by_channel(desk: Desk) -> None:
    desk.issue("passport", channel="desk")
    desk.issue("passport", channel="phone", language="fr")
    issued = [e for e in desk.engine.store.events() if isinstance(e, TicketIssued)]
    assert [e.channel.value for e in issued] == ["desk", "phone"]
    assert issued[1].language == "fr"


def test_only_staff_may_force_past_the_last_ticket(desk: Desk) -> None:
    desk.now = desk.now.replace(hour=10, minute=20)  # 11:20 local; passport stops at 12:15
    desk.advance(60)
    refused = desk.run(c.IssueTicket, service_id="passport")
    assert refused.error.details["reason"] == "after_last_ticket"
    kiosk = desk.run(c.IssueTicket, service_id="passport", force=True)
    assert kiosk.error_code == "invalid_command"
    assert desk.run(c.IssueTicket, service_id="passport", force=True, channel="desk").ok


def test_unknown_language_and_service_are_clear_errors(desk: Desk) -> None:
    assert "es" in desk.run(c.IssueTicket, service_id="quick", language="es").error.message
    assert desk.run(c.IssueTicket, service_id="nope").error_code == "not_found"


def test_missing_request_id_is_refused(desk: Desk) -> None:
    assert desk.run(c.IssueTicket, request_id="", service_id="quick").error_code == (
        "invalid_command"
    )


def test_priority_ratio_one_in_three(desk: Desk) -> None:
    desk.open("c2")
    for i in range(6):
        desk.issue("passport", priority=PriorityClass.PRIORITY if i < 3 else "normal")
        desk.advance(0.1)
    order = []
    for _ in range(6):
        order.append(desk.ok(c.CallNext, counter_id="c2").ticket.priority)
        desk.ok(c.StartService, counter_id="c2")
    assert order == ["priority", "normal", "normal", "priority", "normal", "priority"]


def test_state_survives_a_new_engine_on_the_same_store(desk: Desk) -> None:
    desk.open("c2")
    desk.issue("passport")
    desk.ok(c.CallNext, counter_id="c2")
    store = desk.engine.store
    again = Desk(Engine(make_site(), store), desk.now, prefix="second")
    again.issue("passport")
    assert again.engine.state.counters["c2"].ticket_id is not None
    assert [t.number for t in again.engine.state.tickets.values()] == ["P001", "P002"]


def test_the_engine_never_writes_when_the_store_fails(desk: Desk) -> None:
    """A failing commit leaves memory as it was: the hub can retry the same request."""

    class Broken(Exception):
        pass

    store = desk.engine.store
    assert isinstance(store, MemoryStore)
    original = store.transaction

    def failing():  # type: ignore[no-untyped-def]
        tx_cm = original()

        class Wrapper:
            def __enter__(self):  # type: ignore[no-untyped-def]
                tx = tx_cm.__enter__()
                tx.write = lambda change, request: (_ for _ in ()).throw(Broken())
                return tx

            def __exit__(self, *exc):  # type: ignore[no-untyped-def]
                return tx_cm.__exit__(*exc)

        return Wrapper()

    store.transaction = failing  # type: ignore[method-assign]
    with pytest.raises(Broken):
        desk.run(c.IssueTicket, request_id="r-fail", service_id="passport")
    store.transaction = original  # type: ignore[method-assign]
    assert desk.engine.state.waiting() == []
    assert desk.run(c.IssueTicket, request_id="r-fail", service_id="passport").ok
    assert [t.number for t in desk.engine.state.waiting()] == ["P001"]


def test_retention_purges_personal_data_and_keeps_the_kpis(desk: Desk) -> None:
    from datetime import timedelta

    from queue_engine.domain.kpi import compute_kpis
    from queue_engine.domain.model import Appointment

    desk.ok(
        c.ImportAppointments,
        appointments=(
            Appointment(
                "a1", "SECRET1", ("births",), desk.now + timedelta(minutes=10), initials="JP"
            ),
        ),
    )
    desk.open("c2")
    desk.ok(c.CheckIn, booking_code="SECRET1")
    ticket = desk.issue("passport")
    desk.ok(c.Transfer, ticket_id=ticket.id, to_service_id="eid", note="Mevr. Janssens, dossier 12")
    desk.ok(c.CallNext, counter_id="c2")
    desk.ok(c.StartService, counter_id="c2")
    desk.ok(c.Finish, counter_id="c2")
    store = desk.engine.store
    before = compute_kpis(store.events(), desk.engine.site).rows("overall")

    assert desk.engine.apply_retention(desk.now + timedelta(days=29)).appointments == 0
    report = desk.engine.apply_retention(desk.now + timedelta(days=31))
    assert (report.appointments, report.tickets) == (1, 1) and report.requests > 0

    with store.transaction() as tx:
        assert tx.find_appointments("SECRET1") == []
    assert compute_kpis(store.events(), desk.engine.site).rows("overall") == before


def test_a_batch_is_one_group_commit_each_command_seeing_the_ones_before(desk: Desk) -> None:
    desk.open("c2")
    batch = [
        c.IssueTicket(request_id="b1", actor="k1", service_id="passport"),
        c.IssueTicket(request_id="b2", actor="k1", service_id="passport"),
        c.IssueTicket(request_id="b1", actor="k1", service_id="passport"),  # a retry
        c.CallNext(request_id="b3", actor="c2", counter_id="c2"),
        c.CallNext(request_id="b4", actor="c2", counter_id="c2"),  # refused: P001 still called
    ]
    replies = desk.engine.execute_many(batch, desk.now)
    numbers = [r.data.ticket.number if r.ok else r.error_code for r in replies]
    assert numbers == ["P001", "P002", "P001", "P001", "invalid_transition"]
    assert replies[2].replayed and not replies[0].replayed
    again = desk.run(c.IssueTicket, request_id="b2", actor="k1", service_id="eid")
    assert again.data.ticket.number == "P002"


def test_counters_keep_todays_figures_also_across_a_restart(desk: Desk) -> None:
    from link.protocol.messages import CounterFigures
    from queue_engine.service.views import counter_status

    desk.open("c2")
    for _ in range(3):
        desk.issue("passport")
    desk.ok(c.CallNext, counter_id="c2")
    desk.ok(c.StartService, counter_id="c2")
    desk.advance(6)
    desk.ok(c.Finish, counter_id="c2")
    desk.ok(c.CallNext, counter_id="c2")
    desk.ok(c.MarkNoShow, counter_id="c2")
    desk.ok(c.CallNext, counter_id="c2")
    desk.ok(c.Transfer, counter_id="c2", to_service_id="eid", note="needs an eID first")
    expected = {
        "called": 3,
        "served": 1,
        "no_shows": 1,
        "transferred_out": 1,
        "service_time_mean_s": 360,
        "service_time_median_s": 360,
    }
    rows = {r.id: r for r in counter_status(desk.engine.site, desk.engine.state, desk.now)}
    assert rows["c2"].figures == CounterFigures(**expected)
    restarted = Engine(make_site(), desk.engine.store)
    state = restarted.refresh(desk.now)
    again = {r.id: r for r in counter_status(restarted.site, state, desk.now)}
    assert again["c2"].figures == CounterFigures(**expected)
    moved = desk.engine.state.tickets[3]
    assert moved.transfers[0].note == "needs an eID first"
