"""The soak: a busy day's peak held for minutes with faults injected, then a report.

    python bench/soak.py --seconds 300       (make soak; SOAK_SECONDS, at most 600)

Real processes on 127.0.0.1: Mosquitto, `loket hub`, 8 kiosks, 7 counters, 2 displays.
On a schedule: a printer out of paper, a broker restart, a kiosk SIGKILLed and started
again, a hub SIGKILLed and started again. The report: commands answered, lost (must be 0),
doubled (must be 0), latency per phase, the longest silence after each fault, the hub's
memory, and the raw MQTT round trip of the same broker for scale.
"""

from __future__ import annotations

import argparse
import itertools
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from loket.demo.rig import (
    ROOT,
    TRANSFERS,
    Fleet,
    open_all_day,
    plan_morning,
    store_facts,
    tally,
)

MAX_SECONDS = 600
STAFF = {
    "service_s": [0.02, 0.12],
    "no_show": 0.05,
    "cancel": 0.02,
    "hold": 0.03,
    "hold_s": 2.0,
    "transfer": 0.1,
    "transfers": TRANSFERS,
    "idle_s": 0.2,
}
#: When each fault happens, as a share of the soak's length.
PAPER_OUT = (0.70, 0.85)
BROKER_AT, BROKER_DOWN_S = 0.25, 2.0
DROP_AT, DROP_S = 0.40, 2.0
HUB_AT = 0.55
PHASE_S = 10.0  # a command sent within this long after a fault belongs to its phase


def raw_round_trip(host: str, port: int, samples: int) -> list[float]:
    """Seconds for a plain request/reply through the broker: one paho client publishes
    200 bytes at QoS 1, a second one publishes them back at QoS 1 (as bench_hub's raw
    round trip: the physical limit of a command and its reply)."""
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

    got = threading.Event()

    def client(name: str) -> paho.Client:
        made = paho.Client(
            CallbackAPIVersion.VERSION2, client_id=name, protocol=MQTTProtocolVersion.MQTTv5
        )
        made.on_socket_open = _nodelay
        made.connect(host, port)
        made.loop_start()
        return made

    asker, echo = client("loket-soak-ask"), client("loket-soak-echo")

    def back(sender: paho.Client, _userdata: Any, message: paho.MQTTMessage) -> None:
        sender.publish("loket-soak/back", message.payload, qos=1)

    echo.on_message = back
    asker.on_message = lambda *_: got.set()
    echo.subscribe("loket-soak/out", 1)
    asker.subscribe("loket-soak/back", 1)
    time.sleep(0.3)
    times = []
    try:
        for _ in range(samples):
            got.clear()
            began = time.perf_counter()
            asker.publish("loket-soak/out", b"x" * 200, qos=1)
            if got.wait(2):
                times.append(time.perf_counter() - began)
            time.sleep(0.002)
    finally:
        for made in (asker, echo):
            made.loop_stop()
            made.disconnect()
    return times


def _nodelay(client: Any, userdata: Any, sock: Any) -> None:
    if isinstance(sock, socket.socket):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def percentiles(values: list[float]) -> dict[str, float | int]:
    """Count, p50 and p99 in milliseconds."""
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"n": len(values), "p50_ms": statistics.median(ordered) * 1e3, "p99_ms": p99 * 1e3}


class Soak:
    """One soak run: the fleet, the schedule, the figures."""

    def __init__(self, seconds: float, kiosks: int, rate: float, work: Path, seed: int) -> None:
        self.seconds = seconds
        self.rate = rate
        self.config = open_all_day(
            ROOT / "config" / "townhall.yaml", work / "site.yaml", max(0, kiosks - 2)
        )
        self.kiosks = ["kiosk-inkom", "kiosk-verdieping"][:kiosks] + [
            f"kiosk-soak-{n}" for n in range(1, kiosks - 1)
        ]
        self.fleet = Fleet(self.config, work, seed=seed)
        self.faults: list[tuple[str, float, float]] = []  # (what, began, restored)
        self.figures: dict[str, Any] = {}

    def run(self) -> dict[str, Any]:
        """Start everything, hold the peak with the faults, drain, check, report."""
        fleet = self.fleet
        visitors = round(self.seconds * self.rate * len(self.kiosks))
        plan = plan_morning(self.kiosks, visitors, self.seconds, fleet.seed, 0.1, flat=True)
        try:
            fleet.start_broker()
            host, port = fleet.broker.host, fleet.broker.port
            self.figures["raw_rtt_idle"] = percentiles(raw_round_trip(host, port, 300))
            fleet.import_appointments(plan.appointments_csv)
            fleet.start_hub()
            fleet.t0 = time.time() + 4.0
            time.sleep(2.0)
            self.figures["hub_rss_kib_start"] = fleet.hub_rss_kib()
            self.start_devices(plan.visitors)
            self.schedule()
            fleet.wait_devices("kiosk", timeout=120)
            fleet.drain(timeout=120)
            fleet.wait_devices("staff", timeout=60)
            fleet.wait_devices("display", timeout=20)
            self.figures["hub_rss_kib_end"] = fleet.hub_rss_kib()
            fleet.hubs[-1].terminate()
            fleet.hubs[-1].wait(15)
        finally:
            fleet.close()
        self.figures.update(self.check(plan.count))
        return self.figures

    def start_devices(self, visitors: dict[str, list[dict[str, Any]]]) -> None:
        """Displays, counters, then kiosks (all waiting for t0)."""
        fleet = self.fleet
        for display in ("display-gelijkvloers", "display-verdieping"):
            fleet.start_device("display", display)
        for n in range(1, 8):
            fleet.start_device("staff", f"staff-loket-{n}", seed=n, **STAFF)
        for kiosk in self.kiosks:
            paper = (
                [self.at(PAPER_OUT[0]), self.at(PAPER_OUT[1])] if kiosk == "kiosk-inkom" else None
            )
            fleet.start_device("kiosk", kiosk, visitors=visitors[kiosk], paper_out=paper)

    def at(self, share: float) -> float:
        """Seconds after t0 for a share of the soak."""
        return round(self.seconds * share, 3)

    def schedule(self) -> None:
        """The faults, in order, at their times."""
        fleet = self.fleet
        self.faults.append(
            ("paper out", fleet.t0 + self.at(PAPER_OUT[0]), fleet.t0 + self.at(PAPER_OUT[1]))
        )
        self.sleep_until(self.at(BROKER_AT))
        began = time.time()
        fleet.broker.stop()
        time.sleep(BROKER_DOWN_S)
        fleet.broker.start()
        self.faults.append(("broker restart", began, time.time()))
        self.figures["raw_rtt_load"] = percentiles(
            raw_round_trip(fleet.broker.host, fleet.broker.port, 300)
        )
        self.sleep_until(self.at(DROP_AT))
        victim = self.kiosks[-1]
        began = time.time()
        fleet.kill_device(victim)
        time.sleep(DROP_S)
        fleet.start_device("kiosk", victim)
        self.faults.append((f"{victim} SIGKILL", began, time.time()))
        self.sleep_until(self.at(HUB_AT))
        began = time.time()
        fleet.kill_hub()
        fleet.start_hub()
        self.faults.append(("hub SIGKILL", began, time.time()))
        time.sleep(3.0)
        self.figures["hub_rss_kib_restarted"] = fleet.hub_rss_kib()

    def sleep_until(self, offset: float) -> None:
        """Wait until `offset` seconds after t0."""
        delay = self.fleet.t0 + offset - time.time()
        if delay > 0:
            time.sleep(delay)

    def check(self, planned: int) -> dict[str, Any]:
        """Lost, doubled, latency per phase, the longest silence after each fault."""
        seen = tally(self.fleet)
        tickets = store_facts(self.fleet.db)["tickets"]
        acks = seen["acks"]
        per_visitor = Counter((a["rid"]) for a in acks)
        acked_tickets = Counter(a["ticket_id"] for a in acks)
        numbers = Counter((day, number) for day, number, _ in tickets.values())
        latency = seen["latency"]
        answers = sorted(r["sent"] + r["s"] for r in latency)
        return {
            "visitors_planned": planned,
            "commands_answered": len(latency),
            "commands_sent": sum(r["tries"] for r in latency),
            "tickets_stored": len(tickets),
            "lost": planned - len(per_visitor) + len(set(acked_tickets) - set(tickets)),
            "doubled": sum(n - 1 for n in acked_tickets.values())
            + sum(n - 1 for n in numbers.values())
            + len(set(tickets) - set(acked_tickets)),
            "errors": len(seen["errors"]),
            "statuses": dict(Counter(status for _, _, status in tickets.values())),
            "actions": dict(seen["did"]),
            "not_printed": sum(not a["printed"] for a in acks),
            "latency": self.phases(latency),
            "faults": [
                {
                    "fault": what,
                    "down_s": round(restored - began, 2),
                    **self.silence(answers, began, restored),
                }
                for what, began, restored in self.faults
            ],
            "calls_missed": self.missed(seen),
        }

    def phases(self, latency: list[dict[str, Any]]) -> dict[str, dict[str, float | int]]:
        """Latency of commands by the fault they were sent after (or steady)."""
        groups: dict[str, list[float]] = {}
        for record in latency:
            phase = "steady"
            for what, began, restored in self.faults:
                if began <= record["sent"] <= restored + PHASE_S:
                    phase = what
            groups.setdefault(phase, []).append(record["s"])
        return {phase: percentiles(values) for phase, values in sorted(groups.items())}

    @staticmethod
    def silence(answers: list[float], began: float, restored: float) -> dict[str, float]:
        """The longest gap between two answers from 1 s before the fault to 10 s after it
        ended, and how soon after it ended the first answer came."""
        window = [t for t in answers if began - 1 <= t <= restored + 10]
        gaps = [b - a for a, b in itertools.pairwise(window)]
        first = next((t for t in answers if t >= restored), restored)
        return {
            "longest_silence_s": round(max(gaps, default=0.0), 2),
            "first_answer_after_s": round(first - restored, 3),
        }

    def missed(self, seen: dict[str, Any]) -> dict[str, int]:
        """Calls in the event log that a display did not hear."""
        from queue_engine.adapters.sqlite_store import SqliteStore
        from queue_engine.domain.events import TicketCalled

        with SqliteStore(self.fleet.db, "stad-voorbeeld") as store:
            calls = {(e.ticket_id, e.at) for e in store.events() if isinstance(e, TicketCalled)}
        return {
            display: len(calls - {(tid, datetime.fromisoformat(at)) for tid, at in heard})
            for display, heard in seen["heard"].items()
        }


def report(figures: dict[str, Any], seconds: float) -> str:
    """The figures as text."""
    lines = [f"soak: {seconds:g} s at the peak"]
    for key in ("visitors_planned", "tickets_stored", "commands_sent", "commands_answered"):
        lines.append(f"  {key}: {figures[key]}")
    lines.append(
        f"  lost: {figures['lost']}   doubled: {figures['doubled']}   errors: {figures['errors']}"
    )
    lines.append(f"  statuses: {figures['statuses']}   actions: {figures['actions']}")
    lines.append(f"  not printed (paper out): {figures['not_printed']}")
    lines.append(f"  calls missed by displays: {figures['calls_missed']}")
    for name in ("raw_rtt_idle", "raw_rtt_load"):
        lines.append(f"  {name}: {_fmt(figures.get(name, {}))}")
    for phase, values in figures["latency"].items():
        lines.append(f"  latency {phase}: {_fmt(values)}")
    for fault in figures["faults"]:
        lines.append(
            f"  fault {fault['fault']}: down {fault['down_s']} s, "
            f"longest silence {fault['longest_silence_s']} s, first answer "
            f"{fault['first_answer_after_s']} s after it ended"
        )
    rss = [
        figures.get(k) for k in ("hub_rss_kib_start", "hub_rss_kib_restarted", "hub_rss_kib_end")
    ]
    lines.append(f"  hub RSS KiB start/after restart/end: {rss}")
    return "\n".join(lines)


def _fmt(values: dict[str, float | int]) -> str:
    if not values.get("n"):
        return "no samples"
    return f"n={values['n']} p50={values['p50_ms']:.2f} ms p99={values['p99_ms']:.2f} ms"


def main(argv: list[str] | None = None) -> int:
    """Run the soak; exit 1 if anything was lost, doubled or refused."""
    parser = argparse.ArgumentParser(prog="python bench/soak.py", description=__doc__)
    parser.add_argument("--seconds", type=float, default=300.0, help="the peak's length (≤ 600)")
    parser.add_argument("--kiosks", type=int, default=8)
    parser.add_argument("--rate", type=float, default=1.0, help="visitors a second per kiosk")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--work", type=Path, help="keep the logs and the store in this folder")
    args = parser.parse_args(argv)
    if not 10 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be between 10 and {MAX_SECONDS}")
    if not 2 <= args.kiosks <= 8 or not 0 < args.rate <= 5:
        parser.error("--kiosks must be 2-8 and --rate at most 5 a second")
    with tempfile.TemporaryDirectory(prefix="loket-soak-") as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        figures = Soak(args.seconds, args.kiosks, args.rate, work, args.seed).run()
    print(report(figures, args.seconds))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 1 if figures["lost"] or figures["doubled"] or figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
