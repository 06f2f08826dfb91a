"""The domain imports only the standard library: no Kivy, paho, escpos, zeroconf or SQLite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent.parent / "queue_engine" / "domain"
FORBIDDEN = ("kivy", "paho", "escpos", "zeroconf", "sqlite3", "pydantic", "yaml", "serial")


def test_domain_modules_pull_in_nothing_but_the_standard_library() -> None:
    modules = sorted(f"queue_engine.domain.{p.stem}" for p in DOMAIN.glob("*.py"))
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    assert len(modules) >= 10
