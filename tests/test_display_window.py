"""The display board in a real window under Xvfb: landscape, portrait, offline; screenshots."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from PIL import Image

from display_board import theme
from display_board.board import BoardConfig, board_config
from display_board.layout import layout_for, name_lines
from display_board.presenter import DisplayPresenter
from link.client import LoketClient
from link.protocol import messages as m
from loket.broker import Mosquitto, free_port
from queue_engine.hub.bootstrap import HubProcess
from siteconfig import load_site_config
from tests.mqtt_fixtures import TOWNHALL, started

Connect = Callable[..., LoketClient]
#: A service with nobody waiting (its id, prefix and names added).
EMPTY = {
    "quick": False,
    "walk_in": True,
    "waiting": 0,
    "waiting_priority": 0,
    "longest_wait_s": 0,
    "expected_wait_s": 0,
    "available": True,
}


def run_ui(
    args: list[str],
    steps: list[dict[str, object]],
    env: dict[str, str],
    folder: Path,
    *,
    while_running: Callable[[], None] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run `loket ARGS` in a window driven by `steps`; fail with its output if it fails
    (`timeout` only catches a hang: the steps wait for states, not for time)."""
    script = folder / "steps.json"
    script.write_text(json.dumps({"steps": steps}), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "loket.cli", *args],
        env={**env, "LOKET_UI_SCRIPT": str(script)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if while_running is not None:
            while_running()
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0 and "Traceback" not in err, err[-4000:]
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def pixel(path: Path, x: float, y: float) -> tuple[int, int, int]:
    """The colour at a fraction (x, y) of the picture, from the top left."""
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        value: tuple[int, int, int] = rgb.getpixel((int(x * rgb.width), int(y * rgb.height)))
        return value


def close_to(rgb: tuple[int, int, int], color: theme.Color) -> bool:
    return all(abs(a - round(b * 255)) < 12 for a, b in zip(rgb, color[:3], strict=False))


def online_event(client: LoketClient, device: str) -> threading.Event:
    """Set once `device` says it is online."""
    seen = threading.Event()

    def status(message: m.DeviceStatus) -> None:
        if message.device == device and message.online:
            seen.set()

    client.on_device_status(status)
    return seen


def test_landscape_board_shows_a_live_call_highlighted(
    hub: HubProcess,
    connect: Connect,
    mosquitto: Mosquitto,
    ui_env: dict[str, str],
    screenshots: Path,
    tmp_path: Path,
) -> None:
    kiosk = started(connect("kiosk-inkom"))
    staff = connect("staff-loket-3")
    display_up = online_event(staff, "display-gelijkvloers")
    started(staff)
    for service in ("eid", "eid", "paspoort", "rijbewijs", "snelbalie", "afval"):
        assert kiosk.request("issue_ticket", service_id=service, language="fr").ok
    assert staff.request("counter_status", status="open").ok
    assert staff.request("call_next").ok

    def call_while_shown() -> None:
        assert display_up.wait(20), "the display never came online"
        assert staff.request("start").ok
        assert staff.request("call_next").ok

    shot = screenshots / "display-landscape.png"
    steps = [
        {"until": {"highlight": True}, "timeout": 20},
        {"wait": 0.3},
        {"shot": str(shot)},
        {"quit": True},
    ]
    args = ["display", "--config", str(TOWNHALL), "--device", "display-gelijkvloers",
            "--broker", mosquitto.broker.url, "--size", "1280x720"]  # fmt: skip
    run_ui(args, steps, ui_env, tmp_path, while_running=call_while_shown)
    with Image.open(shot) as image:
        assert image.size == (1280, 720)
    assert close_to(pixel(shot, 0.05, 0.2), theme.ACCENT)  # the called ticket, highlighted
    assert close_to(pixel(shot, 0.005, 0.95), theme.PANEL)  # the info bar


def test_portrait_board_in_french(
    hub: HubProcess,
    connect: Connect,
    mosquitto: Mosquitto,
    ui_env: dict[str, str],
    screenshots: Path,
    tmp_path: Path,
) -> None:
    kiosk = started(connect("kiosk-inkom"))
    staff = started(connect("staff-loket-6"))
    for service in ("geboorte", "kinderopvang", "afval"):
        assert kiosk.request("issue_ticket", service_id=service).ok
    assert staff.request("counter_status", status="open").ok
    assert staff.request("call_next").ok
    shot = screenshots / "display-portrait-fr.png"
    steps = [
        {"until": {"called_number": "G001"}, "timeout": 20},
        {"until": {"offline": False}},
        {"shot": str(shot)},
        {"quit": True},
    ]
    args = ["display", "--config", str(TOWNHALL), "--device", "display-verdieping",
            "--broker", mosquitto.broker.url, "--size", "960x540", "--portrait",
            "--language", "fr", "--mute"]  # fmt: skip
    run_ui(args, steps, ui_env, tmp_path)
    with Image.open(shot) as image:
        assert image.size == (540, 960)


def test_board_without_broker_says_it_is_offline(
    ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    shot = screenshots / "display-offline.png"
    steps = [
        {"until": {"offline": True}, "timeout": 20},
        {"shot": str(shot)},
        {"quit": True},
    ]
    args = ["display", "--config", str(TOWNHALL), "--device", "display-gelijkvloers",
            "--broker", f"mqtt://127.0.0.1:{free_port()}", "--size", "1280x720",
            "--offline-after", "1", "--mute"]  # fmt: skip
    run_ui(args, steps, ui_env, tmp_path)
    assert close_to(pixel(shot, 0.1, 0.5), theme.OFFLINE)  # the banner across the board


def pages_of_names(board: BoardConfig, width: int, height: int) -> list[list[str]]:
    """The service names the board shows, page by page, at `width` x `height` (the
    presenter's own paging with the real font measured)."""
    site = load_site_config(TOWNHALL)
    now = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    states = [
        m.ServiceState.model_validate({**EMPTY, "id": s.id, "prefix": s.prefix, "names": s.names})
        for s in site.services
    ]
    p = DisplayPresenter(board, None, now)
    p.show_services(m.ServicesState(at=now, services=states), now)
    layout = layout_for(width, height)
    lines = partial(name_lines, layout=layout)
    p.set_capacity(layout.recent_rows, layout.service_rows, now, name_lines=lines)
    pages: list[list[str]] = []
    for turn in range(len(board.services)):
        p.tick(now + timedelta(seconds=turn * board.rotate_seconds))
        page = sorted(row["name"] for row in p.services)
        if page not in pages:
            pages.append(page)
    return pages


@pytest.mark.parametrize(
    ("device", "language", "size"),
    [
        ("display-verdieping", "de", "1920x1080"),
        ("display-verdieping", "fr", "1152x648 --portrait"),
        ("display-gelijkvloers", "nl", "1920x1080"),
        ("display-gelijkvloers", "en", "1152x648 --portrait"),
    ],
)
def test_service_names_are_whole_where_there_is_room(
    hub: HubProcess,
    mosquitto: Mosquitto,
    ui_env: dict[str, str],
    screenshots: Path,
    tmp_path: Path,
    device: str,
    language: str,
    size: str,
) -> None:
    board = board_config(load_site_config(TOWNHALL), device, language=language)
    width, height = (int(side) for side in size.split(maxsplit=1)[0].split("x"))
    if "--portrait" in size:
        width, height = height, width
    pages = pages_of_names(board, width, height)
    assert sum(len(page) for page in pages) == len(board.services)
    name = f"display-names-{language}-{width}x{height}"
    steps: list[dict[str, object]] = []
    for number, page in enumerate(pages, start=1):
        timeout = 20 + board.rotate_seconds * len(pages)
        steps.append({"until": {"names_whole": page}, "timeout": timeout})
        steps.append({"shot": str(screenshots / f"{name}-{number}.png")})
    steps.append({"quit": True})
    args = ["display", "--config", str(TOWNHALL), "--device", device]
    args += ["--broker", mosquitto.broker.url, "--size", *size.split()]
    args += ["--language", language, "--mute"]
    run_ui(args, steps, ui_env, tmp_path)
    shot = screenshots / f"{name}-1.png"
    assert close_to(pixel(shot, 0.002, 0.002), theme.palette(board.high_contrast).background)
