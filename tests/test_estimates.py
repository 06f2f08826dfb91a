"""Wait estimates: position and expected wait from open counters and recent service times."""

from __future__ import annotations

from queue_engine.domain import commands as c
from queue_engine.domain.model import CounterStatus
from tests.sites import Desk


def minutes(ticket: dict) -> float:
    return round(ticket.expected_wait_s / 60, 1)


def test_a_counter_gives_its_whole_time_to_the_only_service_with_people_waiting(
    desk: Desk,
) -> None:
    desk.open("c4")  # marriage, births, childcare; only childcare has people waiting
    waits = [minutes(desk.issue("childcare")) for _ in range(3)]
    assert waits == [0.0, 10.0, 20.0]


def test_two_counters_halve_the_wait(desk: Desk) -> None:
    desk.open("c2")
    one_counter = [minutes(desk.issue("passport")) for _ in range(3)]
    desk.open("c3")
    fourth = minutes(desk.issue("passport"))
    assert one_counter == [0.0, 12.0, 24.0]
    assert fourth == 18.0  # three ahead, two counters, 12 minutes each


def test_a_counter_on_a_break_still_counts(desk: Desk) -> None:
    desk.open("c2")
    desk.issue("passport")
    desk.ok(c.SetCounterStatus, counter_id="c2", status=CounterStatus.PAUSED)
    assert minutes(desk.issue("passport")) == 12.0


def test_recent_service_times_move_the_estimate(desk: Desk) -> None:
    desk.open("c1")
    for _ in range(6):
        desk.issue("quick")
        desk.ok(c.CallNext, counter_id="c1")
        desk.ok(c.StartService, counter_id="c1")
        desk.advance(10)  # quick tasks that take 10 minutes instead of the expected 4
        desk.ok(c.Finish, counter_id="c1")
    desk.issue("quick")
    second = desk.issue("quick")
    # Six samples of 10 min against a prior of three of 4 min: (3*4 + 6*10) / 9 = 8 min.
    assert minutes(second) == 8.0
    assert second.position == 2


def test_service_status_shows_waiting_and_availability(desk: Desk) -> None:
    from queue_engine.service.views import service_status

    desk.open("c2")
    desk.issue("passport")
    desk.issue("passport", priority="priority")
    rows = {r.id: r for r in service_status(desk.engine.site, desk.engine.state, desk.now)}
    assert rows["passport"].waiting == 2 and rows["passport"].waiting_priority == 1
    assert rows["marriage"].available is False
    assert rows["marriage"].reason == "appointments_only"
