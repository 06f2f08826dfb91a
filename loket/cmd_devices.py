"""`loket devices`: approve a pairing code, list, update and revoke a site's devices.

It talks to the running hub over MQTT as the site's admin user, whose credential the hub
keeps in its provisioning directory (`--data`, default $LOKET_PROVISIONING or
/var/lib/loket/provisioning): run it as the hub's user or as root.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from provisioning.messages import Approved, DeviceRow, Listing, Revoked, Updated

DEFAULT_DATA = "/var/lib/loket/provisioning"


def register(subparsers: Any) -> None:
    """Add `loket devices approve|list|update|revoke`."""
    parser = subparsers.add_parser("devices", help="enrol, list, update and revoke devices")
    parser.add_argument(
        "--data",
        default=os.environ.get("LOKET_PROVISIONING", DEFAULT_DATA),
        metavar="DIR",
        help="the hub's provisioning directory (default: $LOKET_PROVISIONING or %(default)s)",
    )
    parser.add_argument("--timeout", type=float, default=15.0, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="devices_command", required=True, metavar="ACTION")

    approve = commands.add_parser("approve", help="approve the device that shows CODE")
    approve.add_argument("code", metavar="CODE", help="the pairing code on the device's screen")
    approve.add_argument("--role", required=True, choices=("kiosk", "staff", "display"))
    approve.add_argument("--name", required=True, help='e.g. "Kiosk inkom" (id: kiosk-inkom)')
    approve.add_argument("--id", dest="device", help="device id (default: from the name)")
    approve.add_argument("--counter", help="staff terminals: the counter (id, name or number)")
    approve.add_argument("--zone", help="displays: the zone whose calls it shows")
    approve.set_defaults(run=run_approve)

    listing = commands.add_parser(
        "list", help="devices, their role, presence, printer and help requests"
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(run=run_list)

    update = commands.add_parser("update", help="change a device's name, counter or zone")
    update.add_argument("device", metavar="NAME", help="the device's id or name")
    update.add_argument("--name", help="its new name")
    update.add_argument("--counter", help="staff terminals: the new counter")
    update.add_argument("--zone", help="displays: the new zone")
    update.set_defaults(run=run_update)

    revoke = commands.add_parser("revoke", help="remove a device's credentials; it disconnects")
    revoke.add_argument("device", metavar="NAME", help="the device's id or name")
    revoke.set_defaults(run=run_revoke)


def _ask(args: argparse.Namespace, verb: str, **fields: Any) -> Any:
    """The reply's typed data (`ADMIN_REPLIES[verb]`), or None after printing why it failed."""
    from provisioning.admin import HubUnreachable, ask

    try:
        reply = ask(args.data, verb, timeout=args.timeout, **fields)
    except (HubUnreachable, ValueError, OSError) as error:
        print(f"loket devices: {error}", file=sys.stderr)
        args.status = 2
        return None
    if not reply.ok:
        assert reply.error is not None
        wait = f" (retry in {reply.error.retry_after} s)" if reply.error.retry_after else ""
        print(f"loket devices {verb}: {reply.error.message}{wait}", file=sys.stderr)
        args.status = 1
        return None
    return reply.data


def run_approve(args: argparse.Namespace) -> int:
    """Approve a pairing code."""
    fields = {
        "code": args.code,
        "role": args.role,
        "name": args.name,
        "device": args.device,
        "counter": args.counter,
        "zone": args.zone,
    }
    data: Approved | None = _ask(
        args, "approve", **{k: v for k, v in fields.items() if v is not None}
    )
    if data is None:
        return int(args.status)
    where = f", counter {data.counter}" if data.counter else ""
    where += f", zone {data.zone}" if data.zone else ""
    print(f"approved: {data.device} ({data.role.value}, {data.name}{where})")
    return 0


def run_update(args: argparse.Namespace) -> int:
    """Change a device's name, counter or zone."""
    fields = {"device": args.device, "name": args.name, "counter": args.counter, "zone": args.zone}
    data: Updated | None = _ask(
        args, "update", **{k: v for k, v in fields.items() if v is not None}
    )
    if data is None:
        return int(args.status)
    print(f"updated: {data.device} ({data.name})")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    """Revoke a device."""
    data: Revoked | None = _ask(args, "revoke", device=args.device)
    if data is None:
        return int(args.status)
    if data.reloaded:
        print(f"revoked: {data.device} (credentials removed, broker reloaded)")
    else:
        print(
            f"revoked: {data.device} (credentials removed from the broker's files; the hub "
            "does not reload Mosquitto itself, so the device stays connected until "
            "loket-broker-reload.path or `systemctl reload mosquitto` reloads it)"
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the devices as a table (or JSON)."""
    data: Listing | None = _ask(args, "list")
    if data is None:
        return int(args.status)
    if args.json:
        print(json.dumps(data.model_dump(mode="json"), indent=2))
        return 0
    print(table(data.devices))
    for waiting in data.pending:
        print(
            f"waiting for approval: a {waiting.kind.value} ({printable(waiting.hostname or '?')}), "
            f"{waiting.waiting_s} s, expires in {waiting.expires_in} s"
        )
    return 0


def printable(text: str) -> str:
    """Text safe on a terminal: control characters (ESC and the C1 set included) shown as
    escapes, so a device's host name cannot move the cursor or recolour the screen."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


COLUMNS = (
    "id",
    "role",
    "name",
    "where",
    "state",
    "online",
    "last seen",
    "version",
    "printer",
    "help",
)


def table(devices: list[DeviceRow]) -> str:
    """Devices as aligned columns."""
    rows: list[tuple[str, ...]] = [COLUMNS]
    for d in devices:
        seen = d.last_seen.isoformat(timespec="seconds")[:19] if d.last_seen else "-"
        asks = f"asked {d.help_since:%H:%M}" if d.help_since else "-"
        if d.offline_tickets:
            asks += f", {d.offline_tickets} offline ticket(s)"
        rows.append(
            (
                d.id,
                d.role.value,
                d.name,
                d.counter or d.zone or "-",
                d.state,
                "yes" if d.online else "no",
                seen,
                d.version or "-",
                d.printer or "-",
                asks,
            )
        )
    # Names, versions and printer states come from devices: never let them drive the terminal.
    rows = [tuple(printable(str(cell)) for cell in row) for row in rows]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
