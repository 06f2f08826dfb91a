"""The kiosk's screen size and device settings: EDID, the site file, the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from kiosk.bootstrap import lease_size, scanner_address, settings_from
from kiosk.screen import DEFAULT_WIDTH_MM, detected_width_mm, edid_size_mm
from siteconfig import DeviceConfig

#: The base block of a real monitor's EDID (a Dell D1918H, 18.5 inch, 1366x768 panel), as
#: published in the linuxhw/EDID collection: its first detailed timing says 410 x 230 mm.
DELL_D1918H = bytes.fromhex(
    "00 ff ff ff ff ff ff 00 10 ac 05 20 01 01 01 01 "
    "1b 1f 01 03 80 29 17 78 2a eb c5 a2 57 54 a0 27 "
    "0c 50 54 a5 4b 00 01 01 01 01 01 01 01 01 01 01 "
    "01 01 01 01 01 01 66 21 56 aa 51 00 1e 30 46 8f "
    "33 00 9a e6 10 00 00 1e 00 00 00 ff 00 4b 59 4a "
    "32 33 31 37 31 36 55 48 45 0a 00 00 00 fc 00 44 "
    "31 39 31 38 48 0a 20 20 20 20 20 20 00 00 00 fd "
    "00 38 4b 1e 53 09 00 0a 20 20 20 20 20 20 01 3a"
)


def with_checksum(block: bytearray) -> bytes:
    block[127] = (256 - sum(block[:127]) % 256) % 256
    return bytes(block)


def test_a_real_edid_gives_the_panel_size_in_mm() -> None:
    assert len(DELL_D1918H) == 128 and sum(DELL_D1918H) % 256 == 0
    assert edid_size_mm(DELL_D1918H) == (410, 230)
    with_extension = DELL_D1918H + bytes(128)  # the kernel's file holds every block
    assert edid_size_mm(with_extension) == (410, 230)


def test_without_a_detailed_timing_the_basic_size_in_cm_counts() -> None:
    block = bytearray(DELL_D1918H)
    block[54:72] = bytes([0, 0, 0, 0x10]) + bytes(14)  # a dummy descriptor instead
    assert edid_size_mm(with_checksum(block)) == (410, 230)
    block[21] = block[22] = 0  # a projector: no size at all
    assert edid_size_mm(with_checksum(block)) is None


@pytest.mark.parametrize(
    "broken",
    [b"", DELL_D1918H[:100], b"\x01" + DELL_D1918H[1:], DELL_D1918H[:127] + b"\x00"],
)
def test_a_broken_edid_gives_no_size(broken: bytes) -> None:
    assert edid_size_mm(broken) is None


def test_the_first_connected_monitor_with_a_size_is_the_screen(tmp_path: Path) -> None:
    assert detected_width_mm(tmp_path) is None  # no graphics card (a container, Xvfb)
    for name, status, edid in [
        ("card0-DP-1", "disconnected", b""),
        ("card0-eDP-1", "connected", b"\x00" * 128),  # a panel that says nothing useful
        ("card0-HDMI-A-1", "connected", DELL_D1918H),
    ]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "status").write_text(status + "\n")
        (tmp_path / name / "edid").write_bytes(edid)
    (tmp_path / "card0").mkdir()  # the card itself, not a connector
    assert detected_width_mm(tmp_path) == 410.0


def args(**kw: object) -> argparse.Namespace:
    options = dict(
        idle_seconds=None,
        idle_prompt_seconds=None,
        ticket_seconds=25.0,
        screen_width_mm=None,
        lease_size=None,
        scanner=None,
    )
    return argparse.Namespace(**{**options, **kw})


KIOSK = DeviceConfig(id="kiosk-inkom", role="kiosk", name="Zuil")
SET = DeviceConfig(
    id="kiosk-inkom",
    role="kiosk",
    name="Zuil",
    screen_width_mm=344.0,
    idle_seconds=60,
    idle_prompt_seconds=20,
    lease_size=25,
    scanner="serial:/dev/ttyACM0?baudrate=9600",
)


def test_command_line_then_site_file_then_detected_then_default() -> None:
    plain = settings_from(args(), KIOSK, None)
    assert plain.screen_width_mm == DEFAULT_WIDTH_MM == 476.0
    assert (plain.idle_seconds, plain.idle_prompt_seconds) == (90.0, 30.0)
    assert settings_from(args(), KIOSK, 344.2).screen_width_mm == 344.2  # the EDID
    from_site = settings_from(args(), SET, 410.0)
    assert from_site.screen_width_mm == 344.0  # the site file wins over the EDID
    assert (from_site.idle_seconds, from_site.idle_prompt_seconds) == (60, 20)
    cli = settings_from(args(screen_width_mm=300.0, idle_seconds=120.0), SET, 410.0)
    assert (cli.screen_width_mm, cli.idle_seconds, cli.idle_prompt_seconds) == (300.0, 120.0, 20)
    assert lease_size(args(), KIOSK) == 10 and lease_size(args(), SET) == 25
    assert lease_size(args(lease_size=5), SET) == 5
    assert scanner_address(args(), KIOSK) is None
    assert scanner_address(args(), SET) == "serial:/dev/ttyACM0?baudrate=9600"
    assert scanner_address(args(scanner="serial:/dev/ttyUSB1"), SET) == "serial:/dev/ttyUSB1"


def test_only_a_kiosk_has_screen_and_timing_settings() -> None:
    with pytest.raises(ValueError, match="only a kiosk device has a screen_width_mm"):
        DeviceConfig(id="display-1", role="display", name="Scherm", screen_width_mm=900)
    with pytest.raises(ValueError, match="greater than 50"):
        DeviceConfig(id="kiosk-1", role="kiosk", name="Zuil", screen_width_mm=4)
