"""The `loket` command. Each part registers its subcommands from its own module."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

#: Modules that each define `register(subparsers)`; imported lazily so that one part's
#: optional dependencies (Kivy, escpos …) are not needed to run another part.
COMMAND_MODULES = (
    "loket.cmd_config",
    "loket.cmd_appointments",
    "loket.cmd_simulate",
    "loket.cmd_report",
    "loket.cmd_collect",
    "loket.cmd_hub",
    "loket.demo.run",
    "loket.cmd_web",
    "loket.cmd_protocol",
    "loket.cmd_printer",
    "loket.cmd_staff",
    "loket.cmd_display",
    "loket.cmd_kiosk",
    "loket.cmd_devices",
    "loket.cmd_provision",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every part's subcommands."""
    parser = argparse.ArgumentParser(
        prog="loket",
        description="Loket: queue tickets, appointment check-in, counters and waiting-room "
        "displays for front desks.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `loket` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
