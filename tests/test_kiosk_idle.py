"""'Do you need more time?' in a real window: a tap at the centre of each answer, on every
screen, does what the answer says and nothing reaches the screen underneath; nothing of a
ticket that could not be printed is left for the next visitor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loket.broker import Mosquitto
from tests.test_kiosk_window import CAREHOME, SMALL, Rig, Step, run_kiosk

#: The question comes quickly; it never times out by itself during the test.
IDLE = ("--idle-seconds", "2", "--idle-prompt-seconds", "600")
#: Screen → the taps that reach it from the welcome screen, and what it shows then.
SCREENS: dict[str, tuple[list[str], dict[str, Any]]] = {
    "welcome": (["lang:fr"], {"language": "fr"}),
    "start": (["start"], {}),
    "keypad": (["start", "appointment", "key:G", "key:B"], {"code": "GB"}),
    "services": (["start", "walk_in"], {}),
    "notice": (["start", "walk_in", "tile:huwelijk"], {}),
}
WATCHED = ("screen", "code", "language", "ticket_number", "print_state")


@pytest.fixture
def rig(mosquitto: Mosquitto, tmp_path: Path) -> Iterator[Rig]:
    made = Rig(mosquitto, tmp_path)
    yield made
    made.stop()


def answers(screen: str, taps: list[str], shown: dict[str, Any]) -> list[Step]:
    """Reach `screen`, answer 'yes, more time', then 'no, start again' (each logged)."""
    return [
        *({"tap": name} for name in taps),
        {"until": {"screen": screen, **shown}},
        {"until": {"overlay": "idle"}, "timeout": 15},
        {"shot": f"{screen}-more-time"},
        {"log": f"before:{screen}"},
        {"tap": "more_time"},
        {"log": f"more_time:{screen}"},
        {"until": {"overlay": "idle"}, "timeout": 15},
        {"tap": "start_again"},
        {"log": f"start_again:{screen}"},
        {"until": {"overlay": ""}},
    ]


def logged(events: list[dict[str, Any]], label: str) -> dict[str, Any]:
    state: dict[str, Any] = next(e["state"] for e in events if e["event"] == label)
    return state


def check(events: list[dict[str, Any]], screen: str, home: str, default: str) -> None:
    """'Yes' changed nothing underneath; 'no' started again with nothing left over."""
    before, kept = logged(events, f"before:{screen}"), logged(events, f"more_time:{screen}")
    assert kept["overlay"] == "", f"{screen}: the question is still up"
    assert {k: kept[k] for k in WATCHED} == {k: before[k] for k in WATCHED}, screen
    again = logged(events, f"start_again:{screen}")
    assert again["screen"] == home and again["overlay"] == "", f"{screen}: {again}"
    assert again["code"] == "" and again["language"] == default, f"{screen}: {again}"


def test_more_time_answers_on_every_screen(
    rig: Rig, mosquitto: Mosquitto, ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    rig.start(appointments=True)
    steps: list[Step] = [{"until": {"online": True}, "timeout": 10}]
    for screen, (taps, shown) in SCREENS.items():
        steps += answers(screen, taps, shown)
    checked_in = ["start", "appointment", *(f"key:{ch}" for ch in "GB7K2M"), "submit"]
    steps += answers("checked_in", checked_in, {})
    events = run_kiosk("idle", steps, ui_env, mosquitto, screenshots, tmp_path, *SMALL, *IDLE)
    for screen in [*SCREENS, "checked_in"]:
        check(events, screen, "welcome", "nl")
    kinds = [ticket.kind.value for ticket in rig.tickets()]
    assert kinds == ["appointment"], "only the check-in made a ticket; no answer printed one"


def test_more_time_answers_in_care_home_mode(
    mosquitto: Mosquitto, ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    rig = Rig(mosquitto, tmp_path, CAREHOME)
    rig.start()
    try:
        steps: list[Step] = [
            {"until": {"online": True}, "timeout": 10},
            *answers("care", ["lang:fr"], {"language": "fr"}),
        ]
        events = run_kiosk(
            "idle-care",
            steps,
            ui_env,
            mosquitto,
            screenshots,
            tmp_path,
            *SMALL,
            *IDLE,
            config=CAREHOME,
            device="zuil-inkomhal",
        )
        check(events, "care", "care", "nl")
        assert rig.tickets() == [], "'Oui, j'ai besoin de plus de temps' printed no ticket"
    finally:
        rig.stop()


def test_an_unprinted_ticket_goes_before_the_next_visitor(
    rig: Rig, mosquitto: Mosquitto, ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    rig.start()
    walk_in: list[Step] = [
        {"tap": "start"},
        {"tap": "walk_in"},
        {"tap": "tile:afval"},
        {"until": {"screen": "ticket", "print_state": "failed"}, "timeout": 15},
    ]
    steps: list[Step] = [
        {"until": {"online": True}, "timeout": 10},
        *walk_in,
        {"until": {"overlay": "idle"}, "timeout": 15},
        {"shot": "01-unprinted-more-time"},
        {"tap": "more_time"},
        {"log": "kept"},
        {"until": {"screen": "welcome", "overlay": ""}, "timeout": 20},
        {"shot": "02-left-alone"},
        {"log": "left_alone"},
        *walk_in,
        {"tap": "done"},
        {"until": {"screen": "welcome"}},
        {"log": "dismissed"},
    ]
    idle = ("--idle-seconds", "2", "--idle-prompt-seconds", "2")
    out = "dummy:?status=paper_out"
    events = run_kiosk(
        "unprinted", steps, ui_env, mosquitto, screenshots, tmp_path, *SMALL, *idle, printer=out
    )
    kept = logged(events, "kept")
    assert kept["screen"] == "ticket" and kept["ticket_number"].startswith("M")
    for label in ("left_alone", "dismissed"):
        state = logged(events, label)
        assert state["ticket_number"] == state["ticket_service"] == state["ticket_qr"] == ""
        assert state["print_state"] == "" and state["ticket_preview"] == "", label
