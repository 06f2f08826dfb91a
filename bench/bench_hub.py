"""Hub benchmarks over a real Mosquitto: round trips, throughput and call fan-out.

    .venv/bin/python bench/bench_hub.py [--json PATH] [--spy PATH] [--profile PATH]

One run starts one Mosquitto on a free loopback port and measures, in order: the raw MQTT
request/reply round trip between two plain paho clients (the physical limit) and the rate
of 8 such clients against one echo; Loket's issue_ticket and call_next/finish round trips
against a `loket hub` subprocess; the throughput of 8 concurrent devices; and the time from
call_next to 50 displays hearing the call. Each part gets a fresh hub and store. About a
minute on 2 cores. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as paho
from bench_engine import Row, Timings, machine, raw_commit_rate, table
from hub_rig import (
    KIOSKS,
    ROOT,
    SITE_ID,
    STAFF,
    CpuMeter,
    Displays,
    always_open,
    close_plain,
    devices,
    hub_process,
    plain_client,
    profile_report,
    spy_report,
    spying,
    subscribe,
    uncapped,
)

from link.client import LoketClient
from link.mqtt import Broker
from link.protocol.replies import TicketView
from link.protocol.topics import Topics
from loket.broker import Mosquitto, mosquitto_binary

#: The 8 concurrent devices of the load test: both kiosks and six staff terminals.
LOAD_DEVICES = KIOSKS + STAFF[:6]
PAYLOAD = b"x" * 120  # about the size of an issue_ticket request
Clients = dict[str, LoketClient]


def ok(reply: Any, verb: str) -> Any:
    """The reply's typed data; raises on an error reply."""
    if not reply.ok:
        raise RuntimeError(f"{verb} refused: {reply.error}")
    return reply.data


def timed(samples: Timings, client: LoketClient, verb: str, **fields: Any) -> Any:
    """One request, its round trip recorded; the reply's data."""
    start = time.perf_counter()
    reply = client.request(verb, **fields)
    samples.samples.append(time.perf_counter() - start)
    return ok(reply, verb)


def ping(client: paho.Client, topic: str, got: threading.Event, n: int) -> list[float]:
    """`n` sequential QoS 1 publishes, each until `got` is set by the echo's answer."""
    delays = []
    for _ in range(n):
        got.clear()
        start = time.perf_counter()
        client.publish(topic, PAYLOAD, qos=1)
        if not got.wait(2):
            raise RuntimeError("the echo did not answer")
        delays.append(time.perf_counter() - start)
    return delays


def echo_client(broker: Broker) -> paho.Client:
    """A plain client that sends every bench/ping/<x> back on bench/pong/<x>."""
    echo = plain_client("bench-echo", broker)

    def answer(client: paho.Client, userdata: Any, message: paho.MQTTMessage) -> None:
        client.publish("bench/pong/" + message.topic.rsplit("/", 1)[1], message.payload, qos=1)

    echo.on_message = answer
    subscribe(echo, "bench/ping/+")
    return echo


def asker(broker: Broker, i: int) -> tuple[paho.Client, threading.Event]:
    """A plain client listening on bench/pong/<i>, and the event its answers set."""
    client = plain_client(f"bench-asker-{i}", broker)
    got = threading.Event()
    client.on_message = lambda c, u, msg: got.set()
    subscribe(client, f"bench/pong/{i}")
    return client, got


def raw_round_trip(broker: Broker, n: int) -> Timings:
    """The physical limit: `n` sequential request/replies between two plain paho clients."""
    echo = echo_client(broker)
    client, got = asker(broker, 0)
    timings = Timings(ping(client, "bench/ping/0", got, n))
    close_plain(echo, client)
    return timings


def concurrently(work: dict[str, Any], pids: dict[str, int]) -> tuple[float, dict[str, float]]:
    """Run each `work` callable in its own thread, all at once: wall time and CPU shares."""
    start = threading.Barrier(len(work) + 1)
    errors: list[BaseException] = []

    def run(action: Any) -> None:
        start.wait()
        try:
            action()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(a,), name=n) for n, a in work.items()]
    for thread in threads:
        thread.start()
    meter = CpuMeter(pids)
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if errors:
        raise errors[0]
    return wall, meter.shares(wall)


def raw_load(broker: Broker, askers: int, each: int, pids: dict[str, int]) -> tuple[Any, ...]:
    """`askers` plain clients (threads of this process) ping one echo as fast as it answers."""
    echo = echo_client(broker)
    pairs = [asker(broker, i) for i in range(askers)]
    timings = Timings()

    def ask(i: int) -> None:
        timings.samples.extend(ping(pairs[i][0], f"bench/ping/{i}", pairs[i][1], each))

    wall, cpu = concurrently({f"asker-{i}": functools.partial(ask, i) for i in range(askers)},
                             pids)  # fmt: skip
    close_plain(echo, *(client for client, _ in pairs))
    return timings, wall, cpu


def sequential_issue(kiosk: LoketClient, services: Iterator[str], n: int) -> Timings:
    """`n` issue_ticket requests, one after another, into a queue that grows to `n`."""
    timings = Timings()
    for _ in range(n):
        timed(timings, kiosk, "issue_ticket", service_id=next(services))
    return timings


def fill_and_open(clients: Clients, services: Iterator[str], waiting: int) -> None:
    """Issue `waiting` tickets and open every counter."""
    for _ in range(waiting):
        ok(clients[KIOSKS[0]].request("issue_ticket", service_id=next(services)), "issue_ticket")
    for device in STAFF:
        ok(clients[device].request("counter_status", status="open"), "counter_status")


def top_up(clients: Clients, ticket: TicketView) -> None:
    """A new ticket of the service of one just called: the queue keeps its length and mix."""
    ok(clients[KIOSKS[1]].request("issue_ticket", service_id=ticket.service_id), "issue")


def call_and_finish(clients: Clients, n: int) -> tuple[Timings, Timings]:
    """`n` rounds of call_next + finish, round the counters (each followed by a top-up)."""
    calls, finishes = Timings(), Timings()
    for staff in itertools.islice(itertools.cycle(STAFF), n):
        ticket = timed(calls, clients[staff], "call_next").ticket
        if ticket is not None:
            timed(finishes, clients[staff], "finish")
            top_up(clients, ticket)
    return calls, finishes


def load(clients: Clients, services: list[str], each: int, pids: dict[str, int]) -> tuple[Any, ...]:
    """The 8 devices each issue `each` tickets as fast as the replies come back."""
    timings = Timings()

    def device(name: str, offset: int) -> None:
        mine = itertools.islice(itertools.cycle(services), offset, None)
        local = Timings()
        for _ in range(each):
            timed(local, clients[name], "issue_ticket", service_id=next(mine))
        timings.samples.extend(local.samples)

    work = {name: functools.partial(device, name, i) for i, name in enumerate(LOAD_DEVICES)}
    wall, cpu = concurrently(work, pids)
    return timings, wall, cpu


def fan_out(broker: Broker, clients: Clients, n_displays: int, calls: int) -> dict[str, Timings]:
    """A plain publish to the displays, then call_next → displays, `calls` times each.

    Every display's delay, and per call the first and the last display's."""
    displays = Displays(broker, n_displays, ["bench/fanout", Topics(SITE_ID).called])
    sender = plain_client("bench-sender", broker)
    found = {k: Timings() for k in ("raw", "raw first", "raw last", "call", "first", "last")}
    try:
        for _ in range(calls):
            _, delays = displays.measure(lambda: sender.publish("bench/fanout", PAYLOAD, 1))
            found["raw"].samples += delays
            found["raw first"].samples.append(min(delays))
            found["raw last"].samples.append(max(delays))
        for staff in itertools.islice(itertools.cycle(STAFF), calls):
            reply, delays = displays.measure(functools.partial(clients[staff].request, "call_next"))
            ok(reply, "call_next")
            found["call"].samples += delays
            found["first"].samples.append(min(delays))
            found["last"].samples.append(max(delays))
            ok(clients[staff].request("finish"), "finish")
            top_up(clients, json.loads(displays.arrivals[-1][1])["call"])
    finally:
        close_plain(sender)
        displays.close()
    return found


def measure(args: argparse.Namespace, folder: Path, mosquitto: Mosquitto) -> dict[str, Any]:
    """Every part against one broker; a fresh hub and store for each part."""
    broker = mosquitto.broker
    assert mosquitto._proc is not None
    pids = {"mosquitto": mosquitto._proc.pid}  # read only: Mosquitto keeps its process private
    each = args.load // len(LOAD_DEVICES)
    found: dict[str, Any] = {"raw": raw_round_trip(broker, args.raw)}
    found["raw load"] = raw_load(broker, len(LOAD_DEVICES), each, pids)
    found["commit"] = raw_commit_rate(folder, 1.0)
    config = always_open(args.config, folder / "site.yaml")
    services = uncapped(config)
    clients = devices(broker, KIOSKS + STAFF)
    try:
        with hub_process(config, folder / "issue.db", broker, None):
            kiosk = clients[KIOSKS[0]]
            found["issue"] = sequential_issue(kiosk, itertools.cycle(services), args.issue)
        with hub_process(config, folder / "calls.db", broker, None):
            fill_and_open(clients, itertools.cycle(services), args.waiting)
            found["calls"] = call_and_finish(clients, args.calls)
            found["fan out"] = fan_out(broker, clients, args.displays, args.display_calls)
        with hub_process(config, folder / "load.db", broker, None) as pid:
            found["load"] = load(clients, services, each, pids | {"hub": pid})
        if args.spy is not None:
            with hub_process(config, folder / "spy.db", broker, None) as pid, spying(pid, args.spy):
                found["spied load"] = load(clients, services, each, pids | {"hub": pid})
        if args.profile is not None:
            with hub_process(config, folder / "profile.db", broker, args.profile) as pid:
                found["profiled load"] = load(clients, services, each // 4, {"hub": pid})
    finally:
        for client in clients.values():
            client.close()
    return found


def verdict(met: bool) -> str:
    """A target's outcome, for the note column."""
    return "met" if met else "NOT met"


def rows_of(args: argparse.Namespace, found: dict[str, Any]) -> list[Row]:
    """The table."""
    raw, issue, fan, commit = found["raw"], found["issue"], found["fan out"], found["commit"]
    raw_loaded, raw_wall, raw_cpu = found["raw load"]
    calls, finishes = found["calls"]
    loaded, wall, cpu = found["load"]
    rate, raw_rate = len(loaded.samples) / wall, len(raw_loaded.samples) / raw_wall
    base, n, d = raw.ms(50), len(LOAD_DEVICES), args.displays
    return [
        Row("raw MQTT round trip p50", base, "ms", f"{len(raw.samples)} sequential, QoS 1"),
        Row("raw MQTT round trip p99", raw.ms(99), "ms", "the physical limit"),
        Row(f"raw echo rate, {n} clients", raw_rate, "msg/s",
            f"p50 {raw_loaded.ms(50):.2f} ms; CPU {shares(raw_cpu)}"),
        Row("raw SQLite commit p50", commit.ms(50), "ms",
            f"WAL, synchronous=FULL: {commit.rate:.0f} commits/s"),
        Row("issue_ticket round trip p50", issue.ms(50), "ms", f"{args.issue} sequential"),
        Row("issue_ticket round trip p99", issue.ms(99), "ms", f"queue grows to {args.issue}"),
        Row("issue_ticket p50, first 200", issue.ms(50, slice(None, 200)), "ms", "short queue"),
        Row("issue_ticket p50, last 200", issue.ms(50, slice(-200, None)), "ms", "long queue"),
        Row("call_next round trip p50", calls.ms(50), "ms", f"~{args.waiting} waiting"),
        Row("call_next round trip p99", calls.ms(99), "ms",
            f"{len(calls.samples)} calls, {len(finishes.samples)} finished"),
        Row("finish round trip p50", finishes.ms(50), "ms"),
        Row("finish round trip p99", finishes.ms(99), "ms"),
        Row(f"issue_ticket throughput, {n} clients", rate, "tickets/s",
            f"{len(loaded.samples)} tickets in {wall:.1f} s"),
        Row("issue_ticket p50 under load", loaded.ms(50), "ms"),
        Row("issue_ticket p99 under load", loaded.ms(99), "ms", f"CPU {shares(cpu)}"),
        Row(f"raw fan-out to {d} displays p50", fan["raw"].ms(50), "ms",
            f"{args.display_calls} plain publishes"),
        Row(f"raw fan-out to {d} displays p99", fan["raw"].ms(99), "ms"),
        Row("raw fan-out, first display p50", fan["raw first"].ms(50), "ms", "per publish"),
        Row("raw fan-out, last display p50", fan["raw last"].ms(50), "ms", "per publish"),
        Row(f"call -> {d} displays p50", fan["call"].ms(50), "ms",
            f"{args.display_calls} calls, ~{args.waiting} waiting"),
        Row(f"call -> {d} displays p99", fan["call"].ms(99), "ms"),
        Row(f"call -> {d} displays max", max(fan["call"].samples) * 1000, "ms"),
        Row("call -> first display p50", fan["first"].ms(50), "ms", "per call"),
        Row("call -> last display p50", fan["last"].ms(50), "ms", "per call"),
        Row("call -> last display p99", fan["last"].ms(99), "ms", "per call"),
        Row("issue_ticket p50 / raw p50", issue.ms(50) / base, "ratio",
            f"target <= 3: {verdict(issue.ms(50) <= 3 * base)}"),
        Row("issue_ticket p99 / raw p99", issue.ms(99) / raw.ms(99), "ratio"),
        Row("issue_ticket p50 / (raw + commit p50)", issue.ms(50) / (base + commit.ms(50)),
            "ratio", "MQTT and disk limits together"),
        Row("call_next p50 / raw p50", calls.ms(50) / base, "ratio"),
        Row("finish p50 / raw p50", finishes.ms(50) / base, "ratio"),
        Row("p50 under load / raw p50", loaded.ms(50) / base, "ratio"),
        Row("throughput / raw echo rate", rate / raw_rate, "ratio",
            f"target >= 1500 tickets/s: {verdict(rate >= 1500)}"),
        Row(f"call -> {d} displays p50 / raw p50", fan["call"].ms(50) / base, "ratio"),
        Row(f"call -> {d} displays p99 / raw p99", fan["call"].ms(99) / raw.ms(99), "ratio",
            f"target p99 < 20 ms: {verdict(fan['call'].ms(99) < 20)}"),
        Row("call -> displays p50 / raw fan-out p50", fan["call"].ms(50) / fan["raw"].ms(50),
            "ratio"),
    ]  # fmt: skip


def shares(cpu: dict[str, float]) -> str:
    """CPU use per process, in % of one core."""
    return ", ".join(f"{name} {share:.0f} %" for name, share in cpu.items())


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config" / "townhall.yaml")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also save the results here")
    parser.add_argument("--raw", type=int, default=2000, help="raw round trips (2000)")
    parser.add_argument("--issue", type=int, default=1000, help="sequential issue_ticket (1000)")
    parser.add_argument("--waiting", type=int, default=300, help="queue kept for call_next (300)")
    parser.add_argument("--calls", type=int, default=500, help="call_next + finish rounds (500)")
    parser.add_argument("--load", type=int, default=4000, help="tickets by 8 clients (4000)")
    parser.add_argument("--displays", type=int, default=50, help="subscribed displays (50)")
    parser.add_argument("--display-calls", type=int, default=200, help="calls to them (200)")
    parser.add_argument("--profile", type=Path, metavar="PATH",
                        help="also run a quarter of the load against a hub whose worker runs "
                        "under cProfile; save the stats here, print the top costs")  # fmt: skip
    parser.add_argument(
        "--spy",
        type=Path,
        metavar="PATH",
        help="also run the load against a hub recorded by py-spy (on PATH); "
        "save the raw stacks here, print the time per command by activity",
    )
    parser.add_argument("--dir", type=Path, help="folder for the stores (default: a temp one)")
    return parser.parse_args(argv)


def mosquitto_version(binary: str) -> str:
    """Mosquitto's version, from its help text."""
    done = subprocess.run([binary, "-h"], capture_output=True, text=True, check=False)
    first = (done.stdout or done.stderr or "unknown").splitlines()[0]
    return first.rsplit(" ", 1)[-1]


def extras(args: argparse.Namespace, found: dict[str, Any]) -> dict[str, Any]:
    """Print the py-spy and cProfile reports, if asked for; their figures for the JSON."""
    out: dict[str, Any] = {}
    if args.spy is not None:
        loaded, wall, cpu = found["spied load"]
        text, buckets = spy_report(args.spy, len(loaded.samples), wall)
        print(f"\nhub under py-spy: {len(loaded.samples) / wall:.0f} tickets/s, CPU {shares(cpu)}")
        print(f"time per command, by thread and activity (wall time, idle included):\n{text}")
        out["spy"] = {k: round(v) for k, v in buckets.items()}
    if args.profile is not None:
        loaded, wall, cpu = found["profiled load"]
        text, top = profile_report(args.profile, 15)
        rate = len(loaded.samples) / wall
        print(f"\nhub under cProfile: {rate:.0f} tickets/s, CPU {shares(cpu)}\n{text}")
        out["profile"] = top
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the table, save JSON if asked."""
    args = parse(argv)
    binary = mosquitto_binary()
    if binary is None:
        print("bench_hub: needs Mosquitto (sudo apt-get install mosquitto)", file=sys.stderr)
        return 2
    facts = machine() | {"mosquitto": mosquitto_version(binary)}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="loket-bench-hub-", dir=args.dir) as folder:
        mosquitto = Mosquitto().start()
        try:
            found = measure(args, Path(folder), mosquitto)
        finally:
            mosquitto.close()
    facts["total_s"] = round(time.perf_counter() - started, 1)
    rows = rows_of(args, found)
    print(" ".join(f"{k}={v}" for k, v in facts.items()))
    print(table(rows))
    payload: dict[str, Any] = {"machine": facts, "figures": [r.__dict__ for r in rows]}
    payload |= extras(args, found)
    if args.json is not None:
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
