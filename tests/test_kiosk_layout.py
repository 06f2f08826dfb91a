"""The kiosk's layout in real windows: no layout loop at any window size (a hidden QR code
resized itself for ever on landscape windows below ~3.1 px/mm and in portrait)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from loket.broker import Mosquitto
from tests.test_kiosk_window import Rig, Step, run_kiosk

#: The demo window, and a portrait screen, both on the default 476 mm wide screen.
SIZES = {"landscape": "1280x800", "portrait": "800x1280"}


@pytest.fixture
def rig(mosquitto: Mosquitto, tmp_path: Path) -> Iterator[Rig]:
    made = Rig(mosquitto, tmp_path)
    yield made
    made.stop()


@pytest.mark.parametrize("orientation", SIZES)
def test_notices_without_layout_loop(
    orientation: str,
    rig: Rig,
    mosquitto: Mosquitto,
    ui_env: dict[str, str],
    screenshots: Path,
    tmp_path: Path,
) -> None:
    """run_kiosk fails on any 'too much iteration' line, shown screen or not."""
    rig.start()
    steps: list[Step] = [
        {"until": {"online": True}, "timeout": 10},
        {"wait": 1},
        {"tap": "start"},
        {"tap": "appointment"},
        {"type": "ZZZZ99\n"},
        {"until": {"screen": "notice", "notice_qr": ""}, "timeout": 10},
        {"wait": 1},
        {"shot": "01-notice-without-qr"},
        {"tap": "home"},
        {"tap": "start"},
        {"tap": "walk_in"},
        {"tap": "tile:huwelijk"},
        {"until": {"screen": "notice"}},
        {"wait": 1},
        {"shot": "02-notice-with-qr"},
    ]
    size = ("--size", SIZES[orientation], "--screen-width-mm", "476")
    run_kiosk(f"layout-{orientation}", steps, ui_env, mosquitto, screenshots, tmp_path, *size)
