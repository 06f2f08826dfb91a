"""The rig of bench_hub.py: hub subprocesses, devices, plain MQTT clients, displays, profiles.

Run as a script, it is a hub whose worker thread runs under cProfile (bench_hub.py --profile):

    python bench/hub_rig.py CONFIG DB BROKER_URL STATS_OUT
"""

from __future__ import annotations

import contextlib
import cProfile
import os
import pstats
import resource
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as paho
import yaml
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from link.client import HubUnavailable, LoketClient
from link.mqtt import Broker
from queue_engine.hub.bootstrap import build_hub
from siteconfig import load_site

ROOT = Path(__file__).resolve().parents[1]
SITE_ID = "stad-voorbeeld"
KIOSKS = ["kiosk-inkom", "kiosk-verdieping"]
STAFF = [f"staff-loket-{n}" for n in range(1, 8)]
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def always_open(source: Path, target: Path) -> Path:
    """A copy of the site file that is open every day, all day, so tickets can be issued.

    The hub runs on the real clock (`loket hub` has no other), so a benchmark on a Sunday
    or at night needs this; only a run across local midnight would see the numbers reset."""
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    doc["site"]["opening_hours"] = {day: ["00:00-23:59"] for day in WEEK}
    for service in doc["services"]:
        service.pop("opening_hours", None)
        service["last_ticket_minutes"] = 0
    target.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def uncapped(config: Path) -> list[str]:
    """Walk-in services without a daily cap: the load is spread over them (7 prefixes)."""
    site = load_site(config)
    return [s.id for s in site.services.values() if s.walk_in and s.daily_cap is None]


class CpuMeter:
    """CPU time used by some processes (by name and pid) and by this one, between two points."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self._start = self._now()

    def _now(self) -> dict[str, float]:
        used = {name: _cpu_seconds(pid) for name, pid in self.pids.items()}
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return used | {"bench clients": usage.ru_utime + usage.ru_stime}

    def shares(self, wall: float) -> dict[str, float]:
        """Per process, CPU seconds since the start as % of one core over `wall` seconds."""
        return {name: 100 * (t - self._start[name]) / wall for name, t in self._now().items()}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _nodelay(client: paho.Client, userdata: Any, sock: Any) -> None:
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def plain_client(client_id: str, broker: Broker, threaded: bool = True) -> paho.Client:
    """A bare paho client (MQTT 5, TCP_NODELAY), connected, with its own loop thread."""
    client = paho.Client(
        CallbackAPIVersion.VERSION2, client_id=client_id, protocol=MQTTProtocolVersion.MQTTv5
    )
    client.on_socket_open = _nodelay
    client.connect(broker.host, broker.port)
    if threaded:
        client.loop_start()
    return client


def subscribe(client: paho.Client, *topics: str) -> None:
    """Subscribe with QoS 1 and wait for the broker's acknowledgement."""
    acked = threading.Event()
    client.on_subscribe = lambda *_: acked.set()
    client.subscribe([(topic, 1) for topic in topics])
    if not acked.wait(5):
        raise RuntimeError(f"no SUBACK for {topics}")


def close_plain(*clients: paho.Client) -> None:
    """Disconnect threaded plain clients."""
    for client in clients:
        client.disconnect()
        client.loop_stop()


@contextlib.contextmanager
def hub_process(config: Path, db: Path, broker: Broker, profile: Path | None) -> Iterator[int]:
    """A `loket hub` subprocess on a fresh store (with `profile`, this file's profiled hub)."""
    if profile is None:
        command = [sys.executable, "-m", "loket.cli", "hub", "--config", str(config)]
        command += ["--db", str(db), "--broker", broker.url]
    else:
        command = [sys.executable, __file__, str(config), str(db), broker.url, str(profile)]
    log_path = db.with_suffix(".log")
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            wait_serving(broker, proc, log_path)
            yield proc.pid
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_serving(broker: Broker, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Until the hub answers: a display's refused request proves it serves and changes nothing."""
    probe = LoketClient(SITE_ID, "display-gelijkvloers", broker)
    probe.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            with contextlib.suppress(HubUnavailable):
                probe.request("issue_ticket", service_id="afval", timeout=0.5, retries=0)
                return
        raise RuntimeError(f"the hub did not come up:\n{log.read_text(errors='replace')}")
    finally:
        probe.close()


def devices(broker: Broker, ids: list[str]) -> dict[str, LoketClient]:
    """Started, connected LoketClients, by device id."""
    clients = {device: LoketClient(SITE_ID, device, broker) for device in ids}
    for client in clients.values():
        client.start()
    for device, client in clients.items():
        if not client.wait_online(5):
            raise RuntimeError(f"{device} did not connect")
    return clients


class Displays:
    """`n` plain subscribers served by one thread, so that 50 loop threads do not fight for
    the GIL. Each message is stamped with time.perf_counter() as it is read."""

    def __init__(self, broker: Broker, n: int, topics: list[str]) -> None:
        self.arrivals: list[tuple[float, bytes]] = []
        self._target = 0
        self._all_in = threading.Event()
        self._acks = 0
        self._stop = threading.Event()
        self.clients = [self._client(f"bench-display-{i:02d}", broker, topics) for i in range(n)]
        self._thread = threading.Thread(target=self._loop, name="displays", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while self._acks < n and time.monotonic() < deadline:
            time.sleep(0.01)
        if self._acks < n:
            self.close()
            raise RuntimeError(f"only {self._acks} of {n} displays subscribed")

    def _client(self, client_id: str, broker: Broker, topics: list[str]) -> paho.Client:
        client = plain_client(client_id, broker, threaded=False)
        client.on_connect = lambda c, *_: c.subscribe([(t, 1) for t in topics])
        client.on_subscribe = self._acked
        client.on_message = self._received
        return client

    def _acked(self, *_: Any) -> None:
        self._acks += 1

    def _received(self, client: paho.Client, userdata: Any, message: paho.MQTTMessage) -> None:
        self.arrivals.append((time.perf_counter(), bytes(message.payload)))
        if len(self.arrivals) >= self._target:
            self._all_in.set()

    def _loop(self) -> None:
        selector = selectors.DefaultSelector()
        for client in self.clients:
            sock = client.socket()
            assert sock is not None
            selector.register(sock, selectors.EVENT_READ, client)
        next_misc = time.monotonic() + 1
        while not self._stop.is_set():
            for client in self.clients:
                if client.want_write():  # PUBACKs, after every display has read
                    client.loop_write()
            for key, _ in selector.select(timeout=0.02):
                key.data.loop_read()
            if time.monotonic() >= next_misc:
                for client in self.clients:
                    client.loop_misc()
                next_misc = time.monotonic() + 1
        selector.close()

    def measure(self, send: Callable[[], Any]) -> tuple[Any, list[float]]:
        """Run `send`, wait until every display has one more message: its result, the delays."""
        mark = len(self.arrivals)
        self._all_in.clear()
        self._target = mark + len(self.clients)
        start = time.perf_counter()
        result = send()
        if not self._all_in.wait(5):
            raise RuntimeError(f"only {len(self.arrivals) - mark} displays heard it")
        return result, [t - start for t, _ in self.arrivals[mark : mark + len(self.clients)]]

    def close(self) -> None:
        """Stop the loop and disconnect everyone."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        for client in self.clients:
            client.disconnect()


#: Where the hub's two threads spend their time: (thread name prefix, label, buckets); in
#: each sample the first bucket whose frame ("Class.method") is on the stack wins.
SPY_BUCKETS = [
    ("loket-hub", "worker", [
        ("waiting for commands", "Hub._take"),
        ("retained state + metrics (_publish_state)", "Hub._publish_state"),
        ("housekeeping tick", "Hub._tick"),
        ("parse + role check (_prepare, pydantic)", "Hub._prepare"),
        ("engine: handler + reply view (Engine._run)", "Engine._run"),
        ("store: write rows, events, reply (JSON)", "SqliteTransaction.write"),
        ("store: BEGIN, COMMIT + fsync", "SqliteStore.transaction"),
        ("engine: replay check, state.apply", "Engine.execute_many"),
        ("reply: pydantic JSON + paho publish", "Hub._answer"),
        ("call event", "Hub._announce"),
        ("reply message (_reply_message)", "_reply_message"),
    ]),
    ("paho-mqtt-client", "network", [
        ("hand command to the worker", "Connection._received"),
        ("read + decode incoming (paho)", "Client.loop_read"),
        ("write outgoing (paho)", "Client.loop_write"),
    ]),
]  # fmt: skip
SPY_RATE = 100


@contextlib.contextmanager
def spying(pid: int, out: Path) -> Iterator[None]:
    """py-spy records every thread of `pid`, idle or not, while the block runs."""
    binary = shutil.which("py-spy")
    if binary is None:
        raise RuntimeError("--spy needs py-spy on PATH (pip install py-spy)")
    command = [binary, "record", "-p", str(pid), "-r", str(SPY_RATE), "--idle", "--threads"]
    command += ["--nonblocking", "-f", "raw", "-o", str(out)]
    errors = out.with_suffix(".log")
    with errors.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        time.sleep(1)  # attach
        try:
            yield
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
    if not out.exists():
        raise RuntimeError(f"py-spy recorded nothing: {errors.read_text(errors='replace')}")


def spy_report(path: Path, commands: int, wall: float) -> tuple[str, dict[str, float]]:
    """Microseconds per command in each bucket of SPY_BUCKETS, and % of the thread's time.

    The worker's waiting is what is left of the load's `wall` time (the recording also
    covers idle time before and after the load)."""
    totals: dict[str, float] = {}
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        thread, *frames = stack.split(";")
        names = {frame.split(" (", 1)[0] for frame in frames}
        for prefix, label, rules in SPY_BUCKETS:
            if prefix in thread:
                name = next((b for b, f in rules if f in names), "other, or idle")
                key = f"{label}: {name}"
                totals[key] = totals.get(key, 0.0) + int(count) / SPY_RATE / commands * 1e6
    per_command = wall / commands * 1e6
    busy = sum(v for k, v in totals.items() if k.startswith("worker") and "waiting" not in k)
    totals["worker: waiting for commands"] = per_command - busy
    lines = [
        f"{us:8.0f} us {100 * us / per_command:5.1f} %  {key}"
        for key, us in sorted(
            totals.items(), key=lambda kv: (kv[0].split(":")[0] != "worker", -kv[1])
        )
    ]
    return "\n".join(lines), totals


def profile_report(path: Path, top: int) -> tuple[str, list[dict[str, Any]]]:
    """The hub worker's top costs per command, by own and by cumulative CPU time."""
    entries = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    commands = max(1, sum(v[1] for k, v in entries.items() if k[2] == "_prepare"))
    busy = sum(v[2] for v in entries.values())
    lines = [f"hub worker: {commands} commands, {busy:.2f} s CPU, "
             f"{busy / commands * 1e6:.0f} us per command (cProfile inflates this)"]  # fmt: skip
    found = []
    for index, label in ((2, "own time"), (3, "cumulative time")):
        lines.append(f"-- top {top} by {label}: us per command, share of the worker's CPU")
        ranked = sorted(entries.items(), key=lambda kv: kv[1][index], reverse=True)[:top]
        for (file, line, func), value in ranked:
            where = f"{Path(file).parent.name}/{Path(file).name}:{line} {func}"
            per = value[index] / commands * 1e6
            lines.append(f"{per:8.1f} us {100 * value[index] / busy:5.1f} %  {where}")
            found.append({"by": label, "function": where, "us_per_command": round(per, 1)})
    return "\n".join(lines), found


def serve_profiled_hub(config: str, db: str, url: str, out: str) -> int:
    """What `loket hub` does, with the worker under cProfile (CPU time of that thread)."""
    process = build_hub(config, db, Broker.parse(url))
    profiler = cProfile.Profile(time.thread_time)
    worker = process.hub._run
    process.hub._run = lambda: profiler.runcall(worker)  # type: ignore[method-assign,unused-ignore]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    process.hub.start()
    stop.wait()
    process.close()
    profiler.dump_stats(out)
    return 0


if __name__ == "__main__":
    sys.exit(serve_profiled_hub(*sys.argv[1:5]))
