"""`loket report`: one day's KPIs as an HTML page with plots, and CSV exports.

Everything comes from the anonymous event log: ticket ids, services, counters, channels
and times. Nothing in the report identifies a visitor.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from queue_engine.domain.events import Event
from queue_engine.domain.kpi import Grouping, KpiReport, KpiRow, compute_kpis
from queue_engine.domain.model import Site
from queue_engine.reporting import plots

COLUMNS = (
    ("group", "group", None),
    ("issued", "issued", None),
    ("served", "served", None),
    ("no_shows", "no-shows", None),
    ("cancelled", "cancelled", None),
    ("open", "open", None),
    ("transfers", "transfers", None),
    ("wait_mean_s", "wait avg (min)", 60),
    ("wait_median_s", "wait median (min)", 60),
    ("wait_p90_s", "wait p90 (min)", 60),
    ("service_mean_s", "service avg (min)", 60),
    ("within_target", "within target", None),
)
TABLES = (Grouping.SERVICE, Grouping.COUNTER, Grouping.CHANNEL, Grouping.KIND)


def write_report(events: Iterable[Event], site: Site, day: date, out: Path) -> Path:
    """Write index.html, the plots and the CSV files of `day` into `out`; return the page."""
    out.mkdir(parents=True, exist_ok=True)
    report = compute_kpis(events, site, day)
    _write_csvs(report, out)
    figures = _draw(report, site, out)
    page = out / "index.html"
    page.write_text(_html(report, site, day, figures), encoding="utf-8")
    return page


def _names(site: Site, rows: Sequence[KpiRow], grouping: Grouping) -> list[KpiRow]:
    """Rows with service and counter ids replaced by their names."""
    from dataclasses import replace

    def name(group: str) -> str:
        if grouping is Grouping.SERVICE and group in site.services:
            return site.services[group].name(site.default_language)
        if grouping is Grouping.COUNTER and group in site.counters:
            return site.counters[group].name
        return group

    return [replace(r, group=name(r.group)) for r in rows]


def _draw(report: KpiReport, site: Site, out: Path) -> list[tuple[str, str]]:
    services = _names(site, report.tables[Grouping.SERVICE], Grouping.SERVICE)
    counters = _names(site, report.tables[Grouping.COUNTER], Grouping.COUNTER)
    drawn = [
        ("Wait-time distribution", plots.wait_distribution(report.facts, out / "waits.png")),
        ("Tickets per hour", plots.tickets_per_hour(report.facts, site, out / "per-hour.png")),
        ("Service level per service", plots.service_level(services, out / "service-level.png")),
        ("Outcomes per service", plots.outcomes(services, out / "services.png", "Per service")),
        ("Outcomes per counter", plots.outcomes(counters, out / "counters.png", "Per counter")),
    ]
    return [(title, path.name) for title, path in drawn]


def _write_csvs(report: KpiReport, out: Path) -> None:
    for grouping in (Grouping.OVERALL, *TABLES):
        _csv(out / f"kpi-{grouping.value}.csv", report.rows(grouping))
    facts = [asdict(f) for f in report.facts]
    _csv(out / "tickets.csv", facts)


def _csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        if not rows:
            return
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _plain(v) for k, v in row.items()})


#: What makes a spreadsheet read a cell as a formula (or a command).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: Any) -> Any:
    """A cell's value; text a spreadsheet would run as a formula gets a leading quote."""
    value = value.isoformat() if hasattr(value, "isoformat") else getattr(value, "value", value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any, scale: int | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and scale is None:
        return f"{100 * value:.0f} %"
    if scale is not None:
        return f"{value / scale:.1f}"
    return html.escape(str(value))


def _table(rows: Sequence[KpiRow]) -> str:
    head = "".join(f"<th scope='col'>{html.escape(label)}</th>" for _, label, _ in COLUMNS)
    body = []
    for row in rows:
        values = asdict(row)
        cells = "".join(f"<td>{_cell(values[key], scale)}</td>" for key, _, scale in COLUMNS)
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _html(report: KpiReport, site: Site, day: date, figures: list[tuple[str, str]]) -> str:
    overall = report.overall()
    sections = [
        f"<h2>{grouping.value.capitalize()}</h2>"
        + _table(_names(site, report.tables[grouping], grouping))
        for grouping in TABLES
    ]
    images = "".join(
        f"<figure><img src='{name}' alt='{html.escape(title)}'><figcaption>"
        f"{html.escape(title)}</figcaption></figure>"
        for title, name in figures
    )
    title = f"{html.escape(site.name)} — {day.isoformat()}"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Loket report: {title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: sans-serif; margin: 2em; color: #111; max-width: 70em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #999; padding: .3em .6em; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
figure {{ display: inline-block; margin: 1em; }}
.summary {{ font-size: 1.2em; }}
</style></head><body>
<h1>Front office report: {title}</h1>
<p class="summary">{overall.issued} tickets issued, {overall.served} served,
{overall.no_shows} no-shows, {overall.cancelled} cancelled, {overall.transfers} transfers.
Median wait {_cell(overall.wait_median_s, 60)} min;
{_cell(overall.within_target, None)} called within the target wait.</p>
<h2>Overall</h2>{_table([overall])}
{"".join(sections)}
<h2>Plots</h2>{images}
<p>CSV files: kpi-overall.csv, kpi-service.csv, kpi-counter.csv, kpi-channel.csv,
kpi-kind.csv, tickets.csv (one line per ticket, anonymous).</p>
</body></html>
"""
