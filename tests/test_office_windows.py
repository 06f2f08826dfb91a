"""The office's actions in real windows under Xvfb: a paused service's tile and notice at
the kiosk, an info message on the display board of its zone; screenshots saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from link.client import LoketClient
from link.protocol.topics import WEB_DEVICE
from loket.broker import Mosquitto
from queue_engine.hub.bootstrap import HubProcess
from tests.mqtt_fixtures import TOWNHALL, FrozenClock, started
from tests.test_display_window import run_ui
from tests.test_kiosk_window import ONLINE, SMALL, Rig, Step, rig, run_kiosk, small_targets

__all__ = ["rig"]
Connect = Callable[..., LoketClient]
MESSAGE = {
    "nl": "Paspoorten: vandaag geen tickets meer, wel op afspraak",
    "fr": "Passeports : plus de tickets aujourd'hui, sur rendez-vous",
}


def test_the_kiosk_shows_a_paused_service_with_the_offices_message(
    rig: Rig,
    mosquitto: Mosquitto,
    connect: Connect,
    ui_env: dict[str, str],
    screenshots: Path,
    tmp_path: Path,
) -> None:
    rig.start()
    web = started(connect(WEB_DEVICE, role="web"))
    assert web.request("pause_service", by="an", service_id="paspoort", message=MESSAGE).ok
    steps: list[Step] = [
        *ONLINE,
        {"tap": "start"},
        {"tap": "walk_in"},
        {"until": {"screen": "services"}},
        {"shot": "01-paused-tile"},
        {"check_targets": True},
        {"tap": "tile:paspoort"},
        {"until": {"screen": "notice"}},
        {"shot": "02-paused-notice"},
        {"tap": "home"},
        {"until": {"screen": "welcome"}},
        {"tap": "lang:fr"},
        {"tap": "start"},
        {"tap": "walk_in"},
        {"tap": "tile:paspoort"},
        {"until": {"screen": "notice", "notice_body": MESSAGE["fr"]}},
        {"shot": "03-paused-notice-fr"},
    ]
    events = run_kiosk("paused", steps, ui_env, mosquitto, screenshots, tmp_path, *SMALL)
    assert small_targets(events) == []
    shots = [e for e in events if e["event"] == "shot"]
    assert all(Path(e["path"]).stat().st_size > 10_000 for e in shots)
    notice = next(e for e in shots if "02-paused-notice" in e["path"])
    assert notice["state"]["notice_body"] == MESSAGE["nl"]
    assert "paspoort" not in {t.service_id for t in rig.tickets()}


def test_the_board_of_the_zone_shows_the_offices_info_message(
    hub: HubProcess,
    connect: Connect,
    mosquitto: Mosquitto,
    clock: FrozenClock,
    ui_env: dict[str, str],
    screenshots: Path,
    tmp_path: Path,
) -> None:
    clock.set(datetime.now(UTC))  # the board runs on the real clock
    web = started(connect(WEB_DEVICE, role="web"))
    text = "Loket 5 is vandaag gesloten: ga naar loket 4"
    until_at = (clock() + timedelta(days=1)).isoformat()
    posted: Any = web.request(
        "post_info", by="an", texts={"nl": text}, until=until_at, zones=["gelijkvloers"]
    )
    assert posted.ok
    shot = screenshots / "display-office-info.png"
    steps = [
        {"until": {"info_text": text, "live": True}, "timeout": 30},
        {"shot": str(shot)},
        {"quit": True},
    ]
    args = ["display", "--config", str(TOWNHALL), "--device", "display-gelijkvloers",
            "--broker", mosquitto.broker.url, "--size", "1280x720"]  # fmt: skip
    run_ui(args, steps, ui_env, tmp_path)
    assert shot.stat().st_size > 10_000
