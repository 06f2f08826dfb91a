"""Headless devices as real OS processes over MQTT, for end-to-end days and the soak.

    python -m loket.demo.fleet SPEC.json

The spec names the role (`kiosk`, `staff` or `display`), the site, the device, the broker,
`t0` (the wall-clock start of the day, in epoch seconds: plans are in real seconds after it),
`out` (a JSON-lines file of what the device did, flushed line by line) and `stop` (a file
whose appearance tells the device to finish). Devices retry a command with the same request
id through outages until the hub answers, so every command is carried out exactly once.
"""

from __future__ import annotations

import json
import logging
import random
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from link.client import HubUnavailable, LoketClient
from link.mqtt import Broker
from link.protocol import messages as m
from link.protocol.replies import CallResult, CheckInResult, ReplyMessage, TicketReply, TicketView

log = logging.getLogger("loket.demo.fleet")
#: A device gives up on one command after this long without an answer (then it fails).
GIVE_UP_S = 60.0


class Recorder:
    """Appends one JSON object a line to the device's `out` file, flushed at once."""

    def __init__(self, path: str) -> None:
        self._file: TextIO = Path(path).open("a", encoding="utf-8")  # noqa: SIM115
        self._lock = threading.Lock()

    def write(self, kind: str, **fields: Any) -> None:
        """One record, with the wall-clock time."""
        line = json.dumps({"kind": kind, "t": time.time(), **fields})
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()


class Device:
    """What every headless device shares: its client, its record, its stop file."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.name: str = spec["device"]
        self.t0: float = spec["t0"]
        self.record = Recorder(spec["out"])
        self.stop_file = Path(spec["stop"])
        self.client = LoketClient(spec["site"], self.name, Broker.parse(spec["broker"]))

    def stopping(self) -> bool:
        """Whether the driver asked this device to finish."""
        return self.stop_file.exists()

    def sleep_until(self, offset: float) -> None:
        """Wait until `offset` seconds after the start of the day."""
        delay = self.t0 + offset - time.time()
        if delay > 0:
            time.sleep(delay)

    def ask(self, verb: str, rid: str, **fields: Any) -> ReplyMessage[Any]:
        """Send a command until the hub answers it (the same request id each time)."""
        began = time.time()
        attempts = 0
        while True:
            attempts += 1
            try:
                reply = self.client.request(verb, request_id=rid, timeout=1.0, retries=1, **fields)
            except HubUnavailable:
                reply = None
            if reply is not None and not (reply.error and reply.error.code == "unavailable"):
                self.record.write(
                    "latency", verb=verb, rid=rid, sent=began, s=time.time() - began, tries=attempts
                )
                return reply
            if time.time() - began > GIVE_UP_S:
                raise SystemExit(f"{self.name}: no answer to {verb} {rid} in {GIVE_UP_S:g} s")

    def close(self) -> None:
        """Say goodbye and close the record."""
        self.client.close()
        self.record.close()


# --- kiosk ------------------------------------------------------------------------------


def run_kiosk(device: Device) -> None:
    """Issue walk-in tickets and check in appointments from the plan; print each ticket."""
    from kiosk.printing import ticket_for_reply
    from printer_drivers import PrinterModel, print_ticket
    from siteconfig import load_site_config

    spec = device.spec
    config = load_site_config(spec["config"])
    model = PrinterModel.from_profile("TM-T20II")
    paper_out = spec.get("paper_out")  # [from, to] in seconds after t0, or null
    done = {r["visitor"] for r in _records(spec["out"]) if r["kind"] == "ack"}
    printer_state = "ok"
    device.client.start()
    for visitor in spec["visitors"]:
        if visitor["id"] in done:
            continue  # acknowledged before this process was restarted
        device.sleep_until(visitor["at"])
        rid = f"{device.name}-v{visitor['id']}"
        if visitor.get("booking_code"):
            reply = device.ask("check_in", rid, booking_code=visitor["booking_code"])
        else:
            reply = device.ask(
                "issue_ticket", rid, service_id=visitor["service_id"], language=visitor["language"]
            )
        if not isinstance(reply.data, TicketReply | CheckInResult):
            device.record.write("refused", visitor=visitor["id"], rid=rid, error=str(reply.error))
            continue
        ticket = reply.data.ticket
        documents = reply.data.documents if isinstance(reply.data, CheckInResult) else []
        now = time.time() - device.t0
        out = paper_out is not None and paper_out[0] <= now < paper_out[1]
        address = "dummy:?status=paper_out" if out else "dummy:"
        printed = print_ticket(address, ticket_for_reply(ticket, documents, config), model).ok
        state = "ok" if printed else "paper_out"
        if state != printer_state:
            printer_state = state
            device.client.publish_status(printer=state)
            device.record.write("printer", status=state)
        device.record.write(
            "ack",
            visitor=visitor["id"],
            rid=rid,
            ticket_id=ticket.id,
            number=ticket.number,
            service_id=ticket.service_id,
            printed=printed,
        )
    if printer_state != "ok":
        device.client.publish_status(printer="ok")


def _records(path: str) -> list[dict[str, Any]]:
    """The records a device wrote so far (a half-written last line is skipped)."""
    file = Path(path)
    if not file.exists():
        return []
    records = []
    for line in file.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


# --- staff ------------------------------------------------------------------------------


class Counter:
    """One counter's terminal: calls, serves, and sometimes marks no-show, transfers,
    holds (and reactivates a while later) or cancels."""

    def __init__(self, device: Device) -> None:
        self.device = device
        self.spec = device.spec
        self.n = 0
        self.holds: list[tuple[float, int]] = []  # (reactivate at, ticket id)

    def act(self, verb: str, ticket_id: int | None = None, **fields: Any) -> ReplyMessage[Any]:
        """One command; a refusal is recorded as an error (it should never happen)."""
        self.n += 1
        if ticket_id is not None and verb in ("cancel", "reactivate"):
            fields["ticket_id"] = ticket_id
        reply = self.device.ask(verb, f"{self.device.name}-{self.n}-{verb}", **fields)
        if not reply.ok:
            self.device.record.write(
                "error", verb=verb, ticket_id=ticket_id, error=str(reply.error)
            )
        elif verb not in ("call_next", "counter_status"):
            self.device.record.write("did", verb=verb, ticket_id=ticket_id)
        return reply

    def run(self) -> None:
        """Open the counter, serve until told to stop and nobody is left, close it."""
        self.act("counter_status", status="open")
        idle_since: float | None = None
        while True:
            self._reactivate_due(force=self.device.stopping())
            called = self.act("call_next").data
            ticket = called.ticket if isinstance(called, CallResult) else None
            if ticket is None:
                idle_since = idle_since or time.monotonic()
                quiet = time.monotonic() - idle_since > 0.5
                if self.device.stopping() and not self.holds and quiet:
                    break
                time.sleep(self.spec.get("idle_s", 0.05))
                continue
            idle_since = None
            self.serve(ticket)
        self.act("counter_status", status="closed")

    def serve(self, ticket: TicketView) -> None:
        """What happens at the counter with the called ticket, drawn from its id."""
        spec = self.spec
        tid = ticket.id
        rng = random.Random(spec["seed"] * 1_000_003 + tid * 31 + self.n)
        draw = rng.random()
        target = spec["transfers"].get(ticket.service_id)
        if draw < spec["no_show"]:
            self.act("no_show", tid)
        elif draw < spec["no_show"] + spec["cancel"]:
            self.act("cancel", tid, reason="visitor_left")
        elif draw < spec["no_show"] + spec["cancel"] + spec["hold"]:
            self.act("hold", tid)
            self.holds.append((time.monotonic() + spec["hold_s"], tid))
        else:
            self.act("start", tid)
            low, high = spec["service_s"]
            time.sleep(rng.uniform(low, high))
            if target is not None and rng.random() < spec["transfer"]:
                self.act("transfer", tid, to_service_id=target)
            else:
                self.act("finish", tid)

    def _reactivate_due(self, *, force: bool) -> None:
        now = time.monotonic()
        due = [h for h in self.holds if force or h[0] <= now]
        for held in due:
            self.holds.remove(held)
            self.act("reactivate", held[1])


def run_staff(device: Device) -> None:
    """A counter's terminal working through the queue."""
    device.client.start()
    Counter(device).run()


# --- display ----------------------------------------------------------------------------


def run_display(device: Device) -> None:
    """Count the calls heard (events/called) and those seen in state/calls, until stopped."""
    heard: dict[tuple[int, str], int] = {}
    lock = threading.Lock()

    def note(call: m.Call, via: str) -> None:
        key = (call.ticket_id, call.at.isoformat())
        with lock:
            first = key not in heard
            heard[key] = heard.get(key, 0) + (via == "event")
        if first or via == "event":
            device.record.write(
                "call", via=via, ticket_id=call.ticket_id, number=call.number,
                counter_id=call.counter_id, at=call.at.isoformat(), recall=call.recall,
            )  # fmt: skip

    def noted(state: m.CallsState) -> None:
        for call in state.calls:
            note(call, "state")

    device.client.on_called(lambda event: note(event.call, "event"))
    device.client.on_calls(noted)
    device.client.start()
    while not device.stopping():
        time.sleep(0.1)
    time.sleep(0.5)  # the last calls are still on their way


ROLES: dict[str, Callable[[Device], None]] = {
    "kiosk": run_kiosk,
    "staff": run_staff,
    "display": run_display,
}


def main(argv: list[str] | None = None) -> int:
    """Run one headless device from its spec file."""
    args = sys.argv[1:] if argv is None else argv
    spec = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    logging.basicConfig(level=logging.WARNING, format=f"%(asctime)s {spec['device']} %(message)s")
    device = Device(spec)
    try:
        ROLES[spec["role"]](device)
        device.record.write("finished")
    finally:
        device.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
