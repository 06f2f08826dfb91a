"""Sending checked appointments to the queue in idempotent batches."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime

from link.protocol.replies import ImportCounts
from queue_engine.domain.commands import ImportAppointments
from queue_engine.domain.model import Appointment
from queue_engine.importing.common import (
    ImportReport,
    ImportResult,
    Rejection,
    _digest,
)
from queue_engine.importing.files import parse_file
from queue_engine.service.engine import Engine

# --- into the queue ----------------------------------------------------------------------


def import_file(
    engine: Engine,
    path: str | os.PathLike[str],
    now: datetime,
    *,
    actor: str = "import",
    batch: int = 200,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Parse a file and send its good appointments to the queue (see `send_appointments`)."""
    result = parse_file(path, engine.site)
    return send_appointments(engine, result, now, actor=actor, batch=batch, progress=progress)


def send_appointments(
    engine: Engine,
    result: ImportResult,
    now: datetime,
    *,
    actor: str = "import",
    batch: int = 200,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Send the appointments in batches; `progress(n)` after each batch of n.

    Request ids come from the file's and the batch's content, so sending the same file
    again changes nothing: the queue replays its first answer (counted as `unchanged`).
    """
    if batch < 1:
        raise ValueError(f"batch must be at least 1, got {batch}")
    counts = {"imported": 0, "updated": 0, "unchanged": 0}
    rejections = list(result.rejected)
    for index, first in enumerate(range(0, len(result.appointments), batch)):
        chunk = tuple(result.appointments[first : first + batch])
        request_id = _request_id(result.digest, index, chunk, result.generated)
        command = ImportAppointments(request_id=request_id, actor=actor, appointments=chunk)
        reply = engine.execute(command, now)
        if not reply.ok:
            reason = f"refused by the queue: {reply.error.message if reply.error else '?'}"
            rejections += [Rejection(result.origins[a.id], a.id, reason) for a in chunk]
        elif reply.replayed:
            counts["unchanged"] += len(chunk)
        elif (done := reply.of(ImportCounts)) is not None:
            counts["imported"] += done.imported
            counts["updated"] += done.updated
        if progress is not None:
            progress(len(chunk))
    return ImportReport(rejections=tuple(rejections), **counts)


def _request_id(
    digest: str, index: int, chunk: tuple[Appointment, ...], generated: set[str]
) -> str:
    """A request id that changes whenever the batch's content changes (ids made up on
    reading are new each time, so they do not count)."""
    text = "\n".join(_canonical(a, a.id in generated) for a in chunk)
    return f"import-{digest[:12]}-{index}-{_digest(text.encode())[:12]}"


def _canonical(a: Appointment, generated: bool) -> str:
    """An appointment as one stable line of text."""
    identity = "" if generated else a.id
    parts = (
        identity,
        a.booking_code,
        a.services,
        a.start.isoformat(),
        a.duration_minutes,
        a.language,
        a.status.value,
        a.initials,
    )
    return "\x1f".join(map(str, parts))
