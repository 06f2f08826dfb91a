"""KPIs from the event log: hand-built life cycles with exact figures, and invariants."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from queue_engine.domain.events import (
    CounterStatusChanged,
    Event,
    ServiceStarted,
    TicketCalled,
    TicketCancelled,
    TicketFinished,
    TicketHeld,
    TicketIssued,
    TicketNoShow,
    TicketReactivated,
    TicketRecalled,
    TicketReleased,
    TicketTransferred,
    event_from_json,
    event_to_json,
)
from queue_engine.domain.kpi import (
    Grouping,
    KpiReport,
    Outcome,
    TicketFacts,
    compute_kpis,
    percentile,
    ticket_facts,
)
from queue_engine.domain.model import (
    Channel,
    Counter,
    CounterService,
    CounterStatus,
    PriorityClass,
    Service,
    Site,
    TicketKind,
)

T0 = datetime(2024, 3, 4, 8, 0, tzinfo=UTC)  # a Monday, 09:00 in Brussels

SITE = Site(
    id="town-hall",
    name="Town hall",
    services={
        "P": Service(id="P", names={"en": "Passport"}, prefix="P", target_wait_minutes=20),
        "B": Service(id="B", names={"en": "Birth"}, prefix="B", target_wait_minutes=10),
    },
    counters={
        "c1": Counter(id="c1", name="Counter 1", services=(CounterService("P"),)),
        "c2": Counter(id="c2", name="Counter 2", services=(CounterService("B"),)),
    },
)


def at(minutes: float) -> datetime:
    """T0 plus some minutes."""
    return T0 + timedelta(minutes=minutes)


def issued(
    tid: int,
    minute: float,
    service: str = "P",
    channel: Channel = Channel.KIOSK,
    queued_minute: float | None = None,
) -> TicketIssued:
    """A walk-in ticket issued at T0 + minute."""
    queued = at(minute if queued_minute is None else queued_minute)
    return TicketIssued(
        at(minute),
        ticket_id=tid,
        number=f"{service}{tid:03d}",
        service_id=service,
        kind=TicketKind.WALK_IN,
        priority=PriorityClass.NORMAL,
        channel=channel,
        language="nl",
        queued_since=queued,
    )


def served(
    tid: int, call: float, start: float, end: float, *, counter: str = "c1", service: str = "P"
) -> list[Event]:
    """Call, start and finish one service."""
    return [
        TicketCalled(at(call), tid, service, counter),
        ServiceStarted(at(start), tid, counter),
        TicketFinished(at(end), tid, service, counter),
    ]


def facts_of(events: list[Event]) -> TicketFacts:
    """The facts of the only ticket in `events`."""
    (facts,) = ticket_facts(events, SITE)
    return facts


def test_served_walk_in() -> None:
    facts = facts_of([issued(1, 0), *served(1, 12, 13, 20)])
    assert facts.outcome is Outcome.SERVED
    assert facts.wait_s == 720
    assert facts.service_s == 420
    assert facts.within_target is True
    assert (facts.first_counter, facts.final_counter, facts.last_counter) == ("c1",) * 3
    assert facts.day == date(2024, 3, 4)
    assert facts.transfers == 0


def test_no_show_reactivated_then_served_keeps_first_call() -> None:
    events = [
        issued(1, 0),
        TicketCalled(at(25), 1, "P", "c1"),
        TicketRecalled(at(26), 1, "c1", recall_count=1),
        TicketNoShow(at(28), 1, "P", "c1"),
        TicketReactivated(at(40), 1),
        *served(1, 45, 46, 56, counter="c2"),
    ]
    facts = facts_of(events)
    assert facts.outcome is Outcome.SERVED
    assert facts.wait_s == 25 * 60
    assert facts.within_target is False
    assert facts.service_s == 600
    assert (facts.first_counter, facts.final_counter) == ("c1", "c2")


def test_no_show_not_reactivated() -> None:
    facts = facts_of(
        [issued(1, 0), TicketCalled(at(5), 1, "P", "c1"), TicketNoShow(at(8), 1, "P", None)]
    )
    assert facts.outcome is Outcome.NO_SHOW
    assert facts.wait_s == 300
    assert facts.service_s is None
    assert facts.last_counter == "c1"


def test_transfer_before_the_call_keeps_queued_since() -> None:
    events = [
        issued(1, 2, queued_minute=0),
        TicketTransferred(at(5), 1, "P", "B", None, None),
        *served(1, 15, 16, 20, counter="c2", service="B"),
    ]
    facts = facts_of(events)
    assert facts.wait_s == 15 * 60  # from queued_since, not from the issue time
    assert facts.within_target is False  # B's target is 10 minutes
    assert (facts.service_at_issue, facts.service_at_end) == ("P", "B")
    assert facts.transfers == 1
    assert facts.outcome is Outcome.SERVED


def test_multi_service_visit_is_open_between_services_and_sums_service_time() -> None:
    first_part = [
        issued(1, 0),
        *served(1, 10, 11, 15),
        TicketTransferred(at(15), 1, "P", "B", "c1", None, has_note=True),
    ]
    between = facts_of(first_part)
    assert between.outcome is Outcome.OPEN
    assert between.service_s == 240
    assert between.final_counter == "c1"

    done = facts_of([*first_part, *served(1, 25, 26, 36, counter="c2", service="B")])
    assert done.outcome is Outcome.SERVED
    assert done.service_s == 240 + 600
    assert done.wait_s == 600  # the first call only
    assert (done.first_counter, done.final_counter) == ("c1", "c2")
    assert done.service_at_end == "B"


def test_hold_splits_service_time() -> None:
    events = [
        issued(1, 0),
        TicketCalled(at(1), 1, "P", "c1"),
        ServiceStarted(at(2), 1, "c1"),
        TicketHeld(at(7), 1, "c1", until=at(30)),
        TicketReleased(at(20), 1),
        *served(1, 21, 22, 30),
    ]
    assert facts_of(events).service_s == (5 + 8) * 60


def test_transfer_or_cancel_while_serving_counts_the_time_served() -> None:
    transferred = [
        issued(1, 0),
        TicketCalled(at(1), 1, "P", "c1"),
        ServiceStarted(at(2), 1, "c1"),
        TicketTransferred(at(5), 1, "P", "B", "c1", "c2"),
    ]
    assert facts_of(transferred).service_s == 180
    assert facts_of(transferred).outcome is Outcome.OPEN
    cancelled = [*transferred[:3], TicketCancelled(at(4), 1, "P", reason="left")]
    assert facts_of(cancelled).service_s == 120
    assert facts_of(cancelled).outcome is Outcome.CANCELLED


def test_cancelled_and_open() -> None:
    cancelled = facts_of([issued(1, 0), TicketCancelled(at(3), 1, "P", reason="left")])
    assert cancelled.outcome is Outcome.CANCELLED
    assert cancelled.wait_s is None
    assert cancelled.within_target is None
    called_only = facts_of([issued(2, 0), TicketCalled(at(4), 2, "P", "c1")])
    assert called_only.outcome is Outcome.OPEN


def test_events_of_tickets_issued_before_the_log_are_ignored() -> None:
    events = [
        *served(9, 0, 1, 2),
        CounterStatusChanged(at(0), "c1", CounterStatus.OPEN),
        issued(1, 0),
    ]
    assert [f.ticket_id for f in ticket_facts(events, SITE)] == [1]


def day_log() -> list[Event]:
    """Four tickets on one day and one on the next (local) day."""
    return [
        issued(1, 0),
        issued(2, 1, channel=Channel.DESK),
        issued(3, 2, service="B"),
        issued(4, 3),
        *served(1, 10, 11, 15),
        TicketCalled(at(25), 2, "P", "c1"),
        TicketNoShow(at(28), 2, "P", "c1"),
        *served(3, 6, 7, 17, counter="c2", service="B"),
        TicketCancelled(at(30), 4, "P", reason="left"),
        # 23:30 UTC on the 4th is 00:30 on the 5th in Brussels.
        issued(5, 15 * 60 + 30),
    ]


def test_overall_row() -> None:
    row = compute_kpis(day_log(), SITE).overall()
    assert (row.issued, row.served, row.no_shows, row.cancelled, row.open) == (5, 2, 1, 1, 1)
    assert row.wait_mean_s == pytest.approx((600 + 1440 + 240) / 3)
    assert row.wait_median_s == 600
    assert row.wait_p90_s == pytest.approx(600 + 0.8 * 840)
    assert row.service_mean_s == 420
    assert row.within_target == pytest.approx(2 / 3)


def test_groupings() -> None:
    report = compute_kpis(day_log(), SITE)
    by_day = {r["group"]: r["issued"] for r in report.rows(Grouping.DAY)}
    assert by_day == {"2024-03-04": 4, "2024-03-05": 1}
    by_service = {r["group"]: (r["issued"], r["served"]) for r in report.rows("service")}
    assert by_service == {"B": (1, 1), "P": (4, 1)}
    by_counter = {r["group"]: (r["served"], r["no_shows"]) for r in report.rows("counter")}
    assert by_counter == {"-": (0, 0), "c1": (1, 1), "c2": (1, 0)}
    by_channel = {r["group"]: r["issued"] for r in report.rows("channel")}
    assert by_channel == {"desk": 1, "kiosk": 4}
    assert [r["group"] for r in report.rows(Grouping.KIND)] == ["walk_in"]


def test_day_filter_uses_the_local_day() -> None:
    report = compute_kpis(day_log(), SITE, day=date(2024, 3, 5))
    assert [f.ticket_id for f in report.facts] == [5]
    assert report.overall().open == 1
    assert report.overall().wait_mean_s is None
    assert report.overall().within_target is None


def test_empty_log() -> None:
    report = compute_kpis([], SITE)
    assert report.overall().issued == 0
    assert report.rows("service") == []
    assert "overall" in report.format_table("overall")


def test_format_table_in_minutes() -> None:
    table = compute_kpis(day_log(), SITE).format_table(Grouping.SERVICE)
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["service", "issued", "served"]
    assert set(lines[1]) == {"-", " "}
    b_row = lines[2].split()
    # B: issued 1, served 1, waited 4.0 min, served in 10.0 min, within target.
    assert b_row == ["B", "1", "1", "0", "0", "0", "0", *["4.0"] * 3, *["10.0"] * 3, "100%"]
    assert len({len(line) for line in lines}) == 1


def test_kpis_survive_the_json_log() -> None:
    log = day_log()
    stored = [event_from_json(e.type_name, event_to_json(e)) for e in log]
    assert compute_kpis(stored, SITE) == compute_kpis(log, SITE)


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([], 90, None),
        ([7.0], 90, 7.0),
        ([7.0], 0, 7.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.5),
        ([4.0, 1.0, 3.0, 2.0], 90, 3.7),
        ([1.0, 2.0, 3.0, 4.0], 0, 1.0),
        ([1.0, 2.0, 3.0, 4.0], 100, 4.0),
    ],
)
def test_percentile(values: list[float], q: float, expected: float | None) -> None:
    assert percentile(values, q) == pytest.approx(expected)


# --- random valid life cycles ---------------------------------------------------------

#: The steps a ticket may take from each state, and the state they lead to.
#: Mirrors the transitions that queue_engine.domain.lifecycle allows.
STEPS: dict[str, tuple[str, ...]] = {
    "waiting": ("call", "cancel", "transfer", "hold"),
    "called": ("start", "no_show", "recall", "hold", "cancel", "transfer"),
    "serving": ("finish", "finish_transfer", "hold", "transfer", "cancel"),
    "held": ("call", "release", "reactivate", "cancel", "transfer"),
    "no_show": ("reactivate", "cancel"),
    "done": (),
    "cancelled": (),
}
EXPECTED = {"done": Outcome.SERVED, "no_show": Outcome.NO_SHOW, "cancelled": Outcome.CANCELLED}


@dataclass
class Walk:
    """A ticket being walked through its life cycle."""

    tid: int
    now: datetime
    service: str = "P"
    state: str = "waiting"
    events: list[Event] = field(default_factory=list)

    def other_service(self) -> str:
        return "B" if self.service == "P" else "P"

    def step(self, name: str) -> None:
        """Append the events of one step and move to the next state."""
        tid, now, svc = self.tid, self.now, self.service
        new: dict[str, tuple[str, list[Event]]] = {
            "call": ("called", [TicketCalled(now, tid, svc, "c1")]),
            "cancel": ("cancelled", [TicketCancelled(now, tid, svc, "left")]),
            "transfer": (
                "waiting",
                [TicketTransferred(now, tid, svc, self.other_service(), None, None)],
            ),
            "start": ("serving", [ServiceStarted(now, tid, "c1")]),
            "no_show": ("no_show", [TicketNoShow(now, tid, svc, "c1")]),
            "recall": ("called", [TicketRecalled(now, tid, "c1", 1)]),
            "hold": ("held", [TicketHeld(now, tid, "c1")]),
            "release": ("waiting", [TicketReleased(now, tid)]),
            "reactivate": ("waiting", [TicketReactivated(now, tid)]),
            "finish": ("done", [TicketFinished(now, tid, svc, "c1")]),
            "finish_transfer": (
                "waiting",
                [
                    TicketFinished(now, tid, svc, "c1"),
                    TicketTransferred(now, tid, svc, self.other_service(), "c1", None),
                ],
            ),
        }
        self.state, events = new[name]
        self.events.extend(events)
        if name.endswith("transfer"):
            self.service = self.other_service()


@st.composite
def life_cycles(draw: st.DrawFn) -> tuple[list[Event], dict[int, Outcome]]:
    """Several tickets' valid life cycles, interleaved in time order."""
    walks = []
    for tid in range(draw(st.integers(0, 8))):
        start = T0 + timedelta(minutes=draw(st.integers(0, 60 * 24)))
        walk = Walk(tid, start, service=draw(st.sampled_from(["P", "B"])))
        walk.events.append(issued(tid, (start - T0).total_seconds() / 60, service=walk.service))
        for _ in range(draw(st.integers(0, 12))):
            if not STEPS[walk.state]:
                break
            walk.now += timedelta(seconds=draw(st.integers(0, 900)))
            walk.step(draw(st.sampled_from(STEPS[walk.state])))
        walks.append(walk)
    events = sorted((e for w in walks for e in w.events), key=lambda e: e.at)
    return events, {w.tid: EXPECTED.get(w.state, Outcome.OPEN) for w in walks}


def check_groups(report: KpiReport, grouping: Grouping, total: int) -> None:
    """Every row adds up, and the rows of a grouping cover every ticket once."""
    rows = report.tables[grouping]
    for row in rows:
        assert row.issued == row.served + row.no_shows + row.cancelled + row.open
        assert row.within_target is None or 0 <= row.within_target <= 1
        assert row.wait_mean_s is None or row.wait_mean_s >= 0
        assert row.service_p90_s is None or row.service_p90_s >= 0
    assert sum(row.issued for row in rows) == total


@given(life_cycles())
def test_every_ticket_ends_in_exactly_one_outcome(
    cycle: tuple[list[Event], dict[int, Outcome]],
) -> None:
    events, expected = cycle
    report = compute_kpis(events, SITE)
    assert {f.ticket_id: f.outcome for f in report.facts} == expected
    for grouping in Grouping:
        check_groups(report, grouping, len(expected))
    assert report.overall().served == list(expected.values()).count(Outcome.SERVED)
    assert len(report.format_table(Grouping.COUNTER).splitlines()) == 2 + len(
        report.tables[Grouping.COUNTER]
    )
