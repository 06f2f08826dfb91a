"""The collector: subscribes the events/log of the sites it is told about on the central
broker and keeps them; an event for any other site is dropped (a forged site fills no report).

Its MQTT session outlives disconnects (session expiry), so the central broker queues what
arrives while the collector restarts; QoS 1 may then deliver an event twice, and the
store keeps each (site, seq) once.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from pydantic import ValidationError

from central.store import CentralStore
from link.mqtt import Broker, Connection, Incoming
from link.protocol.messages import EventLogEntry
from link.protocol.topics import Topics, parse_events_log
from queue_engine.domain.events import Event, event_from_json

log = logging.getLogger(__name__)

#: How long the central broker keeps the collector's session while it is away: a week.
SESSION_EXPIRY_S = 7 * 24 * 3600


def _now() -> datetime:
    return datetime.now(UTC)


def decode(
    incoming: Incoming, sites: frozenset[str] | None = None
) -> tuple[EventLogEntry, Event] | None:
    """The message and its event, or None (logged) if it is not a valid events/log entry
    of one of `sites` (None: any site)."""
    site = parse_events_log(incoming.topic)
    if sites is not None and site not in sites:
        log.warning("dropped a message on %s: not a site collected here", incoming.topic)
        return None
    try:
        entry = EventLogEntry.model_validate_json(incoming.payload)
        event = event_from_json(entry.type, json.dumps(entry.event))
    except (ValidationError, ValueError, KeyError, TypeError) as error:
        log.warning("dropped a message on %s: %s", incoming.topic, error)
        return None
    if site != entry.site:
        log.warning("dropped a message on %s: it says site %s", incoming.topic, entry.site)
        return None
    return entry, event


class Collector:
    """Keeps the events of `sites` from one (central) broker in a CentralStore."""

    def __init__(
        self,
        broker: Broker,
        store: CentralStore,
        *,
        sites: Iterable[str],
        client_id: str = "loket-central-collector",
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.store = store
        self.sites = frozenset(sites)
        self.clock = clock
        self.stored = 0
        self.duplicates = 0
        self.dropped = 0
        self._lock = threading.Lock()
        self.connection = Connection(
            client_id, broker, on_message=self._received, session_expiry=SESSION_EXPIRY_S
        )

    def start(self) -> None:
        """Subscribe and connect (in the background)."""
        for site in sorted(self.sites):
            self.connection.subscribe(Topics(site).events_log, qos=1)
        self.connection.start()

    def close(self) -> None:
        """Disconnect (the broker keeps the session for SESSION_EXPIRY_S)."""
        self.connection.close()

    def _received(self, incoming: Incoming) -> None:
        decoded = decode(incoming, self.sites)
        with self._lock:
            if decoded is None:
                self.dropped += 1
                return
            entry, event = decoded
            payload = json.dumps(entry.event, separators=(",", ":"), sort_keys=True)
            if self.store.add(entry.site, entry.seq, event, payload, self.clock()):
                self.stored += 1
            else:
                self.duplicates += 1
