"""`loket protocol schema`: the MQTT contract as JSON Schemas and a Markdown table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from link.protocol.docs import write_schemas


def register(subparsers: Any) -> None:
    """Add `loket protocol schema`."""
    parser = subparsers.add_parser("protocol", help="the MQTT contract")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    schema = actions.add_parser("schema", help="write the JSON Schemas and topics.md")
    schema.add_argument("--out", type=Path, default=Path("docs/protocol"), metavar="DIR")
    schema.set_defaults(run=run_schema)


def run_schema(args: argparse.Namespace) -> int:
    """Write the files and list them."""
    for path in write_schemas(args.out):
        print(path)
    return 0
