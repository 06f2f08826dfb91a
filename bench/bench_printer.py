"""Printer benchmarks: bytes per ticket, time on a serial line, layout and job times.

    .venv/bin/python bench/bench_printer.py [--repeat 200] [--json results.json]

Prints two tables. Bytes per ticket for a walk-in and an appointment ticket (with two
documents to bring) on 58 and 80 mm paper, native versus raster QR, and how long those bytes
take on a serial line at 9,600, 19,200 and 115,200 baud (8N1: 10 bits per byte). Then the
time to lay out and encode one ticket, to draw its preview, and a whole print job over
loopback TCP to the test suite's fake printer (status before and after included).
See bench/README.md, section "Printer", for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The fake printer lives with the tests; printer_drivers may not be installed as a package.
sys.path.insert(0, str(ROOT))

from printer_drivers import (  # noqa: E402
    PrinterModel,
    TicketPrint,
    encode_layout,
    layout_ticket,
    preview_image,
    print_ticket,
)
from printer_drivers.samples import sample_ticket  # noqa: E402
from printer_drivers.ticket import DocumentList  # noqa: E402
from tests.printer_fakes import tcp_fake  # noqa: E402

BAUDS = (9_600, 19_200, 115_200)
ISSUED = datetime(2026, 12, 3, 10, 4)
MODELS = {
    ("80", "native"): PrinterModel.from_profile("TM-T88V"),
    ("80", "raster"): PrinterModel.from_profile("TM-T88V", raster_qr=True),
    ("58", "native"): PrinterModel.from_profile("TM-T88V", paper_mm=58),
    ("58", "raster"): PrinterModel.from_profile("POS-5890"),
}


def tickets() -> dict[str, TicketPrint]:
    """A walk-in ticket and an appointment ticket with two services' documents."""
    appointment = sample_ticket(ISSUED, "fr", appointment=True)
    births = DocumentList("Déclaration de naissance", ("Les cartes d'identité des deux parents",))
    return {
        "walk-in": sample_ticket(ISSUED, "nl"),
        "appointment": replace(appointment, documents=(*appointment.documents, births)),
    }


def seconds_on_the_wire(size: int, baud: int) -> float:
    """8 data bits, no parity, 1 stop bit: 10 bits per byte."""
    return size * 10 / baud


def bytes_table() -> list[dict[str, Any]]:
    """Bytes per ticket and serial time per variant."""
    rows = []
    for kind, ticket in tickets().items():
        for (paper, qr), model in MODELS.items():
            size = len(encode_layout(layout_ticket(ticket, model.paper), model))
            rows.append(
                {
                    "ticket": kind,
                    "paper_mm": int(paper),
                    "qr": qr,
                    "profile": model.profile,
                    "bytes": size,
                    "seconds": {baud: seconds_on_the_wire(size, baud) for baud in BAUDS},
                }
            )
    return rows


def timed(action: Callable[[], Any], repeat: int) -> dict[str, float]:
    """Median and 99th percentile of `repeat` runs, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50_ms": statistics.median(samples),
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
    }


def time_table(repeat: int) -> dict[str, dict[str, float]]:
    """Layout, encoding, preview and a loopback print job."""
    ticket = tickets()["appointment"]
    native, raster = MODELS[("80", "native")], MODELS[("80", "raster")]
    layout = layout_ticket(ticket, native.paper)
    figures = {
        "layout": timed(lambda: layout_ticket(ticket, native.paper), repeat),
        "encode, native QR": timed(lambda: encode_layout(layout, native), repeat),
        "encode, raster QR": timed(lambda: encode_layout(layout, raster), repeat),
        "preview image (drawing only)": timed(
            lambda: preview_image(ticket, native), max(10, repeat // 10)
        ),
    }
    with tcp_fake() as fake:
        figures["job over loopback TCP, native"] = timed(
            lambda: _must_print(fake.url, ticket, native), repeat
        )
        figures["job over loopback TCP, raster"] = timed(
            lambda: _must_print(fake.url, ticket, raster), max(10, repeat // 4)
        )
    return figures


def _must_print(url: str, ticket: TicketPrint, model: PrinterModel) -> None:
    """Print, or stop the benchmark."""
    result = print_ticket(url, ticket, model, timeout=5)
    if not result.ok:
        raise RuntimeError(f"print job failed: {result.reason}")


def show(rows: list[dict[str, Any]], times: dict[str, dict[str, float]]) -> None:
    """Both tables, as Markdown."""
    print("| ticket | paper | QR | bytes | 9,600 baud | 19,200 baud | 115,200 baud |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for row in rows:
        wire = " | ".join(f"{row['seconds'][baud]:.2f} s" for baud in BAUDS)
        print(
            f"| {row['ticket']} | {row['paper_mm']} mm ({row['profile']}) | {row['qr']} | "
            f"{row['bytes']:,} | {wire} |"
        )
    print()
    print("| per ticket | p50 | p99 |")
    print("| --- | ---: | ---: |")
    for name, figure in times.items():
        print(f"| {name} | {figure['p50_ms']:.3f} ms | {figure['p99_ms']:.3f} ms |")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the tables, optionally save JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="runs per timing (200)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also save the results here")
    args = parser.parse_args(argv)
    rows, times = bytes_table(), time_table(args.repeat)
    show(rows, times)
    if args.json is not None:
        payload = {
            "machine": {"python": platform.python_version(), "platform": platform.platform()},
            "tickets": rows,
            "times": times,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
