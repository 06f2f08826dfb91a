"""The kiosk's composition root: site file → hub link, printer, offline store, speech →
presenter → window. `run(args)` is what `loket kiosk` calls; Kivy is imported only here.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from apps.pairing.enrolment import enrol_mode, installed_version
from apps.ui import configure_kivy, on_ui, parse_size
from apps.ui import data_dir as data_folder
from kiosk.context import Deps, Settings
from kiosk.hub import HubLink
from kiosk.offline import OfflineStore
from kiosk.pictograms import ensure_pictograms
from kiosk.printing import TicketPrinter
from kiosk.screen import choose, detected_width_mm
from kiosk.sync import OfflineSync, SyncLoop
from link.mqtt import Broker
from siteconfig import DeviceConfig, SiteConfig, load_site_config

log = logging.getLogger("loket.kiosk")
#: Numbers a kiosk keeps per service for when the hub is away (unless set otherwise).
LEASE_SIZE = 10


class KioskSetupError(Exception):
    """The kiosk cannot start: a wrong device id, a bad option … (exit 2)."""


def kiosk_device(config: SiteConfig, device_id: str) -> DeviceConfig:
    """The site file's entry for this kiosk."""
    try:
        device = config.device(device_id)
    except KeyError:
        kiosks = ", ".join(d.id for d in config.devices if d.role == "kiosk") or "none"
        raise KioskSetupError(
            f"no device {device_id!r} in the site file (kiosks: {kiosks})"
        ) from None
    if device.role != "kiosk":
        raise KioskSetupError(f"device {device_id!r} is a {device.role}, not a kiosk")
    return device


def make_clock(start: str | None) -> Callable[[], datetime]:
    """The system clock, or one that starts at `start` (ISO) and runs on (tests, demos)."""
    if not start:
        return lambda: datetime.now().astimezone()
    origin, t0 = datetime.fromisoformat(start), time.monotonic()
    if origin.tzinfo is None:
        raise KioskSetupError(f"--start-time {start!r} needs a UTC offset, e.g. +01:00")
    return lambda: origin + timedelta(seconds=time.monotonic() - t0)


def settings_from(args: Any, device: DeviceConfig, detected_mm: float | None) -> Settings:
    """The kiosk's timings and screen: the command line, else the site file's device
    entry, else (the screen) what the display says of itself, else the defaults."""
    default = Settings()
    return Settings(
        idle_seconds=choose(args.idle_seconds, device.idle_seconds, default=default.idle_seconds),
        idle_prompt_seconds=choose(
            args.idle_prompt_seconds,
            device.idle_prompt_seconds,
            default=default.idle_prompt_seconds,
        ),
        ticket_seconds=args.ticket_seconds,
        screen_width_mm=choose(
            args.screen_width_mm,
            device.screen_width_mm,
            detected_mm,
            default=default.screen_width_mm,
        ),
    )


def lease_size(args: Any, device: DeviceConfig) -> int:
    """Numbers kept per service: the command line, else the site file, else 10."""
    size: int | None = args.lease_size
    return choose(size, device.lease_size, default=LEASE_SIZE)


def scanner_address(args: Any, device: DeviceConfig) -> str | None:
    """The serial scanner: the command line, else the site file."""
    return args.scanner or device.scanner


@dataclass
class Runtime:
    """Everything a running kiosk owns, to close in order."""

    hub: HubLink
    loop: SyncLoop
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for closer in reversed(self.closers):
            try:
                closer()
            except Exception:
                log.exception("closing the kiosk")
        self.loop.close()
        self.hub.close()


def configure_window(args: Any) -> None:
    """Window settings, before Kivy opens the window (a kiosk's window keeps its size)."""
    configure_kivy(parse_size(args.size), fullscreen=args.fullscreen, resizable=False)


def _enrolled_device(config: SiteConfig, device_id: str, name: str | None) -> DeviceConfig:
    """An enrolled kiosk: the site file's entry if it has one, else a plain kiosk."""
    try:
        return kiosk_device(config, device_id)
    except KioskSetupError:
        return DeviceConfig(id=device_id, role="kiosk", name=name or device_id)


def _identity(args: Any, config: SiteConfig) -> tuple[DeviceConfig, Broker] | None:
    """Who this kiosk is and where its broker is: from the options, or (`--enrol`) from its
    stored credentials or a pairing with the hub (None if the pairing window was closed).
    Configures Kivy on the way."""
    enrol = enrol_mode(args, "kiosk", "--device")
    if enrol is None:
        device = kiosk_device(config, args.device)
        configure_window(args)
        return device, Broker.parse(args.broker)
    creds = enrol.stored(config.site.id)
    configure_window(args)
    creds = creds or enrol.pair(config.site.id, config.site.default_language)
    if creds is None:
        return None
    return _enrolled_device(config, creds.device_id, creds.name), creds.broker()


def run(args: Any) -> int:
    """Start the kiosk and run until the window closes (or the script ends)."""
    config = load_site_config(args.config)
    identity = _identity(args, config)
    if identity is None:
        return 0  # the pairing window was closed
    device, broker = identity
    clock = make_clock(args.start_time)
    data_dir = Path(args.data_dir) if args.data_dir else data_folder(f"kiosk-{device.id}")

    from kivy.clock import Clock

    from apps.runner import ThreadRunner
    from apps.speech import Speaker
    from kiosk import app as ui
    from kiosk.presenter import KioskPresenter
    from kiosk.scanner import SerialScanner, WedgeDecoder

    hub = HubLink(config.site.id, device.id, broker, version=installed_version())
    store = OfflineStore(data_dir / "offline.json")
    printer = TicketPrinter(
        args.printer or device.printer,
        args.printer_profile or device.printer_profile,
        data_dir / "previews",
    )
    speaker = Speaker()
    jobs = ThreadRunner(on_ui, name="kiosk-jobs", workers=2)  # a slow printer blocks no request
    sync = OfflineSync(hub, store, config, clock, lease_size=lease_size(args, device))
    deps = Deps(
        config=config,
        device=device,
        hub=hub,
        printer=printer,
        store=store,
        speaker=speaker,
        clock=clock,
        background=jobs.then,
        settings=settings_from(args, device, detected_width_mm()),
    )
    presenter = KioskPresenter(deps, pictograms=str(ensure_pictograms(data_dir / "pictograms")))
    loop = SyncLoop(sync, after=lambda _report: on_ui(presenter.publish_status))
    deps.wake_sync = loop.wake
    runtime = Runtime(hub, loop, [jobs.close, lambda: speaker.close(drain=False)])
    hub.on_change(lambda online: on_ui(lambda: presenter.set_online(online)))
    hub.on_services(lambda state: on_ui(lambda: presenter.services_changed(state)))
    hub.on_orders(lambda order: on_ui(lambda: presenter.tickets.order(order)))
    wedge = WedgeDecoder(presenter.visit.scanned)
    scanner_at = scanner_address(args, device)
    if scanner_at:
        scanner = SerialScanner(
            scanner_at, lambda text: on_ui(lambda: presenter.visit.scanned(text))
        )
        runtime.closers.append(scanner.close)
        scanner.start()
    hub.start()
    loop.start()

    def started() -> None:
        ui.watch_window(presenter, wedge)
        Clock.schedule_interval(lambda _dt: presenter.tick(), 1.0)
        if os.environ.get("NOTIFY_SOCKET"):  # systemd: WatchdogSec restarts a frozen UI
            sd_notify("READY=1")
            Clock.schedule_interval(lambda _dt: sd_notify("WATCHDOG=1"), 5.0)
        presenter.tickets.poll_printer()

    app = ui.KioskApp(presenter, started, _script_state(presenter, store))
    try:
        app.run()
    finally:
        runtime.close()
    return app.exit_status


def sd_notify(state: str) -> None:
    """Tell systemd how the kiosk is (from the UI thread: a frozen UI stops the pings)."""
    import socket

    address = os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.sendto(state.encode(), address)
    except OSError as error:
        log.warning("systemd notify failed: %s", error)


def _rss_kb() -> dict[str, int]:
    """Resident memory now and at its peak (Linux)."""
    fields = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0])
    except OSError:
        pass
    return fields


def _script_state(presenter: Any, store: OfflineStore) -> Callable[[], dict[str, Any]]:
    """What the test hook logs beside the presenter: the offline store and the memory."""
    walk_ins = [s.id for s in presenter.deps.config.services if s.walk_in]

    def state() -> dict[str, Any]:
        today = presenter.deps.now().date()
        leased = all(store.numbers_left(sid, today) > 0 for sid in walk_ins)
        return {"pending": len(store.pending()), "leases_ready": leased, "rss_kb": _rss_kb()}

    return state
