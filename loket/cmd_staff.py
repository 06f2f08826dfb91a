"""`loket staff`: the staff terminal of one counter."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add `loket staff`."""
    parser = subparsers.add_parser("staff", help="run a counter's staff terminal (Kivy)")
    parser.add_argument("--config", required=True, metavar="FILE", help="site YAML")
    parser.add_argument("--counter", required=True, metavar="ID", help="the counter's id")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Not built yet."""
    print("loket staff: not available yet", file=sys.stderr)
    return 2
