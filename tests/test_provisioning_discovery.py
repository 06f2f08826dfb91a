"""Zero-touch: zeroconf discovery to a working kiosk (through the `loket devices` command),
enrolment over TLS with the site's CA, and avahi-browse seeing the advertisement."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from link.client import LoketClient
from loket.broker import free_port
from provisioning.discovery import Advertiser, HubAnnouncement, discover
from provisioning.enrol import Credentials
from provisioning.tls import listener_conf, provision_tls
from tests.mqtt_fixtures import FrozenClock, started
from tests.provisioning_helpers import SITE, Rig, provisioned_hub, until

LOOPBACK = ["127.0.0.1"]
LOKET = [sys.executable, "-m", "loket.cli"]


@pytest.fixture
def advertised(tmp_path: Path, clock: FrozenClock) -> Iterator[Rig]:
    """A provisioned hub that advertises itself on loopback."""
    yield from provisioned_hub(
        tmp_path, clock, advertise=True, advertise_addresses=LOOPBACK, interfaces=LOOPBACK
    )


def loket(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the `loket` command."""
    return subprocess.run([*LOKET, *args], capture_output=True, text=True, timeout=60, check=False)


def test_from_discovery_to_a_kiosk_issuing_a_ticket(advertised: Rig, tmp_path: Path) -> None:
    found = discover(5, site=SITE, interfaces=LOOPBACK)
    assert found is not None and found.broker == advertised.broker.url and not found.tls
    codes, result = advertised.start_enrolment(
        "kiosk", tmp_path / "kiosk", hub=None, interfaces=LOOPBACK
    )
    code = codes.get(timeout=15)
    advertised.waiting()
    data = str(advertised.folder)
    approved = loket(
        "devices",
        "--data",
        data,
        "approve",
        code[:3] + " " + code[3:],
        "--role",
        "kiosk",
        "--name",
        "Kiosk inkom",
    )
    assert approved.returncode == 0, approved.stderr
    assert "approved: kiosk-inkom (kiosk, Kiosk inkom)" in approved.stdout
    creds = result.get(timeout=15)
    assert isinstance(creds, Credentials)
    kiosk = started(
        LoketClient(creds.site, creds.device_id, creds.broker(), role="kiosk", version="1.2.3")
    )
    try:
        assert kiosk.request("issue_ticket", service_id="eid").data.ticket.number == "ID001"
        kiosk.publish_status(True, printer="paper_low")
        until(lambda: (p := advertised.process.hub.devices.presence("kiosk-inkom")) and p.printer)
        listing = loket("devices", "--data", data, "list")
        assert listing.returncode == 0, listing.stderr
        row = next(line for line in listing.stdout.splitlines() if line.startswith("kiosk-inkom"))
        assert row.split()[:2] == ["kiosk-inkom", "kiosk"]
        assert "enrolled" in row and "yes" in row and "1.2.3" in row and "paper_low" in row
    finally:
        kiosk.close()
    wrong = loket("devices", "--data", data, "approve", "000000", "--role", "kiosk", "--name", "x")
    assert wrong.returncode == 1 and "no device waiting" in wrong.stderr


def test_enrolment_over_tls_hands_the_site_ca_to_the_device(
    tmp_path: Path, clock: FrozenClock
) -> None:
    tls_dir = tmp_path / "tls"
    provision_tls(tls_dir, SITE, ["localhost"])
    port, enrol_port = free_port(), free_port()
    url = f"mqtts://127.0.0.1:{port}"
    listener = listener_conf(tls_dir, port, bind="127.0.0.1", enrol_port=enrol_port)
    rigs = provisioned_hub(
        tmp_path, clock, extra=listener, ca_file=tls_dir / "ca.pem", public_broker=url
    )
    rig = next(rigs)
    try:
        codes, result = rig.start_enrolment(
            "display",
            tmp_path / "display",
            hub=HubAnnouncement(SITE, url, tls=True, enrol=f"mqtts://127.0.0.1:{enrol_port}"),
        )
        code = codes.get(timeout=10)
        rig.waiting()
        assert rig.admin("approve", code=code, role="display", name="Scherm hal").ok
        creds = result.get(timeout=10)
        assert isinstance(creds, Credentials) and creds.ca_file is not None
        assert Path(creds.ca_file).read_bytes() == (tls_dir / "ca.pem").read_bytes()
        broker = creds.broker()
        assert broker.tls and broker.verify and broker.port == port
        display = started(LoketClient(creds.site, creds.device_id, broker, role="display"))
        display.close()
        # The broker's certificate is checked: another CA does not vouch for it.
        other = tmp_path / "other"
        provision_tls(other, "elders", ["localhost"])
        context = ssl.create_default_context(cafile=str(other / "ca.pem"))
        with (
            pytest.raises(ssl.SSLCertVerificationError),
            socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        ):
            context.wrap_socket(raw, server_hostname="127.0.0.1")
    finally:
        rigs.close()


AVAHI_CONF = """[server]
use-ipv4=yes
use-ipv6=no
allow-interfaces=lo
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
disable-publishing=yes
"""
BUS_CONF = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path={socket}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow user="*"/><allow own="*"/><allow send_type="method_call"/>
<allow send_destination="*"/><allow receive_sender="*"/></policy></busconfig>
"""


@pytest.fixture
def avahi(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private D-Bus and an avahi-daemon on loopback only; the environment to reach them."""
    tools = [
        shutil.which(t) or (f"/usr/sbin/{t}" if Path(f"/usr/sbin/{t}").exists() else None)
        for t in ("dbus-daemon", "avahi-daemon", "avahi-browse")
    ]
    if None in tools:
        pytest.skip(
            "needs dbus-daemon, avahi-daemon and avahi-browse (apt-get install "
            "avahi-daemon avahi-utils dbus-daemon)"
        )
    if os.geteuid() != 0:
        pytest.skip("avahi-daemon runs only as root")
    sock = tmp_path / "bus"
    (tmp_path / "bus.conf").write_text(BUS_CONF.format(socket=sock))
    (tmp_path / "avahi.conf").write_text(AVAHI_CONF)
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={sock}"}
    procs: list[subprocess.Popen[bytes]] = []
    log = (tmp_path / "avahi.log").open("wb")
    try:
        procs.append(
            subprocess.Popen(
                [str(tools[0]), "--nofork", "--config-file", str(tmp_path / "bus.conf")], env=env
            )
        )
        until(sock.exists, timeout=5)
        procs.append(
            subprocess.Popen(
                [
                    str(tools[1]),
                    "-f",
                    str(tmp_path / "avahi.conf"),
                    "--no-drop-root",
                    "--no-chroot",
                    "--no-rlimits",
                    "--no-proc-title",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        deadline = time.monotonic() + 10
        while b"Server startup complete" not in (tmp_path / "avahi.log").read_bytes():
            if procs[1].poll() is not None or time.monotonic() > deadline:
                words = (tmp_path / "avahi.log").read_text(errors="replace").strip()
                pytest.skip(f"avahi-daemon did not start here: {words[-300:]}")
            time.sleep(0.05)
        yield env
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


def test_avahi_browse_sees_the_hub(avahi: dict[str, str]) -> None:
    announcement = HubAnnouncement(SITE, "", tls=True)
    advertiser = Advertiser(
        announcement, 8883, addresses=LOOPBACK, interfaces=LOOPBACK, hostname="loket-hub-test"
    )
    advertiser.start()
    try:
        seen = until(lambda: _browse(avahi), timeout=10)
    finally:
        advertiser.close()
    fields = seen.split(";")
    assert fields[3] == f"Loket\\032{SITE}" and fields[4] == "_loket._tcp"
    assert fields[6:9] == ["loket-hub-test.local", "127.0.0.1", "8883"]
    assert '"site=stad-voorbeeld"' in fields[9] and '"tls=1"' in fields[9]
    assert '"v=v1"' in fields[9]


def _browse(env: dict[str, str]) -> str | None:
    out = subprocess.run(
        ["avahi-browse", "-rtp", "_loket._tcp"],
        env=env,
        capture_output=True,
        text=True,
        timeout=15,
        check=False,
    ).stdout
    return next((line for line in out.splitlines() if line.startswith("=;")), None)
