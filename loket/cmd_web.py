"""`loket web`: the live ticket page, where a ticket's QR code leads (behind a reverse proxy)."""

from __future__ import annotations

import argparse
import json
import logging
import resource
import signal
import subprocess
import sys
import threading
from dataclasses import replace
from typing import Any

from link.mqtt import Broker
from loket import logs
from siteconfig import ConfigError, load_site_config

log = logging.getLogger("loket.web")


def register(subparsers: Any) -> None:
    """Add `loket web`."""
    parser = subparsers.add_parser(
        "web",
        help="serve the live ticket pages (/t/<token>)",
        description="Serve each ticket's live page: number, service, place in the queue, "
        "expected wait and, once called, the counter; updated by server-sent events from "
        "the hub's state. Put it behind a reverse proxy (deploy/nginx-loket.conf).",
    )
    parser.add_argument("--config", required=True, metavar="FILE", help="site YAML")
    parser.add_argument("--broker", required=True, metavar="URL", help="mqtt://host:port")
    parser.add_argument(
        "--credentials",
        metavar="FILE",
        help="the web account's credentials on a provisioned site "
        "(the hub's provisioning directory's web.json)",
    )
    add_web_options(parser, prefix="")
    parser.add_argument("--log-format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def add_web_options(parser: argparse.ArgumentParser, prefix: str) -> None:
    """The page's options (`loket hub` passes them on with the prefix `web-`)."""
    port_help = "HTTP port (8080)" if not prefix else "also serve the live ticket pages on N"
    parser.add_argument(f"--{prefix}port", type=int, default=None if prefix else 8080,
                        metavar="N", help=port_help)  # fmt: skip
    parser.add_argument(f"--{prefix}bind", default="127.0.0.1", metavar="ADDRESS",
                        help="listen address (127.0.0.1: for the reverse proxy only)")  # fmt: skip
    parser.add_argument("--allow-delay", action="store_true",
                        help='offer "I need 10 more minutes" on the page '
                        "(default: the site file's live_page.allow_delay)")  # fmt: skip
    parser.add_argument("--delay-minutes", type=int, default=None, choices=range(1, 61),
                        metavar="N", help="minutes the page offers (default: the site file's, "
                        "else 10)")  # fmt: skip
    parser.add_argument("--max-streams", type=int, default=2000, metavar="N",
                        help="open pages served live at once (2000); more get polling")  # fmt: skip


def raise_open_files_limit() -> int:
    """Each open page is a socket: lift the soft limit on open files to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT or SIGTERM."""
    from live_page.process import WebProcess

    logs.setup(args.verbose, args.log_format == "json")
    limit = raise_open_files_limit()
    try:
        live = load_site_config(args.config).site.live_page
        allow_delay = args.allow_delay or live.allow_delay
        delay_minutes = args.delay_minutes or live.delay_minutes
        web = WebProcess(
            args.config,
            web_broker(args.broker, args.credentials),
            host=args.bind,
            port=args.port,
            allow_delay=allow_delay,
            delay_minutes=delay_minutes,
            max_streams=min(args.max_streams, max(limit - 100, 10)),
        )
        web.start()
    except (ConfigError, ValueError, OSError) as error:
        print(f"loket web: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    log.info("live ticket pages at %s/t/<token>", web.base_url)
    stop.wait()
    web.close()
    return 0


def web_broker(url: str, credentials: str | None) -> Broker:
    """The broker, logged in as the web account from its credentials file (a password is
    never taken from the URL: the process list would show it)."""
    broker = Broker.parse(url)
    if broker.password:
        raise ValueError("--broker: no password in the URL; use --credentials FILE")
    if not credentials:
        return broker
    with open(credentials, encoding="utf-8") as file:
        raw = json.load(file)
    try:
        return replace(broker, username=raw["username"], password=raw["password"])
    except (KeyError, TypeError):
        raise ValueError(f"{credentials}: no username and password") from None


def spawn(
    args: argparse.Namespace, broker: Broker, credentials: str | None = None
) -> subprocess.Popen[bytes]:
    """`loket web` as a child of `loket hub --web-port N`: its own process, so thousands of
    open pages never take the hub's worker thread's time. `credentials`: the web account's
    file (its path is on the command line, never the password)."""
    command = [sys.executable, "-m", "loket.cli"] + (["-v"] if args.verbose else [])
    command += ["web", "--config", args.config, "--broker", broker.url]
    command += ["--credentials", credentials] if credentials else []
    command += ["--port", str(args.web_port), "--bind", args.web_bind]
    if args.delay_minutes is not None:
        command += ["--delay-minutes", str(args.delay_minutes)]
    command += ["--max-streams", str(args.max_streams)]
    command += ["--log-format", args.log_format] + (["--allow-delay"] if args.allow_delay else [])
    return subprocess.Popen(command, stdin=subprocess.DEVNULL)


def stop_child(child: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM the page's process and wait for it (killed after 10 s)."""
    if child is None or child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
