"""Appointment check-in: booking codes and which appointments a check-in covers."""

from __future__ import annotations

from datetime import datetime, timedelta

from queue_engine.domain.errors import CheckInReason, CheckInRefused
from queue_engine.domain.model import Appointment, AppointmentStatus, Policy, Site

#: Characters people confuse when they read a code off paper or a phone.
_CONFUSABLE = str.maketrans({"O": "0", "Q": "0", "I": "1", "L": "1"})


def normalize_code(code: str) -> str:
    """A booking code as stored and compared: capitals, no spaces or dashes, O→0, I/L→1."""
    kept = "".join(ch for ch in code.upper() if ch.isalnum())
    return kept.translate(_CONFUSABLE)
