"""The staff terminal in a real window under Xvfb, driven by keys only; screenshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image

from link.client import LoketClient
from loket.broker import Mosquitto, free_port
from queue_engine.domain.model import Channel
from queue_engine.hub.bootstrap import HubProcess
from staff_terminal import theme
from tests.mqtt_fixtures import TOWNHALL, started
from tests.test_display_window import close_to, pixel, run_ui

Connect = Callable[..., LoketClient]


def test_a_counter_served_with_the_keyboard_only(
    hub: HubProcess,
    connect: Connect,
    mosquitto: Mosquitto,
    ui_env: dict[str, str],
    screenshots: Path,
    tmp_path: Path,
) -> None:
    kiosk = started(connect("kiosk-inkom"))
    for service, language in (("eid", "fr"), ("paspoort", "de"), ("rijbewijs", "nl")):
        assert kiosk.request("issue_ticket", service_id=service, language=language).ok
    shots = {name: screenshots / f"staff-{name}.png" for name in ("counter", "transfer", "issue")}
    steps = [
        {"until": {"link_text": "Connected to the hub"}, "timeout": 20},
        {"key": "f12"},
        {"until": {"counter_status": "open"}},
        {"key": "f1"},
        {"until": {"ticket_number": "ID001"}},
        {"wait": 0.3},
        {"shot": str(shots["counter"])},
        {"key": "f6"},
        {"key": "down"},
        {"type": "Also needs a passport"},
        {"shot": str(shots["transfer"])},
        {"key": "enter"},
        {"until": {"ticket_number": ""}},
        {"key": "f10"},
        {"key": "f2"},
        {"shot": str(shots["issue"])},
        {"key": "enter"},
        {"until": {"busy": False}},
        {"wait": 0.3},
        {"quit": True},
    ]
    args = [
        "staff",
        "--config",
        str(TOWNHALL),
        "--counter",
        "loket-3",
        "--broker",
        mosquitto.broker.url,
        "--language",
        "en",
    ]
    run_ui(args, steps, ui_env, tmp_path)
    tickets = {t.number: t for t in hub.hub.engine.state.tickets.values()}
    assert tickets["ID001"].service_id == "paspoort"
    assert tickets["ID001"].transfers[-1].note == "Also needs a passport"
    assert tickets["S001"].channel is Channel.PHONE  # F2 switched the channel
    for shot in shots.values():
        with Image.open(shot) as image:
            assert image.size == (1280, 800)


def test_without_the_hub_the_terminal_says_so_and_sends_nothing(
    ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    shot = screenshots / "staff-offline.png"
    steps = [
        {"wait": 0.5},
        {"key": "f1"},
        {"shot": str(shot)},
        {"quit": True},
    ]
    args = [
        "staff",
        "--config",
        str(TOWNHALL),
        "--counter",
        "loket-6",
        "--broker",
        f"mqtt://127.0.0.1:{free_port()}",
        "--language",
        "fr",
    ]
    run_ui(args, steps, ui_env, tmp_path)
    assert close_to(pixel(shot, 0.84, 0.04), theme.FEEDBACK["error"])  # the connection bar
    assert close_to(pixel(shot, 0.7, 0.77), theme.FEEDBACK["error"])  # "PAS envoyé"
