"""A worker for the crash test: applies commands from several threads, acknowledging each.

    python -m tests.crash_worker DB NAME [RETRY_FILE]

Writes one line per acknowledged command to stdout, only after `execute` returned:
`ACK <actor> <request_id> <ok> <ticket id or -> <number or ->`. With RETRY_FILE, first
re-sends every request listed there (lines `actor request_id service`) before new work.
"""

from __future__ import annotations

import sys
import threading
from datetime import timedelta

from queue_engine.adapters.sqlite_store import SqliteStore
from queue_engine.domain import commands as c
from queue_engine.domain.model import CounterStatus
from queue_engine.service.engine import Engine, Reply
from tests.sites import local, make_site

SERVICES = ("quick", "passport", "eid", "births", "childcare")
COUNTERS = ("c1", "c2", "c3", "c4")
THREADS = 3
OPS_PER_THREAD = 150
NOW = local("2026-12-01 10:00")
_out = threading.Lock()


def ack(actor: str, reply: Reply) -> None:
    """Report a finished command; one write per line so lines never interleave."""
    ticket = reply.data.ticket if reply.ok else None
    tid, number = (ticket.id, ticket.number) if ticket else ("-", "-")
    line = f"ACK {actor} {reply.request_id} {int(reply.ok)} {tid} {number}\n"
    with _out:
        sys.stdout.write(line)
        sys.stdout.flush()


def work(engine: Engine, name: str, index: int) -> None:
    """Issue tickets and now and then serve one, as a kiosk and a counter would."""
    actor = f"{name}-t{index}"
    counter = COUNTERS[index % len(COUNTERS)]
    for i in range(OPS_PER_THREAD):
        now = NOW + timedelta(seconds=i)
        command: c.Command
        if i % 4 == 3:
            state = engine.state.counters[counter]
            command = (
                c.CallNext(request_id=f"{actor}-{i}", actor=actor, counter_id=counter)
                if state.ticket_id is None
                else c.StartService(request_id=f"{actor}-{i}", actor=actor, counter_id=counter)
                if engine.state.tickets[state.ticket_id].status.value == "called"
                else c.Finish(request_id=f"{actor}-{i}", actor=actor, counter_id=counter)
            )
        else:
            service = SERVICES[(i + index) % len(SERVICES)]
            command = c.IssueTicket(request_id=f"{actor}-{i}", actor=actor, service_id=service)
        ack(actor, engine.execute(command, now))


def retry(engine: Engine, path: str) -> None:
    """Send earlier requests again, as a kiosk does when it never got its reply."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            actor, request_id, service = line.split()
            command = c.IssueTicket(request_id=request_id, actor=actor, service_id=service)
            ack(actor, engine.execute(command, NOW))


def main() -> None:
    db, name = sys.argv[1], sys.argv[2]
    store = SqliteStore(db, "testhall")
    engine = Engine(make_site(), store)
    engine.refresh(NOW)
    for counter in COUNTERS:
        engine.execute(
            c.SetCounterStatus(
                request_id=f"{name}-open-{counter}", counter_id=counter, status=CounterStatus.OPEN
            ),
            NOW,
        )
    if len(sys.argv) > 3:
        retry(engine, sys.argv[3])
    threads = [threading.Thread(target=work, args=(engine, name, i)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    sys.stdout.write("DONE\n")


if __name__ == "__main__":
    main()
