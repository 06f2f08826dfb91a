"""The kiosk in a real window under Xvfb, against a real Mosquitto and hub: tap through each
flow and save a screenshot of every screen (tests/screenshots/kiosk-*/)."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from link.client import LoketClient
from link.protocol import messages as m
from loket.broker import Mosquitto
from queue_engine.hub.bootstrap import HubProcess, build_hub
from queue_engine.importing.send import import_file
from tests.mqtt_fixtures import ROOT, TOWNHALL, FrozenClock, started
from tests.sites import local

CAREHOME = ROOT / "config" / "carehome.yaml"
START = "2026-12-03T09:00:00+01:00"
APPOINTMENTS = """booking_code,start,services,language
GB7K2M,2026-12-03 09:10,geboorte,nl
"""
Step = dict[str, Any]
#: Seconds before a kiosk that has not quit counts as hung (the steps wait for states).
HANG = 300


class Rig:
    """A hub on a fresh SQLite file (with today's appointments), restartable."""

    def __init__(self, broker: Mosquitto, folder: Path, config: Path = TOWNHALL) -> None:
        self.broker, self.folder, self.config = broker, folder, config
        self.clock = FrozenClock(local("2026-12-03 09:00"))
        self.process: HubProcess | None = None

    def start(self, appointments: bool = False) -> HubProcess:
        process = build_hub(self.config, self.folder / "site.db", self.broker.broker,
                            clock=self.clock)  # fmt: skip
        if appointments:
            (self.folder / "appointments.csv").write_text(APPOINTMENTS)
            import_file(process.hub.engine, self.folder / "appointments.csv", self.clock())
        process.hub.start()
        assert process.hub.connection.wait_online(5)
        self.process = process
        return process

    def stop(self) -> None:
        if self.process is not None:
            self.process.close()
            self.process = None

    def tickets(self) -> list[Any]:
        assert self.process is not None
        return list(self.process.hub.engine.state.tickets.values())


@pytest.fixture
def rig(mosquitto: Mosquitto, tmp_path: Path) -> Iterator[Rig]:
    made = Rig(mosquitto, tmp_path)
    yield made
    made.stop()


def run_kiosk(
    name: str,
    steps: list[Step],
    env: dict[str, str],
    broker: Mosquitto,
    shots: Path,
    tmp: Path,
    *extra: str,
    config: Path = TOWNHALL,
    device: str = "kiosk-inkom",
    printer: str = "dummy:",
    meanwhile: Callable[[], None] | None = None,
) -> list[dict[str, Any]]:
    """Run `loket kiosk` with a script; fail with its output unless every step passed."""
    folder = shots / f"kiosk-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    script, log = tmp / f"{name}.json", tmp / f"{name}.jsonl"
    played = {"steps": [*steps, {"quit": True}], "shots": str(folder), "log": str(log)}
    script.write_text(json.dumps(played), encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "loket.cli",
        "kiosk",
        "--config",
        str(config),
        "--device",
        device,
        "--broker",
        broker.broker.url,
        "--printer",
        printer,
        "--data-dir",
        str(tmp / "kiosk-data"),
        "--start-time",
        START,
        *extra,
    ]
    proc = subprocess.Popen(
        command,
        env={**env, "LOKET_UI_SCRIPT": str(script)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if meanwhile is not None:
            meanwhile()
        _out, err = proc.communicate(timeout=HANG)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    events = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    failed = [e for e in events if e["event"] == "error"]
    assert proc.returncode == 0 and not failed, (failed, err[-3000:])
    assert "Traceback" not in err, err[-3000:]
    assert "too much iteration" not in err, "a layout loop: " + err[-3000:]
    return events


def shots_of(events: list[dict[str, Any]]) -> list[Path]:
    return [Path(e["path"]) for e in events if e["event"] == "shot"]


def small_targets(events: list[dict[str, Any]]) -> list[str]:
    return [s for e in events if e["event"] == "targets" for s in e["small"]]


def wait_for_file(path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"the kiosk never reached {path.name}"
        time.sleep(0.05)


def decode_qr(path: Path) -> list[str]:
    """What zbarimg reads in a screenshot (the QR codes on screen)."""
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(path)], capture_output=True,
                         text=True, check=False)  # fmt: skip
    return out.stdout.split()


#: The same 21.5-inch screen at a lower resolution: quicker to draw in software.
SMALL = ("--size", "1280x720", "--screen-width-mm", "476")
ONLINE: list[Step] = [{"until": {"online": True}, "timeout": 10}]


def test_walk_in_ticket(
    rig: Rig, mosquitto: Mosquitto, ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    rig.start()
    steps: list[Step] = [
        *ONLINE,
        {"shot": "01-welcome"},
        {"tap": "start"},
        {"until": {"screen": "start"}},
        {"shot": "02-start"},
        {"tap": "walk_in"},
        {"until": {"screen": "services"}},
        {"shot": "03-services"},
        {"check_targets": True},
        {"tap": "tile:snelbalie"},
        {"until": {"screen": "ticket", "print_state": "printed"}, "timeout": 15},
        {"shot": "04-ticket"},
        {"tap": "done"},
        {"until": {"screen": "welcome"}},
        {"tap": "start"},
        {"tap": "walk_in"},
        {"tap": "tile:huwelijk"},
        {"until": {"screen": "notice"}},
        {"shot": "05-appointments-only"},
        {"until": {"overlay": "idle"}, "timeout": 10},
        {"shot": "06-more-time"},
        {"tap": "more_time"},
        {"until": {"overlay": ""}},
        {"until": {"overlay": "idle"}, "timeout": 10},
        {"until": {"screen": "welcome", "overlay": ""}, "timeout": 10},
        {"log": "reset"},
    ]
    idle = ("--idle-seconds", "3", "--idle-prompt-seconds", "2")
    events = run_kiosk("walk-in", steps, ui_env, mosquitto, screenshots, tmp_path, *idle)
    assert small_targets(events) == []
    [ticket] = rig.tickets()
    assert ticket.number.startswith("S") and ticket.service_id == "snelbalie"
    assert ticket.channel.value == "kiosk" and ticket.language == "nl"
    shown = next(e for e in events if e["event"] == "shot" and "04-ticket" in e["path"])
    assert shown["state"]["ticket_number"] == ticket.number
    assert decode_qr(Path(shown["path"])) == [shown["state"]["ticket_qr"]]
    assert decode_qr(shots_of(events)[-2]) == [
        "https://www.stadvoorbeeld.example/afspraak/burgerlijke-stand"
    ]


def test_appointment_check_in_with_nudge(
    rig: Rig, mosquitto: Mosquitto, ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    rig.start(appointments=True)
    keys: list[Step] = [{"tap": f"key:{ch}"} for ch in "GB7K2M"]
    steps: list[Step] = [
        *ONLINE,
        {"tap": "start"},
        {"tap": "appointment"},
        {"until": {"screen": "keypad"}},
        {"type": "ZZZZ99\n"},  # a keyboard-wedge scanner reads an unknown code
        {"until": {"screen": "notice"}, "timeout": 10},
        {"shot": "01-unknown-code"},
        {"tap": "try_again"},
        {"until": {"screen": "keypad"}},
        *keys,
        {"shot": "02-keypad"},
        {"check_targets": True},
        {"tap": "submit"},
        {"until": {"screen": "checked_in"}, "timeout": 10},
        {"shot": "03-checked-in"},
        {"tap": "offer_yes"},
        {"until": {"offer_text": "", "busy": False}, "timeout": 10},
        {"shot": "04-offer-accepted"},
        {"tap": "get_ticket"},
        {"until": {"screen": "ticket", "print_state": "printed"}, "timeout": 15},
        {"shot": "05-ticket"},
    ]
    events = run_kiosk("appointment", steps, ui_env, mosquitto, screenshots, tmp_path, *SMALL)
    assert small_targets(events) == []
    [ticket] = rig.tickets()
    assert ticket.kind.value == "appointment" and ticket.service_id == "geboorte"
    assert ticket.visit_services == ("kinderopvang",), "the nudge was accepted"
    assert "kinderopvang" in json.dumps(events[-1]["state"]) or ticket.visit_services


def test_language_switch(
    rig: Rig, mosquitto: Mosquitto, ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    rig.start()
    steps: list[Step] = [
        *ONLINE,
        {"tap": "lang:fr"},
        {"until": {"language": "fr"}},
        {"shot": "01-welcome-fr"},
        {"tap": "start"},
        {"tap": "lang:de"},
        {"until": {"language": "de"}},
        {"shot": "02-start-de"},
        {"tap": "lang:en"},
        {"tap": "walk_in"},
        {"until": {"screen": "services"}},
        {"shot": "03-services-en"},
        {"tap": "tile:eid"},
        {"until": {"screen": "ticket", "print_state": "printed"}, "timeout": 15},
        {"shot": "04-ticket-en"},
        {"tap": "done"},
        {"until": {"screen": "welcome", "language": "nl"}},
        {"shot": "05-back-in-dutch"},
    ]
    run_kiosk("language", steps, ui_env, mosquitto, screenshots, tmp_path, *SMALL)
    [ticket] = rig.tickets()
    assert ticket.language == "en" and ticket.service_id == "eid"


def test_accessible_mode(
    rig: Rig, mosquitto: Mosquitto, ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    rig.start()
    steps: list[Step] = [
        *ONLINE,
        {"tap": "accessibility"},
        {"until": {"overlay": "accessibility"}},
        {"tap": "large_text"},
        {"tap": "high_contrast"},
        {"tap": "read_aloud"},
        {"until": {"large_text": True, "high_contrast": True, "speech": True}},
        {"shot": "01-settings"},
        {"tap": "close"},
        {"shot": "02-welcome"},
        {"tap": "start"},
        {"shot": "03-start"},
        {"tap": "walk_in"},
        {"until": {"screen": "services"}},
        {"shot": "04-services"},
        {"check_targets": True},
        {"tap": "help"},
        {"until": {"overlay": "help"}},
        {"shot": "05-help"},
        {"tap": "close"},
        {"tap": "tile:adreswijziging"},
        {"until": {"screen": "ticket", "print_state": "printed"}, "timeout": 15},
        {"shot": "06-ticket"},
        {"check_targets": True},
    ]
    events = run_kiosk("accessible", steps, ui_env, mosquitto, screenshots, tmp_path, *SMALL)
    assert small_targets(events) == []
    from PIL import Image

    with Image.open(shots_of(events)[3]) as image:
        assert image.convert("RGB").getpixel((5, image.height // 2)) == (0, 0, 0), "black"


def test_printer_paper_out_fallback(
    rig: Rig,
    mosquitto: Mosquitto,
    ui_env: dict[str, str],
    screenshots: Path,
    tmp_path: Path,
    connect: Callable[..., LoketClient],
) -> None:
    rig.start()
    statuses: queue.Queue[m.DeviceStatus] = queue.Queue()
    staff = connect("staff-loket-1")
    staff.on_device_status(lambda s: statuses.put(s) if s.device == "kiosk-inkom" else None)
    started(staff)
    steps: list[Step] = [
        *ONLINE,
        {"shot": "01-welcome-printer-down"},
        {"tap": "start"},
        {"tap": "walk_in"},
        {"tap": "tile:afval"},
        {"until": {"screen": "ticket", "print_state": "failed"}, "timeout": 15},
        {"wait": 0.3},
        {"shot": "02-not-printed"},
        {"tap": "done"},
        {"until": {"screen": "welcome"}},
    ]
    events = run_kiosk("paper-out", steps, ui_env, mosquitto, screenshots, tmp_path, *SMALL,
                       printer="dummy:?status=paper_out")  # fmt: skip
    failed = next(e for e in events if e["event"] == "shot" and "02-not" in e["path"])
    assert failed["state"]["ticket_number"].startswith("M")
    assert decode_qr(Path(failed["path"])), "the QR code is still on screen"
    seen = []
    while not statuses.empty():
        seen.append(statuses.get_nowait())
    assert any(s.printer == "paper_out" for s in seen), seen
    [ticket] = rig.tickets()
    assert ticket.number == failed["state"]["ticket_number"], "stored though not printed"


def test_hub_offline_and_back(
    rig: Rig, mosquitto: Mosquitto, ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    rig.start()
    hub_gone, issued = tmp_path / "hub-gone", tmp_path / "issued"
    steps: list[Step] = [
        *ONLINE,
        {"until": {"leases_ready": True}, "timeout": 15},
        {"touch_file": str(tmp_path / "leased")},
        {"wait_file": str(hub_gone)},
        {"until": {"online": False}, "timeout": 10},
        {"shot": "01-welcome-offline"},
        {"tap": "start"},
        {"tap": "appointment"},
        {"type": "GB7K2M\n"},
        {"until": {"screen": "notice"}, "timeout": 10},
        {"shot": "02-check-in-offline"},
        {"tap": "walk_in"},
        {"until": {"screen": "services"}},
        {"shot": "03-services-offline"},
        {"tap": "tile:snelbalie"},
        {"until": {"screen": "ticket", "print_state": "printed", "pending": 1}, "timeout": 15},
        {"shot": "04-offline-ticket"},
        {"touch_file": str(issued)},
        {"until": {"online": True, "pending": 0}, "timeout": 20},
        {"tap": "done"},
        {"until": {"screen": "welcome"}},
        {"shot": "05-back-online"},
    ]

    def meanwhile() -> None:
        wait_for_file(tmp_path / "leased")
        rig.stop()
        hub_gone.write_text("1")
        wait_for_file(issued)
        rig.clock.set(local("2026-12-03 09:20"))
        rig.start()

    events = run_kiosk("offline", steps, ui_env, mosquitto, screenshots, tmp_path, *SMALL,
                       meanwhile=meanwhile)  # fmt: skip
    offline = next(e for e in events if e["event"] == "shot" and "04-offline" in e["path"])
    number = offline["state"]["ticket_number"]
    assert offline["state"]["ticket_qr"] == "" and offline["state"]["ticket_note"]
    [ticket] = [t for t in rig.tickets() if t.number == number]
    stored = json.loads((tmp_path / "kiosk-data" / "offline.json").read_text())
    [record] = [t for t in stored["tickets"] if t["number"] == number]
    assert record["handed_in"] and ticket.issued_at == datetime.fromisoformat(record["issued_at"])
    assert ticket.issued_at < local("2026-12-03 09:20"), "it keeps its original time"
    assert len([t for t in rig.tickets() if t.number == number]) == 1


def test_care_home_mode(
    mosquitto: Mosquitto, ui_env: dict[str, str], screenshots: Path, tmp_path: Path
) -> None:
    rig = Rig(mosquitto, tmp_path, CAREHOME)
    rig.start()
    try:
        steps: list[Step] = [
            *ONLINE,
            {"until": {"screen": "care"}},
            {"shot": "01-care"},
            {"check_targets": True},
            {"tap": "tile:onthaal"},
            {"until": {"screen": "ticket", "print_state": "printed"}, "timeout": 15},
            {"shot": "02-ticket"},
        ]
        events = run_kiosk("care-home", steps, ui_env, mosquitto, screenshots, tmp_path, *SMALL,
                           config=CAREHOME, device="zuil-inkomhal")  # fmt: skip
        assert small_targets(events) == []
        assert events[-1]["state"]["speech"] is True
        [ticket] = rig.tickets()
        assert ticket.service_id == "onthaal"
    finally:
        rig.stop()
