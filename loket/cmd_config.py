"""`loket config`: check site files and write their JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from siteconfig import ConfigError, json_schema, load_site_config


def register(subparsers: Any) -> None:
    """Add `loket config check` and `loket config schema`."""
    parser = subparsers.add_parser("config", help="check site files, write their schema")
    commands = parser.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    check = commands.add_parser("check", help="check site files; exit 1 if any has a problem")
    check.add_argument("files", nargs="+", metavar="FILE", help="site YAML file")
    check.set_defaults(run=run_check)
    schema = commands.add_parser("schema", help="write the JSON Schema of site files")
    schema.add_argument("--out", type=Path, metavar="PATH", help="write here instead of stdout")
    schema.set_defaults(run=run_schema)


def run_check(args: argparse.Namespace) -> int:
    """Check each file; print a summary of the good ones and every problem of the bad ones."""
    status = 0
    for name in args.files:
        try:
            config = load_site_config(name)
        except ConfigError as exc:
            print(exc)
            status = 1
            continue
        counts = [
            _count(len(config.services), "service"),
            _count(len(config.counters), "counter"),
            _count(len(config.devices), "device"),
        ]
        print(f"{name}: ok ({', '.join(counts)})")
    return status


def _count(number: int, noun: str) -> str:
    """'1 counter', '7 counters'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def schema_text() -> str:
    """The JSON Schema as a stable, readable text file."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def run_schema(args: argparse.Namespace) -> int:
    """Write the schema to --out, or to stdout."""
    if args.out is None:
        sys.stdout.write(schema_text())
    else:
        args.out.write_text(schema_text(), encoding="utf-8")
    return 0
