"""`loket printer`: print a test ticket, read a printer's status, draw a ticket preview."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from siteconfig import ConfigError, SiteConfig, load_site_config

if TYPE_CHECKING:
    from printer_drivers import Logo, PrinterModel, TicketPrint

#: Exit statuses: it worked; the printer has a problem; the command could not be carried out.
OK, PRINTER_PROBLEM, UNUSABLE = 0, 1, 2


class UsageError(Exception):
    """A bad argument or setting; the message says which and why."""


def register(subparsers: Any) -> None:
    """Add `loket printer test`, `status` and `preview`."""
    parser = subparsers.add_parser("printer", help="test ticket printers, read their status")
    actions = parser.add_subparsers(dest="printer_command", required=True, metavar="ACTION")
    test = actions.add_parser(
        "test",
        help="print a sample ticket; exit 1 if it did not print",
        description="Print a sample ticket (with é è ë ê ç à ö ü ß € to check the code page) "
        "and report the printer's status. URL: serial:/dev/ttyUSB0?baudrate=19200, "
        "tcp:HOST:9100, usb:VID:PID, file:/dev/usb/lp0 or dummy:.",
    )
    _printer_arguments(test)
    test.add_argument("--timeout", type=_seconds, default=10.0, help="whole job (default 10 s)")
    _layout_arguments(test)
    test.set_defaults(run=run_test)
    status = actions.add_parser(
        "status", help="read a printer's status; exit 1 unless it can print"
    )
    _printer_arguments(status)
    status.add_argument("--timeout", type=_seconds, default=3.0, help="default 3 s")
    status.set_defaults(run=run_status)
    preview = actions.add_parser("preview", help="draw a sample ticket as a PNG image")
    preview.add_argument("--out", type=Path, required=True, metavar="PNG", help="image to write")
    preview.add_argument("--config", type=Path, metavar="SITE_YAML", help="site file")
    _layout_arguments(preview)
    preview.add_argument("--appointment", action="store_true", help="an appointment ticket")
    preview.add_argument("--scale", type=int, choices=(1, 2, 3), default=1, help="pixels per dot")
    preview.set_defaults(run=run_preview)


def _printer_arguments(parser: argparse.ArgumentParser) -> None:
    """The printer address, directly or from a site file's device."""
    parser.add_argument("url", nargs="?", metavar="URL", help="printer address")
    parser.add_argument("--config", type=Path, metavar="SITE_YAML", help="site file")
    parser.add_argument("--device", metavar="ID", help="take URL and profile from this kiosk")


def _layout_arguments(parser: argparse.ArgumentParser) -> None:
    """Printer model, paper and ticket language."""
    parser.add_argument("--profile", metavar="NAME", help="python-escpos profile, e.g. TM-T88V")
    parser.add_argument("--paper", type=int, choices=(58, 80), help="mm (default: profile's)")
    parser.add_argument("--raster-qr", action="store_true", help="QR as an image, not native")
    parser.add_argument("--language", choices=("nl", "fr", "en", "de"), default="nl")
    parser.add_argument("--logo", type=Path, metavar="IMAGE", help="logo on top of the ticket")
    parser.add_argument("--at", type=_local_time, metavar="'YYYY-MM-DD HH:MM'", help="issue time")


def _seconds(text: str) -> float:
    """A positive number of seconds, for argparse."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, got {text!r}")
    return value


def _local_time(text: str) -> datetime:
    """'2026-12-01 10:04', for argparse."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must look like '2026-12-01 10:04', got {text!r}"
        ) from None


def run_test(args: argparse.Namespace) -> int:
    """Print the sample ticket and say how it went."""
    try:
        from printer_drivers import parse_printer_address, print_ticket
        from printer_drivers.samples import ACCENTS

        url, profile, config = _printer(args)
        address = parse_printer_address(url)
        model, logo = _model(args, profile)
        ticket = _sample(args, config, footer=f"Test: {ACCENTS}")
    except (UsageError, ValueError, ImportError) as exc:
        return _unusable(exc)
    result = print_ticket(address, ticket, model, logo=logo, timeout=args.timeout)
    qr = "native QR" if model.native_qr else "raster QR"
    if result.ok:
        print(
            f"printed {result.bytes_sent:,} bytes to {url} in {result.seconds:.2f} s "
            f"({model.profile}, {model.paper_mm} mm, {qr}); printer status: {result.status.text}"
        )
        return OK
    print(f"not printed: {result.reason}", file=sys.stderr)
    print(f"printer status: {result.status.text}")
    return PRINTER_PROBLEM


def run_status(args: argparse.Namespace) -> int:
    """Print the printer's status; exit 0 only when it can print."""
    try:
        from printer_drivers import parse_printer_address, printer_status

        url, _, _ = _printer(args)
        address = parse_printer_address(url)
    except (UsageError, ValueError, ImportError) as exc:
        return _unusable(exc)
    report = printer_status(address, timeout=args.timeout)
    print(f"{address.label} status: {report.status.text}")
    if report.detail != report.status.text:
        print(f"  {report.detail}")
    return OK if report.status.ready else PRINTER_PROBLEM


def run_preview(args: argparse.Namespace) -> int:
    """Write the sample ticket as a PNG."""
    try:
        from printer_drivers import save_preview

        config = _config(args.config)
        model, logo = _model(args, None)
        ticket = _sample(args, config, appointment=args.appointment)
        path = save_preview(ticket, model, args.out, logo=logo, scale=args.scale)
    except (UsageError, OSError, ImportError) as exc:
        return _unusable(exc)
    print(f"{path}: {model.paper_mm} mm ticket ({model.profile}), {ticket.language}")
    return OK


def _printer(args: argparse.Namespace) -> tuple[str, str | None, SiteConfig | None]:
    """URL, profile and site config from the arguments (the device's when --device is given)."""
    config = _config(args.config)
    if args.device is None:
        if not args.url:
            raise UsageError("give a printer URL, or --config SITE_YAML --device ID")
        return args.url, None, config
    if config is None:
        raise UsageError("--device needs --config SITE_YAML")
    try:
        device = config.device(args.device)
    except KeyError:
        raise UsageError(f"{args.config}: no device {args.device!r}") from None
    if not device.printer:
        raise UsageError(f"{args.config}: device {args.device!r} has no printer")
    return args.url or device.printer, device.printer_profile, config


def _config(path: Path | None) -> SiteConfig | None:
    """The site file, when one is given."""
    if path is None:
        return None
    try:
        return load_site_config(path)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _model(args: argparse.Namespace, profile: str | None) -> tuple[PrinterModel, Logo | None]:
    """The printer model and the logo for the chosen profile and paper."""
    from printer_drivers import PrinterModel, load_logo

    try:
        model = PrinterModel.from_profile(args.profile or profile, args.paper, args.raster_qr)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.logo is None:
        return model, None
    try:
        return model, load_logo(args.logo, model.dots)
    except OSError as exc:
        raise UsageError(f"logo {args.logo}: {exc.strerror or exc}") from None


def _sample(
    args: argparse.Namespace,
    config: SiteConfig | None,
    footer: str | None = None,
    appointment: bool = False,
) -> TicketPrint:
    """The sample ticket in the chosen language, at --at or now."""
    from printer_drivers.samples import sample_ticket

    issued = args.at or datetime.now().replace(second=0, microsecond=0)
    return sample_ticket(issued, args.language, appointment, config, footer)


def _unusable(exc: Exception) -> int:
    """Report an error that stopped the command."""
    if isinstance(exc, ImportError):
        exc = UsageError(
            f"the printer drivers cannot be imported ({exc}); reinstall Loket (pip install -e .)"
        )
    print(f"error: {exc}", file=sys.stderr)
    return UNUSABLE
