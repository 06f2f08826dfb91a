"""Ticket numbers: prefix + 3 digits, per service and per local day, never two alike in use."""

from __future__ import annotations

from collections.abc import Container

from queue_engine.domain.errors import NotAvailable, Unavailability

#: Numbers run 001 … 999, then wrap to 001.
CYCLE = 999


def format_number(prefix: str, sequence: int) -> str:
    """The printed number of the `sequence`-th ticket of the day: A001 … A999, A001 …"""
    return f"{prefix}{(sequence - 1) % CYCLE + 1:03d}"


def next_number(prefix: str, last_sequence: int, in_use: Container[str]) -> tuple[int, str]:
    """The next sequence and number after `last_sequence`, skipping numbers still in use.

    `last_sequence` is 0 at the start of a local day, so the first ticket is 001.
    """
    for sequence in range(last_sequence + 1, last_sequence + CYCLE + 1):
        number = format_number(prefix, sequence)
        if number not in in_use:
            return sequence, number
    raise NotAvailable(
        f"all {CYCLE} numbers of prefix {prefix} are in use",
        Unavailability.NUMBERS_EXHAUSTED,
        None,
    )
