"""`loket report`: a simulated day becomes an HTML page with plots and CSV files."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from loket.cli import main

ROOT = Path(__file__).resolve().parent.parent
TOWNHALL = ROOT / "config" / "townhall.yaml"


def test_a_simulated_day_gives_a_report_with_plots_and_csv(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "day.db"
    args = ["simulate", "--config", str(TOWNHALL), "--visitors", "120", "--seed", "3"]
    assert main([*args, "--day", "2026-12-03", "--db", str(db)]) == 0
    capsys.readouterr()
    out = tmp_path / "report"
    assert main(["report", "--config", str(TOWNHALL), "--db", str(db), "--day", "2026-12-03",
                 "--out", str(out)]) == 0  # fmt: skip
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Front office report" in page and "Snelbalie" in page
    for name in ("waits.png", "per-hour.png", "service-level.png", "services.png", "counters.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"src='{name}'" in page
    with (out / "kpi-overall.csv").open(encoding="utf-8") as handle:
        overall = next(csv.DictReader(handle))
    with (out / "tickets.csv").open(encoding="utf-8") as handle:
        tickets = list(csv.DictReader(handle))
    assert int(overall["issued"]) == len(tickets) > 50
    assert {t["day"] for t in tickets} == {date(2026, 12, 3).isoformat()}
    assert not any("booking" in key or "token" in key for key in tickets[0])


def test_report_errors_are_clear(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    args = ["report", "--config", str(TOWNHALL), "--day", "2026-12-03", "--out", str(tmp_path)]
    assert main([*args, "--db", str(tmp_path / "missing.db")]) == 2
    assert "no such store" in capsys.readouterr().err
