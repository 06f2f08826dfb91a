"""`loket provision init`, `loket hub --provisioning` as a process, `loket devices`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from loket.broker import Mosquitto, free_port
from loket.cli import main
from provisioning.admin import HubUnreachable, ask
from tests.mqtt_fixtures import TOWNHALL
from tests.provisioning_helpers import until

LOKET = [sys.executable, "-m", "loket.cli"]


def loket(*args: object) -> subprocess.CompletedProcess[str]:
    """Run the `loket` command."""
    return subprocess.run(
        [*LOKET, *map(str, args)], capture_output=True, text=True, timeout=60, check=False
    )


def _answers(data: Path) -> bool:
    try:
        return ask(data, "list", timeout=2).ok
    except (HubUnreachable, ValueError):
        return False


def test_the_hub_process_serves_devices_and_reloads_the_broker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, broker_dir = tmp_path / "provisioning", tmp_path / "broker"
    port = free_port()
    url = f"mqtt://127.0.0.1:{port}"
    init = loket(
        "provision",
        "init",
        "--config",
        TOWNHALL,
        "--data",
        data,
        "--broker-dir",
        broker_dir,
        "--broker",
        url,
    )
    assert init.returncode == 0, init.stderr
    assert f"password_file {broker_dir / 'passwd'}" in init.stdout
    lines = "".join(
        line + "\n" for line in init.stdout.splitlines() if line.endswith(("passwd", "acl"))
    )
    mosquitto = Mosquitto(port, extra=lines + ("user root\n" if os.geteuid() == 0 else ""))
    mosquitto.start()
    hub = None
    try:
        assert mosquitto._proc is not None
        pidfile = tmp_path / "mosquitto.pid"
        pidfile.write_text(str(mosquitto._proc.pid))
        hub = subprocess.Popen(
            [
                *LOKET,
                "hub",
                "--config",
                str(TOWNHALL),
                "--db",
                str(tmp_path / "site.db"),
                "--broker",
                url,
                "--provisioning",
                str(data),
                "--broker-dir",
                str(broker_dir),
                "--broker-reload",
                f"pid:{pidfile}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        until(lambda: _answers(data), timeout=30)
        assert main(["devices", "--data", str(data), "list"]) == 0
        row = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("staff-loket-3"))
        assert row.split()[:2] == ["staff-loket-3", "staff"] and "not enrolled" in row
        assert main(["devices", "--data", str(data), "revoke", "Terminal loket 3"]) == 0
        assert "revoked: staff-loket-3" in capsys.readouterr().out
        assert main(["devices", "--data", str(data), "revoke", "nobody"]) == 1
        assert "no device 'nobody'" in capsys.readouterr().err
        assert "staff-loket-3" not in (broker_dir / "acl").read_text()
    finally:
        if hub is not None:
            hub.send_signal(signal.SIGTERM)
            _out, err = hub.communicate(timeout=20)
            assert hub.returncode == 0, err
        mosquitto.close()


def test_devices_says_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["devices", "--data", str(tmp_path), "list"]) == 2
    assert "start the hub with --provisioning" in capsys.readouterr().err
    assert main(["provision", "tls", "--out", str(tmp_path / "tls"), "--site", "bad site!"]) == 2
    assert "site id" in capsys.readouterr().err
