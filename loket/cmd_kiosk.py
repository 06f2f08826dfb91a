"""`loket kiosk`: the visitor's touchscreen (Kivy is imported only when it runs)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from loket.enrol_args import add_enrol_arguments


def register(subparsers: Any) -> None:
    """Add `loket kiosk`."""
    parser = subparsers.add_parser(
        "kiosk",
        help="run the visitor's touchscreen",
        description="Check in for an appointment or take a walk-in ticket. Keeps working "
        "while the hub is away (leased numbers), prints on the device's printer.",
    )
    parser.add_argument("--config", required=True, metavar="FILE", help="site YAML")
    parser.add_argument("--device", metavar="ID", help="this kiosk's device id (without --enrol)")
    parser.add_argument("--broker", default="mqtt://127.0.0.1:1883", metavar="URL")
    add_enrol_arguments(parser, "kiosk")
    parser.add_argument("--data-dir", metavar="DIR", help="offline store (~/.local/share/loket)")
    parser.add_argument("--printer", metavar="ADDRESS", help="override the site file's printer")
    parser.add_argument("--printer-profile", metavar="NAME", help="e.g. TM-T20II")
    # The device settings below override the site file's device entry.
    parser.add_argument("--scanner", metavar="ADDRESS", help="serial:/dev/ttyACM0?baudrate=9600")
    parser.add_argument("--size", default="1920x1080", help="window size in pixels (1920x1080)")
    parser.add_argument("--fullscreen", action="store_true", help="fullscreen, borderless")
    screen = (
        "visible screen width for touch targets (default: the site file, else the EDID, else 476)"
    )
    parser.add_argument("--screen-width-mm", type=float, metavar="MM", help=screen)
    parser.add_argument("--idle-seconds", type=float, help="ask 'more time?' after (90)")
    parser.add_argument("--idle-prompt-seconds", type=float, help="then start again after (30)")
    parser.add_argument("--ticket-seconds", type=float, default=25.0)
    parser.add_argument("--lease-size", type=int, help="numbers kept per service (10)")
    parser.add_argument("--start-time", metavar="ISO", help="run the clock from here (demos)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check the options, then hand over to the kiosk's composition root."""
    from kiosk.bootstrap import KioskSetupError
    from kiosk.bootstrap import run as run_kiosk
    from siteconfig import ConfigError

    try:
        return run_kiosk(args)
    except (ConfigError, KioskSetupError, ValueError, OSError) as error:
        print(f"loket kiosk: {error}", file=sys.stderr)
        return 2
