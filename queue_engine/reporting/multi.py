"""`loket report --multi`: several sites' KPIs of one day on one page, and all of them merged.

Ticket ids repeat across sites, so each site's log is folded on its own; the merged
figures come from the union of the sites' per-ticket facts, not from averaging averages.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

from queue_engine.domain.events import Event
from queue_engine.domain.kpi import Grouping, KpiReport, KpiRow, compute_kpis, kpis_of_facts
from queue_engine.domain.model import Site
from queue_engine.reporting.report import _csv, _names, _table, write_report

ALL_SITES = "all sites"


@dataclass(frozen=True)
class SiteDay:
    """One site's KPIs of the day."""

    site: Site
    report: KpiReport


@dataclass(frozen=True)
class MultiReport:
    """The sites' KPIs and the merged figures."""

    sites: tuple[SiteDay, ...]
    merged: KpiReport

    def rows(self) -> list[KpiRow]:
        """One overall row per site (named by the site id), then the merged row."""
        per_site = [replace(s.report.overall(), group=s.site.id) for s in self.sites]
        return [*per_site, replace(self.merged.overall(), group=ALL_SITES)]


def multi_kpis(logs: Iterable[tuple[Site, Iterable[Event]]], day: date) -> MultiReport:
    """Fold each site's log for `day`, then merge the per-ticket facts of all of them."""
    sites = tuple(SiteDay(site, compute_kpis(events, site, day)) for site, events in logs)
    merged = kpis_of_facts(fact for s in sites for fact in s.report.facts)
    return MultiReport(sites, merged)


def write_multi_report(logs: Sequence[tuple[Site, Sequence[Event]]], day: date, out: Path) -> Path:
    """Write index.html and kpi-sites.csv into `out`, and each site's own report into
    `out/<site id>/`; return the page."""
    out.mkdir(parents=True, exist_ok=True)
    for site, events in logs:
        write_report(events, site, day, out / site.id)
    report = multi_kpis(logs, day)
    _csv(out / "kpi-sites.csv", [asdict(row) for row in report.rows()])
    page = out / "index.html"
    page.write_text(_html(report, day), encoding="utf-8")
    return page


def _site_section(day: SiteDay) -> str:
    site = day.site
    services = _names(site, day.report.tables[Grouping.SERVICE], Grouping.SERVICE)
    return (
        f"<h2 id='{html.escape(site.id)}'>{html.escape(site.name)} "
        f"(<a href='{html.escape(site.id)}/index.html'>full report</a>)</h2>"
        f"{_table([day.report.overall()])}<h3>Per service</h3>{_table(services)}"
    )


def _html(report: MultiReport, day: date) -> str:
    merged = report.merged.overall()
    sections = "".join(_site_section(s) for s in report.sites)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Loket report: {len(report.sites)} sites — {day.isoformat()}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: sans-serif; margin: 2em; color: #111; max-width: 70em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #999; padding: .3em .6em; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
.summary {{ font-size: 1.2em; }}
</style></head><body>
<h1>Front office report: {len(report.sites)} sites — {day.isoformat()}</h1>
<p class="summary">{merged.issued} tickets issued, {merged.served} served,
{merged.no_shows} no-shows, {merged.cancelled} cancelled, {merged.transfers} transfers
over all sites.</p>
<h2>Sites and all sites together</h2>{_table(report.rows())}
{sections}
<p>CSV: kpi-sites.csv (one line per site and one for all sites together).</p>
</body></html>
"""
