"""Ticket printers: the ticket layout, ESC/POS through python-escpos, transports and status.

How the kiosk prints a ticket, after the hub has stored it (the kiosk builds the
printer-side `TicketPrint` from the hub's reply; this package knows nothing of the hub)::

    ticket = TicketPrint(site_name=…, number="P012", service_name=…, language="nl", issued_at=…)
    model = PrinterModel.from_profile(device.printer_profile)
    result = print_ticket(device.printer, ticket, model, timeout=8.0)
    if not result.ok:
        show_on_screen(preview_image(ticket, model))   # the number and the QR code
    publish(result.status)                             # PrinterStatus, an Enum

`print_ticket` never raises for printer trouble and never blocks past its time-out; run it
off the UI thread. python-escpos caches its printer database in
`ESCPOS_CAPABILITIES_PICKLE_DIR`; Loket points it at a per-user cache folder
(`$XDG_CACHE_HOME/loket/escpos`) unless it is already set, because escpos otherwise makes
a new temporary folder on every start.
"""

import os
from pathlib import Path

os.environ.setdefault(
    "ESCPOS_CAPABILITIES_PICKLE_DIR",
    str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "loket" / "escpos"),
)

# The escpos-using modules come after the setting above on purpose.
from .address import (
    DummyAddress,
    FileAddress,
    PrinterAddress,
    PrinterAddressError,
    SerialAddress,
    TcpAddress,
    UsbAddress,
    parse_printer_address,
)
from .encoder import encode_layout, encode_ticket
from .errors import Failure, PrinterError
from .job import PrintResult, print_bytes, print_ticket, printer_status
from .layout import Layout, Paper, layout_ticket
from .logo import Logo, load_logo
from .model import PrinterModel, UnknownProfile
from .preview import preview_image, save_preview
from .status import PrinterStatus, StatusReport, query_status
from .ticket import DocumentList, TicketPrint, ticket_url
from .transports import Transport, open_transport

__all__ = [
    "DocumentList",
    "DummyAddress",
    "Failure",
    "FileAddress",
    "Layout",
    "Logo",
    "Paper",
    "PrintResult",
    "PrinterAddress",
    "PrinterAddressError",
    "PrinterError",
    "PrinterModel",
    "PrinterStatus",
    "SerialAddress",
    "StatusReport",
    "TcpAddress",
    "TicketPrint",
    "Transport",
    "UnknownProfile",
    "UsbAddress",
    "encode_layout",
    "encode_ticket",
    "layout_ticket",
    "load_logo",
    "open_transport",
    "parse_printer_address",
    "preview_image",
    "print_bytes",
    "print_ticket",
    "printer_status",
    "query_status",
    # Sample tickets for `loket printer test|preview`, benchmarks and the docs.
    "samples",
    "save_preview",
    "ticket_url",
]
