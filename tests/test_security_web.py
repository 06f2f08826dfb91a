"""Issue 13, item 3: the live ticket page works on a secured site, with its own credentials."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from link.client import LoketClient
from loket import cmd_web
from loket.broker import free_port
from tests.mqtt_fixtures import TOWNHALL, started, until
from tests.provisioning_helpers import Rig, rig
from tests.web_fixtures import get

__all__ = ["rig"]
pytestmark = pytest.mark.security


def _hub_args(port: int) -> argparse.Namespace:
    """What `loket hub --web-port N` passes on to its child."""
    return argparse.Namespace(
        verbose=False,
        config=str(TOWNHALL),
        web_port=port,
        web_bind="127.0.0.1",
        delay_minutes=None,
        max_streams=50,
        log_format="text",
        allow_delay=False,
    )


def test_the_live_page_logs_in_as_web_and_no_password_shows(rig: Rig, tmp_path: Path) -> None:
    creds = rig.enrol("kiosk", tmp_path / "kiosk", name="Kiosk inkom")
    kiosk = started(LoketClient(creds.site, creds.device_id, creds.broker(), role="kiosk"))
    try:
        ticket = kiosk.request("issue_ticket", service_id="paspoort").data.ticket
    finally:
        kiosk.close()
    port = free_port()
    child = cmd_web.spawn(_hub_args(port), rig.broker, rig.prov.web_credentials)
    try:
        base = f"http://127.0.0.1:{port}"
        until(lambda: _status(f"{base}/healthz") == 200, timeout=20, what="/healthz 200")
        status, _headers, page = get(f"{base}/t/{ticket.token}")
        assert status == 200 and ticket.number in page
        command_line = Path(f"/proc/{child.pid}/cmdline").read_bytes()
        password = json.loads(Path(rig.prov.web_credentials).read_text())["password"]
        assert password.encode() not in command_line
        assert b"--credentials" in command_line
    finally:
        cmd_web.stop_child(child)


def test_a_password_in_the_broker_url_is_refused() -> None:
    with pytest.raises(ValueError, match="no password in the URL"):
        cmd_web.web_broker("mqtt://web%40site:secret@127.0.0.1:1883", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "loket.cli",
            "web",
            "--config",
            str(TOWNHALL),
            "--broker",
            "mqtt://u:p@127.0.0.1:1",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2 and "no password in the URL" in done.stderr


def _status(url: str) -> int:
    try:
        return get(url)[0]
    except OSError:
        return 0
