"""Reading an export file of either format."""

from __future__ import annotations

import os
from pathlib import Path

from queue_engine.domain.model import Site
from queue_engine.importing.common import ImportFileError, ImportResult, _decode
from queue_engine.importing.csv_format import parse_csv
from queue_engine.importing.ics_format import parse_ics


def parse_file(path: str | os.PathLike[str], site: Site) -> ImportResult:
    """Read a .csv or .ics file; raises ImportFileError (naming the file) if it is unusable."""
    source = os.fspath(path)
    kind = Path(source).suffix.lower()
    if kind not in (".csv", ".ics"):
        raise ImportFileError(f"{source}: not a CSV or iCalendar file (name it *.csv or *.ics)")
    try:
        data = Path(source).read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{source}: no such file") from None
    except OSError as exc:
        raise ImportFileError(f"{source}: cannot read: {exc.strerror}") from None
    try:
        return parse_ics(data, site) if kind == ".ics" else parse_csv(_decode(data), site)
    except ImportFileError as exc:
        raise ImportFileError(f"{source}: {exc}") from None
