"""The `--enrol` options of the apps, without importing Kivy (every `loket` command
registers them, the hub included)."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_enrol_arguments"]


def add_enrol_arguments(parser: argparse.ArgumentParser, kind: str) -> None:
    """`--enrol`, `--data DIR`, `--hub URL` for `loket staff|display`."""
    parser.add_argument(
        "--enrol",
        action="store_true",
        help="pair with the site's hub: show a code for `loket devices approve` unless "
        "credentials are stored in --data; the device id, "
        f"{'counter' if kind == 'staff' else 'zone'} and broker then come from the hub",
    )
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help=f"with --enrol: where the credentials are kept (~/.local/share/loket/{kind})",
    )
    parser.add_argument(
        "--hub",
        metavar="URL",
        help="with --enrol: the hub's enrolment listener (mqtts://host:8884) when zeroconf "
        "cannot find it",
    )
