"""The deployment guide, run as written: README's and PROVISIONING.md's shell lines on this
machine as root, in a throw-away folder instead of /, then Mosquitto started as its own
user on what they wrote (the hub's accounts log in, anonymous clients only on the enrolment
listener), who can read which file, and `systemd-analyze verify` on every unit in deploy/.
(`make deploy-check`.)"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from loket.broker import INSTALL_HINT, free_port, mosquitto_binary
from provisioning.broker_files import client_id_prefix
from tests.mqtt_fixtures import ROOT, until

pytestmark = pytest.mark.security

VENV = Path(sys.executable).parent.parent
SITE = "stad-voorbeeld"  # config/townhall.yaml's, which the guide sets up
#: The guide's sections that hold the hub's setup, each a heading and its file.
GUIDES = [
    (ROOT / "README.md", "## Deployment on Debian / Raspberry Pi"),
    (ROOT / "deploy" / "PROVISIONING.md", "## On the hub (Debian / Raspberry Pi OS)"),
]


def shell_lines(path: Path, heading: str) -> list[str]:
    """The commands in the ```sh blocks of one section of a markdown file."""
    text = path.read_text(encoding="utf-8")
    section = text[text.index(heading) + len(heading) :]
    section = section[: section.find("\n## ")] if "\n## " in section else section
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    joined = "\n".join(blocks).replace("\\\n", " ")
    lines = (line.split("#", 1)[0].strip() for line in joined.splitlines())
    return [line for line in lines if line]


def installed(package: str) -> bool:
    """Whether a Debian package is installed."""
    found = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], check=False, capture_output=True, text=True
    )
    return found.stdout.endswith("installed")


def follow(line: str, prefix: Path) -> None:
    """Do one line of the guide here: check the packages, use this checkout, run the setup."""
    words = shlex.split(line)
    if words[:3] == ["sudo", "apt-get", "install"]:
        missing = [name for name in words[3:] if not installed(name)]
        assert not missing, f"the guide installs {missing}: not installed here"
    elif words[:2] == ["sudo", "git"]:
        assert line.endswith("sudo make venv")  # this checkout, with its .venv
    elif words[:2] == ["sudo", "deploy/setup-hub.sh"]:
        env = {**os.environ, "LOKET_PREFIX": str(prefix), "LOKET_VENV": str(VENV)}
        done = subprocess.run(
            words[1:], cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
    else:
        raise AssertionError(f"a step this test does not know how to follow: {line!r}")


def readable(user: str, paths: list[Path], test: str = "-r") -> set[Path]:
    """Which of `paths` `user` can read (or, with test="-w", write)."""
    script = f'for p; do [ {test} "$p" ] && echo "$p"; done; true'
    out = subprocess.run(
        ["runuser", "-u", user, "--", "sh", "-c", script, "sh", *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {Path(line) for line in out.splitlines()}


@pytest.fixture(scope="module")
def prefix() -> Iterator[Path]:
    """A folder standing in for /, that the loket and mosquitto users can enter."""
    if os.geteuid() != 0:
        pytest.skip("the deployment guide runs as root")
    if mosquitto_binary() is None:
        pytest.fail(f"this test needs a real Mosquitto; {INSTALL_HINT}")
    folder = Path(tempfile.mkdtemp(prefix="loket-deploy-"))
    folder.chmod(0o755)
    try:
        for path, heading in GUIDES:  # the second guide runs over the first: it must be idempotent
            lines = shell_lines(path, heading)
            assert any("deploy/setup-hub.sh" in line for line in lines), path
            for line in lines:
                follow(line, folder)
        yield folder
    finally:
        shutil.rmtree(folder)


def test_both_guides_give_the_same_steps() -> None:
    readme, provisioning = (shell_lines(path, heading) for path, heading in GUIDES)
    assert readme == provisioning


def test_each_file_is_readable_by_whom_needs_it_only(prefix: Path) -> None:
    etc, data = prefix / "etc" / "loket", prefix / "var" / "lib" / "loket"
    conf_d = prefix / "etc" / "mosquitto" / "conf.d"
    conf = [conf_d / name for name in ("loket.conf", "loket-tls.conf", "loket-site.conf")]
    broker = [
        *conf,
        etc / "tls" / "ca.pem",
        etc / "tls" / "broker.pem",
        etc / "tls" / "broker.key",
        data / "broker" / "passwd",
        data / "broker" / "acl",
        data / "broker" / "loket-site.conf",
    ]
    hub = [etc / "site.yaml", *(data / "provisioning").iterdir()]
    assert {path.name for path in hub} >= {f"{who}.json" for who in ACCOUNTS}
    public = [etc / "ca.pem", *conf]  # the hub hands the CA to enrolling devices
    secret = [etc / "tls" / "ca.key"]
    everything = broker + hub + public + secret
    assert readable("mosquitto", everything) == {*broker, *public}
    assert readable("loket", everything) == {*hub, *public, *broker[-3:]}  # it writes those
    writable = [data, data / "broker", data / "provisioning", etc, etc / "tls"]
    assert readable("loket", writable, "-w") == {data, data / "broker", data / "provisioning"}


#: The hub's accounts: the hub, its enrolment service, `loket devices`, the live page.
ACCOUNTS = ("hub", "provisioning", "admin", "web")


def account(path: Path) -> tuple[str, str]:
    """(username, password) of a credentials file."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return raw["username"], raw["password"]


def exec_options(unit: Path) -> dict[str, str]:
    """The options of a unit's (last) ExecStart, e.g. {"--ca-file": "/etc/loket/ca.pem"}."""
    line = [ln for ln in unit.read_text().splitlines() if ln.startswith("ExecStart=/")][-1]
    words = shlex.split(line.removeprefix("ExecStart="))
    return {word: value for word, value in pairwise(words) if word.startswith("--")}


class _Login:
    """One MQTT login (anonymous when `username` is None): the broker's answer."""

    def __init__(
        self,
        port: int,
        username: str | None,
        password: str | None,
        ca: Path | None,
        client_id: str = f"{client_id_prefix(SITE)}deploy-check",
    ) -> None:
        self.answered = threading.Event()
        self.code = -1
        client = paho.Client(CallbackAPIVersion.VERSION2, client_id=client_id)
        if username is not None:
            client.username_pw_set(username, password)
        if ca is not None:
            client.tls_set(ca_certs=str(ca), cert_reqs=ssl.CERT_REQUIRED)
        client.on_connect = self._connected
        client.connect("localhost" if ca else "127.0.0.1", port)
        client.loop_start()
        try:
            assert self.answered.wait(10), f"no answer on port {port}"
        finally:
            client.disconnect()
            client.loop_stop()

    def _connected(
        self, client: paho.Client, userdata: object, flags: object, code: object, *_: object
    ) -> None:
        self.code = int(getattr(code, "value", code))  # type: ignore[call-overload]
        self.answered.set()


def test_the_units_name_files_their_user_can_read(prefix: Path) -> None:
    units = prefix / "etc" / "systemd" / "system"
    hub = exec_options(units / "loket-hub.service.d" / "loket-hub-provisioning.conf")
    web = exec_options(units / "loket-web.service")
    assert hub["--enrol-port"] == "8884"  # advertised, so devices enrol on that listener
    assert web["--credentials"] == str(Path(hub["--provisioning"]) / "web.json")
    files = [Path(hub["--ca-file"]), Path(hub["--config"]), Path(web["--credentials"])]
    assert all(path.is_relative_to(prefix) for path in files)
    assert readable("loket", files) == set(files)


def test_mosquitto_starts_as_its_own_user_and_lets_the_hub_in(prefix: Path) -> None:
    conf_d = prefix / "etc" / "mosquitto" / "conf.d"
    listener = conf_d / "loket-tls.conf"
    plain, tls, enrol = free_port(), free_port(), free_port()
    # What the guide wrote, on free loopback ports instead of 1883, 8883 and 8884.
    loket_conf = conf_d / "loket.conf"
    loket_conf.write_text(
        loket_conf.read_text().replace("listener 1883 127.0.0.1", f"listener {plain} 127.0.0.1")
    )
    text = listener.read_text().replace("listener 8883\n", f"listener {tls} 127.0.0.1\n")
    listener.write_text(text.replace("listener 8884\n", f"listener {enrol} 127.0.0.1\n"))
    main = prefix / "etc" / "mosquitto" / "mosquitto.conf"  # as Debian's package has it
    main.write_text(f"include_dir {conf_d}\nlog_dest stderr\n")
    broker = subprocess.Popen(
        ["runuser", "-u", "mosquitto", "--", "mosquitto", "-c", str(main)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        folder = prefix / "var" / "lib" / "loket" / "provisioning"
        accounts = {who: account(folder / f"{who}.json") for who in ACCOUNTS}
        until(lambda: broker.poll() is not None or _listening(enrol), 10, "the TLS listeners")
        assert broker.poll() is None, broker.communicate()[1]
        ca = prefix / "etc" / "loket" / "ca.pem"
        username, password = accounts["hub"]
        assert _Login(tls, username, password, ca).code == 0
        for who, (username, password) in accounts.items():
            assert _Login(plain, username, password, None).code == 0, who
        assert _Login(plain, username, "wrong", None).code != 0
        # Anonymous clients: only on the enrolment listener, only with the site's id prefix.
        assert _Login(plain, None, None, None).code != 0
        assert _Login(tls, None, None, ca).code != 0
        assert _Login(enrol, None, None, ca).code == 0
        assert _Login(enrol, None, None, ca, client_id="hub@" + SITE).code != 0
    finally:
        broker.terminate()
        broker.communicate(timeout=10)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_systemd_analyze_verify_passes_on_every_unit(prefix: Path, tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail("this test needs systemd-analyze: sudo apt-get install systemd")
    installed_units = prefix / "etc" / "systemd" / "system"
    units = []
    for unit in sorted((ROOT / "deploy").glob("*.service")) + sorted(
        (ROOT / "deploy").glob("*.path")
    ):
        placed = installed_units / unit.name
        if not placed.exists():  # the devices' units: with this checkout's venv
            placed = tmp_path / unit.name
            placed.write_text(unit.read_text().replace("/opt/loket/.venv", str(VENV)))
        units.append(str(placed))
    command = [analyze, "verify", *units]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "loket" not in done.stderr, done.stderr
