"""Files written whole (a reader never sees half of one) and with tight permissions."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def private_dir(path: str | os.PathLike[str], mode: int = 0o700) -> Path:
    """Make a directory (and its parents) that only its owner may enter."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True, mode=mode)
    os.chmod(folder, mode)
    return folder


def write_atomic(path: str | os.PathLike[str], data: str | bytes, mode: int = 0o600) -> Path:
    """Replace `path` in one step with `data`, created with `mode` (owner-only by default)."""
    target = Path(path)
    raw = data.encode() if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_json(path: str | os.PathLike[str], value: Any, mode: int = 0o600) -> Path:
    """Write `value` as indented JSON, atomically."""
    return write_atomic(path, json.dumps(value, indent=2, sort_keys=True) + "\n", mode)


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read a JSON file."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
