"""`loket staff`: the staff terminal of one counter."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from link.mqtt import Broker
from loket.enrol_args import add_enrol_arguments
from siteconfig import ConfigError, load_site_config


def register(subparsers: Any) -> None:
    """Add `loket staff`."""
    parser = subparsers.add_parser(
        "staff",
        help="run a counter's staff terminal (Kivy)",
        description="Call, serve, transfer and issue tickets at one counter; every action "
        "has a key (F1 call next … F10 issue, F11 pause, F12 open, Ctrl+F12 close, "
        "Ctrl+R try again, Ctrl+L language).",
    )
    parser.add_argument("--config", required=True, metavar="FILE", help="site YAML")
    parser.add_argument("--counter", metavar="ID", help="the counter's id (without --enrol)")
    parser.add_argument("--device", metavar="ID", help="the terminal's device id "
                        "(default: the site file's staff device of the counter)")  # fmt: skip
    parser.add_argument(
        "--broker", default="mqtt://127.0.0.1:1883", metavar="URL", help="mqtt://host:port"
    )
    add_enrol_arguments(parser, "staff")
    parser.add_argument("--language", choices=("nl", "fr", "en", "de"), help="the language")
    parser.add_argument("--size", default="1280x800", metavar="WxH", help="window size")
    parser.add_argument("--fullscreen", action="store_true", help="fullscreen")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Start the terminal; returns when its window closes."""
    from apps.ui import configure_kivy, parse_size
    from staff_terminal.desk import desk_config

    try:
        from apps.pairing.enrolment import enrol_mode

        enrol = enrol_mode(args, "staff", "--counter", "--device")
        config = load_site_config(args.config)
        width, height = parse_size(args.size)
        if enrol is None:
            desk = desk_config(config, args.counter, args.device)
            broker = Broker.parse(args.broker)
        else:
            creds = enrol.stored(config.site.id)
    except (ConfigError, ValueError, OSError) as error:
        print(f"loket staff: {error}", file=sys.stderr)
        return 2
    configure_kivy((width, height), fullscreen=args.fullscreen)
    if enrol is not None:
        language = args.language or config.site.default_language
        creds = creds or enrol.pair(config.site.id, language)
        if creds is None:
            return 0  # the pairing window was closed
        assert creds.counter is not None  # checked with the credentials
        try:
            desk = desk_config(config, creds.counter, creds.device_id, enrolled=True)
        except ValueError as error:
            print(f"loket staff: {error}", file=sys.stderr)
            return 2
        broker = creds.broker()
    from apps.ui import on_ui
    from staff_terminal.app import StaffApp
    from staff_terminal.wiring import connect_staff, follow_config

    staff = connect_staff(desk, broker, on_ui, language=args.language or "")
    if enrol is not None:
        follow_config(staff, config, on_ui)  # a new counter applies live
    app = StaffApp(staff)
    app.run()
    return app.exit_status
