"""Simulated days: every visitor accounted for, no unexpected refusals, same seed same day."""

from __future__ import annotations

import random
import tempfile
from datetime import date, datetime, time
from pathlib import Path

import pytest

import loket.cli
from queue_engine.adapters.memory_store import MemoryStore
from queue_engine.adapters.sqlite_store import SqliteStore
from queue_engine.domain.checkin import normalize_code
from queue_engine.domain.kpi import Grouping
from queue_engine.domain.model import CounterStatus, Site
from queue_engine.service.engine import Engine
from queue_engine.simulation import SimulationError, SimulationResult, simulate
from queue_engine.simulation.day import intensity, opening_day, plan_day
from queue_engine.simulation.report import OUTCOMES
from siteconfig import load_site
from tests.sites import make_site

TOWNHALL = Path(__file__).resolve().parents[1] / "config" / "townhall.yaml"
TUESDAY = date(2026, 12, 1)


def _day(site: Site, visitors: int = 150, seed: int = 7, day: date = TUESDAY) -> SimulationResult:
    return simulate(site, MemoryStore(), visitors=visitors, seed=seed, day=day)


def _check_accounted(result: SimulationResult, visitors: int) -> None:
    """No unexpected refusals; every visitor ended one of the known ways; no ticket left open."""
    assert result.unexpected_total == 0, (result.unexpected, result.unexpected_samples)
    assert result.lost == 0
    assert result.open_tickets == 0
    assert set(result.outcomes) <= set(OUTCOMES)
    assert sum(result.outcomes.values()) == result.visitors == visitors


def test_a_small_day_accounts_for_every_visitor() -> None:
    site = make_site()
    store = MemoryStore()
    result = simulate(site, store, visitors=150, seed=7, day=TUESDAY)

    _check_accounted(result, 150)
    overall = result.kpis.overall()
    assert overall.issued == result.tickets_issued
    assert overall.served == result.outcomes["served"] > 100
    assert overall.cancelled == result.outcomes.get("cancelled", 0)
    assert overall.open == 0
    assert result.estimate.tickets > 50 and result.estimate.mean_abs_s is not None
    assert result.commands["call_next"] >= overall.served
    closing = datetime.combine(TUESDAY, time(23), tzinfo=site.tz)
    counters = Engine(site, store).refresh(closing).counters.values()
    assert {state.status for state in counters} == {CounterStatus.CLOSED}
    for heading in ("KPIs by service", "KPIs by counter", "KPIs by channel", "Wait estimate"):
        assert heading in result.format_text()


def test_the_same_seed_gives_the_same_day_and_another_seed_another() -> None:
    site = make_site()
    first, again, other = _day(site), _day(site), _day(site, seed=8)

    for grouping in Grouping:
        assert first.kpis.rows(grouping) == again.kpis.rows(grouping)
    assert first.kpis.facts == again.kpis.facts
    assert first.outcomes == again.outcomes
    assert first.estimate == again.estimate
    assert first.commands == again.commands
    assert first.kpis.facts != other.kpis.facts


def test_the_plan_books_a_quarter_with_unique_normalised_codes() -> None:
    plan = plan_day(make_site(), TUESDAY, 400, random.Random(3))

    codes = {v.booking_code for v in plan.visitors if v.booking_code is not None}
    assert len(codes) == sum(1 for v in plan.visitors if not v.walk_in) == 100
    assert all(normalize_code(code) == code for code in codes)
    assert {a.booking_code for a in plan.appointments} == codes
    assert any(len(a.services) == 2 for a in plan.appointments)  # two services, one slot
    assert len(plan.appointments) > len(codes)  # two appointments under one code
    assert len({v.id for v in plan.visitors}) == 400
    assert intensity(10.5) > intensity(12.75) < intensity(14.5)


def test_the_day_is_the_first_opening_day_from_the_date_given() -> None:
    site = make_site()
    assert opening_day(site, date(2026, 12, 25)) == date(2026, 12, 28)  # Christmas, weekend
    assert _day(site, visitors=10, day=date(2026, 12, 26)).day == date(2026, 12, 28)


def test_a_day_already_in_the_store_is_refused() -> None:
    site, store = make_site(), MemoryStore()
    simulate(site, store, visitors=20, seed=1, day=TUESDAY)
    with pytest.raises(SimulationError, match="already has tickets"):
        simulate(site, store, visitors=20, seed=1, day=TUESDAY)


def _cli(*args: str) -> int:
    return loket.cli.main(["simulate", "--config", str(TOWNHALL), *args])


def test_the_cli_prints_kpis_and_keeps_the_store_it_was_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "day.sqlite"
    args = ("--visitors", "60", "--seed", "2", "--day", "2026-12-03", "--db", str(db))

    assert _cli(*args) == 0

    out = capsys.readouterr().out
    assert "Simulated day 2026-12-03 (seed 2): 60 visitors" in out
    assert "unexpected errors: 0" in out
    for heading in ("KPIs by overall", "KPIs by service", "KPIs by counter", "KPIs by channel"):
        assert heading in out
    assert "Wait estimate at issue" in out
    with SqliteStore(db, load_site(TOWNHALL).id) as store:
        assert sum(1 for _ in store.events()) > 100
    assert _cli(*args) == 2  # that day is in the store already
    assert "already has tickets on 2026-12-03" in capsys.readouterr().err


def test_the_cli_removes_its_temporary_store(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    assert _cli("--visitors", "20", "--day", "2026-12-03") == 0

    assert "KPIs by service" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_the_cli_reports_a_bad_site_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.yaml"

    assert loket.cli.main(["simulate", "--config", str(missing), "--visitors", "5"]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.slow
def test_memory_and_sqlite_stores_give_the_same_day(tmp_path: Path) -> None:
    site = load_site(TOWNHALL)
    in_memory = _day(site, visitors=400, seed=5, day=date(2026, 12, 3))
    with SqliteStore(tmp_path / "day.sqlite", site.id) as store:
        on_disk = simulate(site, store, visitors=400, seed=5, day=date(2026, 12, 3))

    _check_accounted(on_disk, 400)
    assert on_disk.kpis.facts == in_memory.kpis.facts
    assert on_disk.estimate == in_memory.estimate


@pytest.mark.slow
@pytest.mark.parametrize("day", [date(2026, 11, 30), TUESDAY, date(2026, 12, 3)])
def test_a_busy_town_hall_day_loses_nobody(day: date) -> None:
    result = _day(load_site(TOWNHALL), visitors=3000, seed=1, day=day)

    _check_accounted(result, 3000)
    assert result.refused  # caps and last-ticket times refuse some of 3,000 people
