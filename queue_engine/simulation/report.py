"""What a simulated day produced: counts, KPIs, the wait-estimate error, and a text report."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from queue_engine.domain.kpi import Grouping, KpiReport

#: How each visitor's day can end; anything else means the simulation lost track of them.
OUTCOMES = ("served", "no_show", "cancelled", "refused")


@dataclass(frozen=True)
class EstimateError:
    """How far the wait promised at issue was from the wait until the first call."""

    tickets: int
    mean_abs_s: float | None
    median_abs_s: float | None
    #: Mean of (estimate - actual): negative when visitors waited longer than promised.
    bias_s: float | None
    mean_actual_s: float | None
    mean_estimate_s: float | None

    @classmethod
    def of(cls, pairs: Sequence[tuple[float, float]]) -> EstimateError:
        """The error over (estimate, actual) pairs in seconds."""
        if not pairs:
            return cls(0, None, None, None, None, None)
        errors = [abs(e - a) for e, a in pairs]
        return cls(
            tickets=len(pairs),
            mean_abs_s=statistics.fmean(errors),
            median_abs_s=statistics.median(errors),
            bias_s=statistics.fmean(e - a for e, a in pairs),
            mean_actual_s=statistics.fmean(a for _, a in pairs),
            mean_estimate_s=statistics.fmean(e for e, _ in pairs),
        )


@dataclass(frozen=True)
class SimulationResult:
    """The figures of one simulated day."""

    day: date
    seed: int
    visitors: int
    #: Visitors per outcome (see OUTCOMES); `lost` counts those with none.
    outcomes: Mapping[str, int]
    lost: int
    tickets_issued: int
    walk_in_tickets: int
    appointment_tickets: int
    appointments_booked: int
    #: Refusals the rules are expected to give, by "code:reason".
    refused: Mapping[str, int]
    #: Refusals the simulation did not expect, by "verb:code", and a few of their messages.
    unexpected: Mapping[str, int]
    unexpected_samples: tuple[str, ...]
    #: Tickets not done, cancelled or no-show when the day was over.
    open_tickets: int
    kpis: KpiReport
    estimate: EstimateError
    estimate_by_service: Mapping[str, EstimateError]
    commands: Mapping[str, int]
    wall_s: float
    behaviour: Mapping[str, int] = field(default_factory=dict)

    @property
    def commands_total(self) -> int:
        """All commands executed, ticks included."""
        return sum(self.commands.values())

    @property
    def unexpected_total(self) -> int:
        """All unexpected refusals."""
        return sum(self.unexpected.values())

    def format_text(self) -> str:
        """The result as text for the terminal."""
        return format_result(self)


def _minutes(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f} min"


def _counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"


def _estimate_line(name: str, est: EstimateError) -> str:
    return (
        f"  {name:<14} {est.tickets:>6}  {_minutes(est.mean_abs_s):>10}"
        f"  {_minutes(est.median_abs_s):>10}  {_minutes(est.bias_s):>10}"
        f"  {_minutes(est.mean_actual_s):>10}"
    )


def _estimate_section(result: SimulationResult) -> list[str]:
    header = (
        f"  {'service':<14} {'called':>6}  {'mean |err|':>10}  {'median':>10}"
        f"  {'bias':>10}  {'mean wait':>10}"
    )
    lines = ["Wait estimate at issue vs. actual wait (walk-ins, first call):", header]
    lines.append(_estimate_line("all", result.estimate))
    lines += [_estimate_line(k, v) for k, v in sorted(result.estimate_by_service.items())]
    return lines


def _summary(result: SimulationResult) -> list[str]:
    rate = result.commands_total / max(result.wall_s, 1e-9)
    lines = [
        f"Simulated day {result.day.isoformat()} (seed {result.seed}): "
        f"{result.visitors} visitors, {result.wall_s:.1f} s wall time, "
        f"{result.commands_total} commands ({rate:.0f}/s)",
        f"  outcomes: {_counts(result.outcomes)}; lost {result.lost}; "
        f"open tickets at the end {result.open_tickets}",
        f"  tickets: {result.tickets_issued} issued ({result.walk_in_tickets} walk-in, "
        f"{result.appointment_tickets} appointment); "
        f"{result.appointments_booked} appointments booked",
        f"  refused (expected): {_counts(result.refused)}",
        f"  unexpected errors: {result.unexpected_total} ({_counts(result.unexpected)})",
    ]
    lines += [f"    {sample}" for sample in result.unexpected_samples]
    if result.behaviour:
        lines.append(f"  staff and visitors: {_counts(result.behaviour)}")
    lines.append(f"  commands: {_counts(result.commands)}")
    return lines


def format_result(result: SimulationResult) -> str:
    """The summary, the KPI tables (overall, service, counter, channel) and the estimate error."""
    lines = _summary(result)
    groupings = (Grouping.OVERALL, Grouping.SERVICE, Grouping.COUNTER, Grouping.CHANNEL)
    for grouping in groupings:
        lines += ["", f"KPIs by {grouping.value} (minutes):", result.kpis.format_table(grouping)]
    lines += ["", *_estimate_section(result)]
    return "\n".join(lines)
