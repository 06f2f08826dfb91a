"""`loket provision`: the broker's files before the first start, and the site's TLS."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from loket.cmd_devices import DEFAULT_DATA


def register(subparsers: Any) -> None:
    """Add `loket provision init` and `loket provision tls`."""
    parser = subparsers.add_parser("provision", help="broker credentials, ACLs and TLS")
    commands = parser.add_subparsers(dest="provision_command", required=True, metavar="ACTION")

    init = commands.add_parser(
        "init",
        help="write Mosquitto's password and ACL files from the site file (before its start)",
    )
    init.add_argument("--config", required=True, metavar="FILE", help="site YAML")
    init.add_argument("--data", default=DEFAULT_DATA, metavar="DIR", help="provisioning dir")
    init.add_argument("--broker-dir", metavar="DIR", help="where Mosquitto reads them")
    init.add_argument(
        "--broker",
        default="mqtt://127.0.0.1:1883",
        metavar="URL",
        help="how the hub and `loket devices` reach the broker",
    )
    init.set_defaults(run=run_init)

    tls = commands.add_parser("tls", help="a site CA, the broker's certificate, a TLS listener")
    tls.add_argument("--out", required=True, type=Path, metavar="DIR")
    tls.add_argument("--site", required=True, help="the site id")
    tls.add_argument(
        "--host",
        action="append",
        default=[],
        metavar="NAME",
        help="the broker's host name or address (repeat; loopback is always in)",
    )
    tls.add_argument("--port", type=int, default=8883, help="TLS listener port (8883)")
    tls.add_argument("--enrol-port", type=int, default=8884, help="enrolment listener (8884)")
    tls.add_argument(
        "--device",
        action="append",
        default=[],
        metavar="ID",
        help="also a client certificate for this device (repeat)",
    )
    tls.add_argument("--force", action="store_true", help="replace the CA (devices must re-enrol)")
    tls.set_defaults(run=run_tls)


def run_init(args: argparse.Namespace) -> int:
    """Write the registry, service accounts and broker files; print Mosquitto's lines."""
    from link.mqtt import Broker
    from provisioning.hubside import HubProvisioning
    from siteconfig import ConfigError

    try:
        prov = HubProvisioning.open(
            args.config, args.data, Broker.parse(args.broker), broker_dir=args.broker_dir
        )
    except (ConfigError, ValueError, OSError) as error:
        print(f"loket provision init: {error}", file=sys.stderr)
        return 2
    print(f"registry: {prov.registry.path} ({len(prov.registry.records())} devices)")
    print(f"copy {prov.files.site_conf} to /etc/mosquitto/conf.d/ (client ids bound to")
    print("users, message size); Mosquitto's lines (anonymous clients reach only their own")
    print("enrolment topics, and only on a listener without use_username_as_clientid):")
    print(prov.files.mosquitto_lines(), end="")
    return 0


def run_tls(args: argparse.Namespace) -> int:
    """Make (or reuse) the site's CA and issue the broker's certificate."""
    from link.protocol.topics import check_id
    from provisioning.tls import provision_tls

    try:
        check_id("site", args.site)
        written = provision_tls(
            args.out,
            args.site,
            args.host,
            force=args.force,
            port=args.port,
            enrol_port=args.enrol_port,
            devices=args.device,
        )
    except (ValueError, OSError) as error:
        print(f"loket provision tls: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    print(f"include {args.out / 'mosquitto-tls.conf'} in Mosquitto's configuration and give the")
    print("hub --ca-file " + str(args.out / "ca.pem") + " so enrolment hands the CA to devices")
    return 0


# --- `loket hub --provisioning DIR [--advertise]` -------------------------------------


def add_hub_options(parser: argparse.ArgumentParser) -> None:
    """The hub's provisioning options."""
    group = parser.add_argument_group("provisioning (device enrolment, credentials, ACLs)")
    group.add_argument(
        "--provisioning",
        metavar="DIR",
        help="enrol devices; keep the registry and credentials in DIR",
    )
    group.add_argument("--advertise", action="store_true", help="announce the hub by zeroconf")
    group.add_argument(
        "--public-broker",
        metavar="URL",
        help="the broker URL devices should use (default: where they find it)",
    )
    group.add_argument(
        "--broker-dir",
        metavar="DIR",
        help="where Mosquitto reads passwd and acl (default: DIR/broker)",
    )
    group.add_argument(
        "--broker-reload",
        metavar="HOW",
        default="none",
        help="after a change: none (a systemd path unit reloads), pid:FILE, cmd:CMD",
    )
    group.add_argument("--ca-file", metavar="FILE", help="the site CA handed to enrolled devices")
    group.add_argument(
        "--enrol-port",
        type=int,
        metavar="N",
        help="advertise the enrolment listener's port (`loket provision tls`: 8884)",
    )


def open_for_hub(args: argparse.Namespace, broker: Any) -> Any:
    """The hub's provisioning (broker files written), or None without --provisioning."""
    if not getattr(args, "provisioning", None):
        return None
    from provisioning.broker_files import reload_from
    from provisioning.hubside import HubProvisioning

    if not args.broker:
        raise ValueError(
            "--provisioning needs --broker: a Mosquitto that reads the files of "
            "`loket provision init`"
        )
    return HubProvisioning.open(
        args.config,
        args.provisioning,
        broker,
        public_broker=args.public_broker,
        broker_dir=args.broker_dir,
        reload=reload_from(args.broker_reload),
        ca_file=args.ca_file,
        advertise=args.advertise,
        enrol_port=args.enrol_port,
    )
