"""A site's whole fleet on one machine: Mosquitto, `loket hub`, headless devices, faults.

Used by the end-to-end day test and by `bench/soak.py`. Everything listens on
127.0.0.1; every process is started here and ended here, by its own handle.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from loket.broker import Mosquitto

ROOT = Path(__file__).resolve().parents[2]
ACTIVE = ("waiting", "called", "serving", "held")
#: A transfer goes from the key's service to the value's; the values never transfer again.
TRANSFERS = {"eid": "rijbewijs", "snelbalie": "afval", "adreswijziging": "bewonerskaart"}
WALK_IN = ("snelbalie", "eid", "paspoort", "adreswijziging", "afval", "bewonerskaart")
BOOKED = ("eid", "paspoort", "rijbewijs", "kinderopvang", "geboorte")


def child_env() -> dict[str, str]:
    """The environment of every child process: this one's, Kivy kept quiet and off stderr
    (`loket` imports Kivy through its app commands), and this checkout on the path."""
    return {
        "KIVY_NO_ARGS": "1",
        "KIVY_LOG_MODE": "PYTHON",
        "KIVY_NO_CONSOLELOG": "1",
        **os.environ,
        "PYTHONPATH": str(ROOT),
    }


def loket_command() -> list[str]:
    """How to run the `loket` command of this environment."""
    script = Path(sys.executable).with_name("loket")
    return [str(script)] if script.exists() else [sys.executable, "-m", "loket.cli"]


def open_all_day(source: Path, target: Path, extra_kiosks: int = 0) -> Path:
    """The site file open every day 00:00-23:59 with no caps, plus `extra_kiosks` kiosks."""
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    doc["site"]["opening_hours"] = {day: ["00:00-23:59"] for day in days}
    for service in doc["services"]:
        for key in ("opening_hours", "last_ticket_minutes", "daily_cap"):
            service.pop(key, None)
    for n in range(1, extra_kiosks + 1):
        doc["devices"].append({"id": f"kiosk-soak-{n}", "role": "kiosk", "name": f"Soak {n}"})
    target.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@dataclass
class Plan:
    """Who comes to which kiosk when (real seconds after t0), and the booked appointments."""

    visitors: dict[str, list[dict[str, Any]]]
    appointments_csv: str

    @property
    def count(self) -> int:
        """How many visitors in all."""
        return sum(len(v) for v in self.visitors.values())


def plan_morning(
    kiosks: list[str],
    visitors: int,
    seconds: float,
    seed: int,
    booked_share: float = 0.25,
    *,
    flat: bool = False,
) -> Plan:
    """A compressed morning: arrivals spread over `seconds` with a peak in the middle (or
    evenly, `flat`), a share of them checking in for an appointment booked at this minute."""
    rng = random.Random(seed)
    start = datetime.now().astimezone()
    local = start.astimezone(_site_zone()).strftime("%Y-%m-%d %H:%M")
    rows = ["booking_code,start,services,duration_minutes,language,initials,id,status"]
    plan: dict[str, list[dict[str, Any]]] = {k: [] for k in kiosks}

    def draw() -> float:
        if flat:
            return rng.uniform(0, seconds)
        return rng.triangular(0, seconds, seconds * 0.45)

    times = sorted(draw() for _ in range(visitors))
    for vid, at in enumerate(times):
        language = rng.choice(("nl", "nl", "nl", "fr", "en", "de"))
        visitor: dict[str, Any] = {"id": vid, "at": round(at, 3), "language": language}
        if rng.random() < booked_share:
            code = f"E2E{seed % 1000:03d}X{vid:04d}"
            service = rng.choice(BOOKED)
            rows.append(f"{code},{local},{service},10,{language},,e2e-{seed}-{vid},booked")
            visitor["booking_code"] = code
        else:
            visitor["service_id"] = rng.choice(WALK_IN)
        plan[rng.choice(kiosks)].append(visitor)
    return Plan(plan, "\n".join(rows) + "\n")


def _site_zone() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Brussels")


@dataclass
class Fleet:
    """The processes of one run and where their records go."""

    config: Path
    work: Path
    seed: int = 1
    broker: Mosquitto = field(default_factory=Mosquitto)
    hubs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    devices: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    specs: dict[str, dict[str, Any]] = field(default_factory=dict)
    t0: float = 0.0

    @property
    def db(self) -> Path:
        """The site's SQLite file."""
        return self.work / "site.db"

    @property
    def stop_file(self) -> Path:
        """Its appearance tells the staff and displays to finish."""
        return self.work / "stop"

    # --- processes ------------------------------------------------------------------

    def start_broker(self) -> None:
        """Mosquitto on a free loopback port."""
        self.broker.start()

    def import_appointments(self, csv_text: str) -> None:
        """The booked appointments, into the store before the hub starts."""
        path = self.work / "appointments.csv"
        path.write_text(csv_text, encoding="utf-8")
        args = ["appointments", "import", str(path), "--site", str(self.config), "--db"]
        subprocess.run(
            [*loket_command(), *args, str(self.db)],
            check=True, capture_output=True, timeout=60, env=child_env(),
        )  # fmt: skip

    def start_hub(self) -> subprocess.Popen[bytes]:
        """`loket hub` on the site's file, its log appended to hub.log."""
        with (self.work / "hub.log").open("ab") as out:
            proc = subprocess.Popen(
                [*loket_command(), "hub", "--config", str(self.config), "--db", str(self.db),
                 "--broker", self.broker.broker.url, "--tick", "1"],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=child_env(),
            )  # fmt: skip
        self.hubs.append(proc)
        return proc

    def kill_hub(self) -> None:
        """SIGKILL the running hub: no goodbye, no flush."""
        proc = self.hubs[-1]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def start_device(self, role: str, device: str, **spec: Any) -> None:
        """One headless device process (again, with the same spec, if it ran before)."""
        if device not in self.specs:
            self.specs[device] = {
                "role": role, "device": device, "site": "stad-voorbeeld",
                "broker": self.broker.broker.url, "t0": self.t0, "config": str(self.config),
                "out": str(self.work / f"{device}.jsonl"), "stop": str(self.stop_file), **spec,
            }  # fmt: skip
        path = self.work / f"{device}.json"
        path.write_text(json.dumps(self.specs[device]), encoding="utf-8")
        with (self.work / f"{device}.log").open("ab") as out:
            self.devices[device] = subprocess.Popen(
                [sys.executable, "-m", "loket.demo.fleet", str(path)],
                cwd=ROOT, env=child_env(),
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def kill_device(self, device: str) -> None:
        """SIGKILL one device process (a client dropping off without a goodbye)."""
        proc = self.devices[device]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def wait_devices(self, role: str, timeout: float) -> None:
        """Wait for every device of `role` to end; fail (with its log) if one failed."""
        deadline = time.monotonic() + timeout
        for name, proc in self.devices.items():
            if self.specs[name]["role"] != role:
                continue
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise AssertionError(f"{name} did not finish:\n{self.tail(name)}") from None
            if proc.returncode != 0:
                raise AssertionError(f"{name} exited with {proc.returncode}:\n{self.tail(name)}")

    def active_tickets(self) -> int:
        """Tickets still in a queue or at a counter, as the store has them."""
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5) as db:
            marks = ",".join("?" * len(ACTIVE))
            row = db.execute(f"SELECT count(*) FROM tickets WHERE status IN ({marks})", ACTIVE)
            count: int = row.fetchone()[0]
        db.close()
        return count

    def drain(self, timeout: float) -> None:
        """Once no ticket is active any more, tell staff and displays to finish."""
        deadline = time.monotonic() + timeout
        while self.active_tickets():
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.active_tickets()} tickets still active")
            time.sleep(0.2)
        self.stop_file.touch()

    def hub_rss_kib(self) -> int | None:
        """The running hub's resident memory (KiB), from /proc."""
        try:
            text = Path(f"/proc/{self.hubs[-1].pid}/status").read_text(encoding="utf-8")
        except (OSError, IndexError):
            return None
        return next(
            (int(line.split()[1]) for line in text.splitlines() if line[:6] == "VmRSS:"), None
        )

    def records(self, device: str) -> list[dict[str, Any]]:
        """What one device recorded."""
        path = self.work / f"{device}.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        records = []
        for line in lines:
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # cut short by a SIGKILL
        return records

    def tail(self, name: str, lines: int = 15) -> str:
        """The end of a process's log (`hub` for the hub's)."""
        path = self.work / f"{name}.log"
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def close(self) -> None:
        """End every process started here (each by its own handle) and the broker."""
        for proc in [*self.devices.values(), *self.hubs]:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        self.broker.close()


def tally(fleet: Fleet) -> dict[str, Any]:
    """What the devices recorded, gathered: acknowledgements, actions, calls heard."""
    acks: list[dict[str, Any]] = []
    did: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    heard: dict[str, Counter[tuple[int, str]]] = {}
    latency: list[dict[str, Any]] = []
    for name, spec in fleet.specs.items():
        for record in fleet.records(name):
            kind = record["kind"]
            if kind == "ack":
                acks.append(record)
            elif kind == "did":
                did[record["verb"]] += 1
            elif kind in ("error", "refused"):
                errors.append({"device": name, **record})
            elif kind == "call":
                seen = heard.setdefault(name, Counter())
                seen[(record["ticket_id"], record["at"])] += record["via"] == "event"
            elif kind == "latency":
                latency.append(record)
        if spec["role"] == "display":
            heard.setdefault(name, Counter())
    return {"acks": acks, "did": did, "errors": errors, "heard": heard, "latency": latency}


def store_facts(db: Path) -> dict[str, Any]:
    """The tickets table, and the calls in the event log, read-only."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tickets = {
            tid: (day, number, status)
            for tid, day, number, status in conn.execute(
                "SELECT id, day, number, status FROM tickets"
            )
        }
    conn.close()
    return {"tickets": tickets}
