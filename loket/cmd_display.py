"""`loket display`: the waiting-room display board of one zone."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from link.mqtt import Broker
from loket.enrol_args import add_enrol_arguments
from siteconfig import ConfigError, load_site_config


def register(subparsers: Any) -> None:
    """Add `loket display`."""
    parser = subparsers.add_parser(
        "display",
        help="run a waiting-room display board (Kivy)",
        description="Show and announce the calls of one display's zone, with waiting counts "
        "per service. Info messages rotate at the bottom (--messages: a YAML or JSON list of "
        "{language: text}).",
    )
    parser.add_argument("--config", required=True, metavar="FILE", help="site YAML")
    parser.add_argument("--device", metavar="ID", help="the display's device id (without --enrol)")
    parser.add_argument(
        "--broker", default="mqtt://127.0.0.1:1883", metavar="URL", help="mqtt://host:port"
    )
    add_enrol_arguments(parser, "display")
    parser.add_argument("--messages", type=Path, metavar="FILE", help="info messages to rotate")
    parser.add_argument("--language", choices=("nl", "fr", "en", "de"), help="labels' language")
    parser.add_argument("--size", default="1920x1080", metavar="WxH", help="window size")
    parser.add_argument("--portrait", action="store_true", help="swap the window's sides")
    parser.add_argument("--fullscreen", action="store_true", help="fullscreen, no cursor")
    parser.add_argument("--mute", action="store_true", help="no chime and no speech")
    parser.add_argument(
        "--offline-after",
        type=float,
        default=5.0,
        metavar="S",
        help="say 'offline' after the broker or hub has been gone S seconds (5)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Start the board; returns when its window closes."""
    from apps.ui import configure_kivy, parse_size
    from display_board.board import board_config, enrolled_board, load_messages

    try:
        from apps.pairing.enrolment import enrol_mode

        enrol = enrol_mode(args, "display", "--device")
        config = load_site_config(args.config)
        messages = load_messages(args.messages) if args.messages else ()
        width, height = parse_size(args.size, args.portrait)
        if enrol is None:
            board = board_config(config, args.device, messages=messages, language=args.language)
            broker = Broker.parse(args.broker)
            device_id = args.device
        else:
            creds = enrol.stored(config.site.id)
    except (ConfigError, ValueError, KeyError, OSError) as error:
        print(f"loket display: {error}", file=sys.stderr)
        return 2
    configure_kivy((width, height), fullscreen=args.fullscreen)
    if enrol is not None:
        creds = creds or enrol.pair(config.site.id, args.language or config.site.default_language)
        if creds is None:
            return 0  # the pairing window was closed
        try:
            board = enrolled_board(
                config, creds.device_id, creds.zone, messages=messages, language=args.language
            )
        except ValueError as error:
            print(f"loket display: {error}", file=sys.stderr)
            return 2
        broker, device_id = creds.broker(), creds.device_id
    board = replace(board, offline_after=args.offline_after)
    from apps.ui import on_ui
    from display_board.app import DisplayApp, build_display
    from display_board.wiring import follow_config

    parts = build_display(board, device_id, broker, mute=args.mute)
    if enrol is not None:  # its zone and languages from the hub apply live
        follow_config(
            parts.client,
            parts.presenter,
            config,
            on_ui,
            parts.clock,
            args.language,
        )
    app = DisplayApp(parts)
    app.run()
    return app.exit_status
