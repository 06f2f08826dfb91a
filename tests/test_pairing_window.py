"""The pairing screen in a real window under Xvfb (`loket staff|display --enrol`): the code
from a provisioned hub, big and readable; screenshots."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.mqtt_fixtures import TOWNHALL
from tests.provisioning_helpers import Rig, rig
from tests.test_display_window import close_to, run_ui

__all__ = ["rig"]
YELLOW = (1.0, 0.80, 0.0, 1.0)


def pairing_screen(
    kind: str, extra: list[str], rig: Rig, env: dict[str, str], shot: Path, folder: Path
) -> str:
    steps = [
        {"until": {"has_code": True}, "timeout": 15},
        {"wait": 0.3},
        {"shot": str(shot)},
        {"quit": True},
    ]
    args = [kind, "--enrol", "--config", str(TOWNHALL), "--data", str(folder / "data")]
    args += ["--hub", rig.enrol_broker.url, *extra]
    run = run_ui(args, steps, env, folder)
    assert not (folder / "data" / "credentials.json").exists()
    return run.stderr


def test_staff_terminal_shows_its_pairing_code(
    rig: Rig, ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    shot = screenshots / "pairing-staff.png"
    pairing_screen("staff", ["--language", "en"], rig, ui_env, shot, tmp_path)
    assert len(rig.prov.pairing.pending()) == 1  # the hub saw its request
    with Image.open(shot) as image:
        assert image.size == (1280, 800)
    yellow = 0
    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        for x in range(0, rgb.width, 8):
            for y in range(0, rgb.height // 2, 8):
                if close_to(rgb.getpixel((x, y)), YELLOW):
                    yellow += 1
    assert yellow > 200  # the big code, in the accent colour


def test_display_shows_its_pairing_code_in_the_sites_language(
    rig: Rig, ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    shot = screenshots / "pairing-display.png"
    pairing_screen("display", ["--size", "1280x720"], rig, ui_env, shot, tmp_path)
    with Image.open(shot) as image:
        assert image.size == (1280, 720)


def test_kiosk_shows_its_pairing_code(
    rig: Rig, ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    shot = screenshots / "pairing-kiosk.png"
    pairing_screen("kiosk", ["--size", "1280x800"], rig, ui_env, shot, tmp_path)
    assert len(rig.prov.pairing.pending()) == 1  # the hub saw its request
    with Image.open(shot) as image:
        assert image.size == (1280, 800)
