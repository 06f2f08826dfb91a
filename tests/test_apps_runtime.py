"""The apps' runtime without a window: the runner, the clock, the settings helpers."""

from __future__ import annotations

import threading
from datetime import UTC
from pathlib import Path

import pytest

from apps.runner import Failed, Inbox, InlineRunner, Ok, Outcome, ThreadRunner
from apps.ui import data_dir, parse_size, utc_now
from link.client import HubUnavailable


def test_the_thread_runner_works_off_the_ui_thread_and_delivers_on_it() -> None:
    inbox = Inbox()
    runner = ThreadRunner(inbox, name="test-jobs")
    ui = threading.current_thread()
    ran_on: list[threading.Thread] = []
    outcomes: list[tuple[Outcome[int], threading.Thread]] = []

    def job() -> int:
        ran_on.append(threading.current_thread())
        return 42

    runner.submit(job, lambda outcome: outcomes.append((outcome, threading.current_thread())))
    assert inbox.drain(timeout=10) == 1
    runner.close()
    assert ran_on and ran_on[0] is not ui
    assert outcomes == [(Ok(42), ui)]


def test_errors_arrive_as_outcomes_in_the_order_of_the_jobs() -> None:
    inbox = Inbox()
    runner = ThreadRunner(inbox)
    outcomes: list[Outcome[str]] = []

    def away() -> str:
        raise HubUnavailable("call_next: no answer")

    def broken() -> str:
        raise ValueError("bad")

    for job in (away, lambda: "ok", broken):
        runner.submit(job, outcomes.append)
    runner.close()
    assert inbox.drain() == 3
    first, second, third = outcomes
    assert isinstance(first, Failed) and isinstance(first.error, HubUnavailable)
    assert second == Ok("ok")
    assert isinstance(third, Failed) and str(third.error) == "bad"


def test_then_hands_over_values_and_logs_failures(caplog: pytest.LogCaptureFixture) -> None:
    inline = InlineRunner()
    values: list[int] = []
    inline.then(lambda: 7, values.append)

    def broken() -> int:
        raise RuntimeError("printer on fire")

    inline.then(broken, values.append)
    assert values == [7]
    assert "printer on fire" in caplog.text


def test_close_joins_every_worker_after_the_queued_jobs() -> None:
    inbox = Inbox()
    runner = ThreadRunner(inbox, name="joined", workers=2)
    release = threading.Event()
    runner.submit(lambda: release.wait(10), lambda _outcome: None)
    runner.submit(lambda: "second", lambda _outcome: None)
    closer = threading.Thread(target=runner.close)
    closer.start()
    release.set()
    closer.join(10)
    assert not closer.is_alive()
    assert not [t for t in threading.enumerate() if t.name.startswith("joined-")]
    assert inbox.drain() == 2


def test_the_clock_sizes_and_data_folders() -> None:
    assert utc_now().tzinfo is UTC
    assert parse_size("1920x1080") == (1920, 1080)
    assert parse_size("1920x1080", portrait=True) == (1080, 1920)
    with pytest.raises(ValueError, match="WIDTHxHEIGHT"):
        parse_size("big")


def test_data_folders_follow_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert data_dir("staff") == tmp_path / "loket" / "staff"
