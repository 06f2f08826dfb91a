"""The report's plots, drawn with matplotlib's object API (no pyplot, no display) into PNGs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure

from queue_engine.domain.kpi import KpiRow, Outcome, TicketFacts
from queue_engine.domain.model import Site

#: Colours that stay apart for people with the common colour-vision deficiencies.
BLUE, ORANGE, GREEN, GREY = "#0072B2", "#E69F00", "#009E73", "#999999"


def _save(figure: Figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return path


def wait_distribution(facts: Sequence[TicketFacts], path: Path) -> Path:
    """Histogram of waits (minutes) of the tickets that were called."""
    waits = [f.wait_s / 60 for f in facts if f.wait_s is not None]
    figure = Figure(figsize=(7, 3.5))
    axes = figure.subplots()
    axes.hist(waits or [0], bins=30, color=BLUE)
    axes.set_xlabel("wait until first call (minutes)")
    axes.set_ylabel("tickets")
    axes.set_title("Wait-time distribution")
    return _save(figure, path)


def tickets_per_hour(facts: Sequence[TicketFacts], site: Site, path: Path) -> Path:
    """Tickets issued per local hour, split into walk-ins and appointments."""
    walk_in: Counter[int] = Counter()
    booked: Counter[int] = Counter()
    for fact in facts:
        hour = site.local_time(fact.queued_since).hour
        (booked if fact.kind.value == "appointment" else walk_in)[hour] += 1
    hours = list(range(min([*walk_in, *booked, 8]), max([*walk_in, *booked, 17]) + 1))
    figure = Figure(figsize=(7, 3.5))
    axes = figure.subplots()
    axes.bar(hours, [walk_in[h] for h in hours], color=BLUE, label="walk-in")
    axes.bar(hours, [booked[h] for h in hours], bottom=[walk_in[h] for h in hours],
             color=ORANGE, label="appointment")  # fmt: skip
    axes.set_xlabel("hour")
    axes.set_ylabel("tickets")
    axes.set_xticks(hours)
    axes.legend()
    axes.set_title("Tickets per hour")
    return _save(figure, path)


def _short(name: str, width: int = 30) -> str:
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"


def service_level(rows: Sequence[KpiRow], path: Path) -> Path:
    """Share of tickets called within the service's target wait, per service."""
    shown = [r for r in rows if r.within_target is not None]
    figure = Figure(figsize=(9, 0.45 * len(shown) + 1.2))
    axes = figure.subplots()
    axes.barh([_short(r.group) for r in shown], [100 * (r.within_target or 0) for r in shown],
              color=GREEN)  # fmt: skip
    axes.set_xlim(0, 100)
    axes.set_xlabel("% called within the target wait")
    axes.set_title("Service level per service")
    axes.invert_yaxis()
    return _save(figure, path)


def outcomes(rows: Sequence[KpiRow], path: Path, title: str) -> Path:
    """Served, no-shows and cancelled per group (service or counter)."""
    names = [_short(r.group) for r in rows]
    figure = Figure(figsize=(9, 0.45 * len(rows) + 1.6))
    axes = figure.subplots()
    served = [r.served for r in rows]
    no_show = [r.no_shows for r in rows]
    axes.barh(names, served, color=BLUE, label=Outcome.SERVED.value)
    axes.barh(names, no_show, left=served, color=ORANGE, label="no-show")
    axes.barh(names, [r.cancelled for r in rows],
              left=[s + n for s, n in zip(served, no_show, strict=True)],
              color=GREY, label=Outcome.CANCELLED.value)  # fmt: skip
    axes.set_xlabel("tickets")
    axes.set_title(title)
    axes.invert_yaxis()
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 1.5 / (len(rows) + 4)), ncol=3)
    return _save(figure, path)
