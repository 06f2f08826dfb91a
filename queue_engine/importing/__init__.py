"""Booked appointments from a booking system's export (CSV or iCalendar), checked row by row.

Only what the queue needs is read: booking code, start, duration, services, language,
initials (at most 3 letters), status and an id. Names, e-mail addresses, phone numbers and
free text are never read, so they cannot reach the store or the event log. A bad row is
rejected with its reason; the good rows are still imported.
"""

from queue_engine.importing.common import ImportFileError, ImportReport, ImportResult, Rejection
from queue_engine.importing.csv_format import parse_csv
from queue_engine.importing.files import parse_file
from queue_engine.importing.ics_format import parse_ics
from queue_engine.importing.send import import_file, send_appointments

__all__ = [
    "ImportFileError",
    "ImportReport",
    "ImportResult",
    "Rejection",
    "import_file",
    "parse_csv",
    "parse_file",
    "parse_ics",
    "send_appointments",
]
