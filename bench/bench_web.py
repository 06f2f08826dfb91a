"""Live ticket page benchmark: page weight, time to first render, open pages per hub.

    .venv/bin/python bench/bench_web.py [--steps 0,50,200,500,1000] [--json PATH]

One run starts a Mosquitto on a free loopback port and `loket hub --web-port N` (the hub
with its live-page process as a child, as deployed) on an always-open copy of the town
hall, then measures: the bytes of a page and of its updates; the time to first render in
headless Chromium (Debian's chromium + chromium-driver), on this machine and throttled
like an old phone on a slow mobile network; and, with 0, 50, 200, 500 and 1,000 pages
open (plain sockets reading server-sent events, one per waiting ticket), the issue_ticket
round trip, the time from call_next to the called ticket's page hearing it, the time until
every page whose place changed has heard it, and the CPU of the hub and the page's process.
See bench/README.md ("Live ticket page") for the reading.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import json
import resource
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench_engine import Row, Timings, machine, table
from hub_rig import ROOT, SITE_ID, CpuMeter, always_open, uncapped, wait_serving

from link.client import LoketClient
from link.mqtt import Broker
from link.protocol.replies import TicketView
from loket.broker import Mosquitto, free_port, mosquitto_binary
from siteconfig import load_site

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
#: An old phone: Chromium's CPU throttled 6 times (DevTools' "low-end mobile" is 6).
OLD_PHONE_CPU = 6


# --- the hub with its page process ------------------------------------------------------


@contextlib.contextmanager
def hub_with_web(config: Path, db: Path, broker: Broker, port: int) -> Iterator[dict[str, int]]:
    """`loket hub --web-port` as a subprocess; yields the pids of the hub and its page."""
    command = [sys.executable, "-m", "loket.cli", "hub", "--config", str(config), "--db"]
    command += [str(db), "--broker", broker.url, "--web-port", str(port), "--allow-delay"]
    log_path = db.with_suffix(".log")
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            wait_serving(broker, proc, log_path)
            wait_healthy(port, log_path)
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
            yield {"hub": proc.pid, "web": int(children[0])}
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_healthy(port: int, log: Path) -> None:
    """Until the page's /healthz says its data is live."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        url = f"http://127.0.0.1:{port}/healthz"
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as r:
            if r.status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"the live page did not come up:\n{log.read_text(errors='replace')}")


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Tickets:
    """Walk-in tickets issued round the services without a cap; those watched by a page."""

    def __init__(self, kiosk: LoketClient, services: list[str]) -> None:
        self.kiosk = kiosk
        self.services = itertools.cycle(services)
        self.tokens: list[str] = []
        self.watched: list[TicketView] = []

    def issue(self, samples: Timings | None = None) -> TicketView:
        start = time.perf_counter()
        reply = self.kiosk.request("issue_ticket", service_id=next(self.services))
        if samples is not None:
            samples.samples.append(time.perf_counter() - start)
        if not reply.ok:
            raise RuntimeError(f"issue_ticket refused: {reply.error}")
        ticket: TicketView = reply.result.ticket
        return ticket

    def add(self, n: int) -> None:
        """Issue `n` tickets to watch."""
        for _ in range(n):
            ticket = self.issue()
            self.watched.append(ticket)
            self.tokens.append(ticket.token)


# --- page weight and first render ---------------------------------------------------------


def weigh(port: int, token: str) -> dict[str, int]:
    """Bytes of the page (as sent, and gzipped as a proxy would), and of its first update."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/t/{token}?lang=nl", timeout=5) as r:
        body = r.read()
        head = sum(len(k) + len(v) + 4 for k, v in r.headers.items()) + 17
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/t/{token}/state?lang=nl") as r:
        update = r.read()
    return {
        "page": len(body),
        "headers": head,
        "gzip": len(gzip.compress(body)),
        "update": len(update),
        "update_gzip": len(gzip.compress(update)),
    }


def first_render(port: int, token: str, runs: int, throttle: bool) -> dict[str, Timings]:
    """Navigation timings of `runs` fresh loads in headless Chromium (Performance API)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="loket-bench-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-sync",
                 "--disable-component-update", "--window-size=412,915",
                 f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    found = {k: Timings() for k in ("ttfb", "fcp", "dom", "load")}
    try:
        if throttle:  # (DevTools' network throttling does not apply to loopback)
            driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": OLD_PHONE_CPU})
        for i in range(runs + 1):
            driver.get("about:blank")
            driver.get(f"http://127.0.0.1:{port}/t/{token}?lang={'nlfrende'[i % 4 * 2 :][:2]}")
            time.sleep(0.05)  # let the load event finish
            t = driver.execute_script(
                "var n = performance.getEntriesByType('navigation')[0];"
                "var p = performance.getEntriesByName('first-contentful-paint')[0];"
                "return [n.responseStart, p ? p.startTime : 0, n.domContentLoadedEventEnd,"
                " n.loadEventEnd];"
            )
            if i == 0:
                continue  # the first load warms Chromium up
            for key, value in zip(("ttfb", "fcp", "dom", "load"), t, strict=True):
                found[key].samples.append(value / 1000)
    finally:
        driver.quit()
    return found


# --- open pages -----------------------------------------------------------------------------


class Pages:
    """Open pages as plain sockets reading server-sent events; one thread reads them all and
    stamps each event with time.perf_counter() as it arrives."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.socks: list[socket.socket] = []
        self.events: list[list[tuple[float, bool]]] = []
        self.closed: set[int] = set()
        self._buffers: list[bytes] = []
        self._lock = threading.Lock()
        self._selector = selectors.DefaultSelector()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="pages", daemon=True)
        self._thread.start()

    def open(self, token: str) -> int:
        """Open the page of `token` (its event stream); its index."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.sendall(f"GET /t/{token}/events?lang=nl HTTP/1.1\r\nHost: b\r\n\r\n".encode())
        sock.setblocking(False)
        with self._lock:
            index = len(self.socks)
            self.socks.append(sock)
            self.events.append([])
            self._buffers.append(b"")
            self._selector.register(sock, selectors.EVENT_READ, index)
        return index

    @property
    def open_count(self) -> int:
        return len(self.socks) - len(self.closed)

    def _loop(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                ready = self._selector.select(timeout=0) if self.socks else []
            if not ready:
                time.sleep(0.002)
                continue
            now = time.perf_counter()
            for key, _ in ready:
                self._read(key.data, now)

    def _read(self, index: int, now: float) -> None:
        try:
            chunk = self.socks[index].recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            with self._lock:
                self._selector.unregister(self.socks[index])
            self.closed.add(index)
            return
        buffer = self._buffers[index] + chunk
        *blocks, self._buffers[index] = buffer.split(b"\n\n")
        for block in blocks:
            if b"data: " in block:
                self.events[index].append((now, b"card called" in block))

    def heard(self, index: int) -> int:
        return len(self.events[index])

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for sock in self.socks:
            sock.close()
        self._selector.close()


def wait_until(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not within {timeout} s")
        time.sleep(0.01)


def step(n: int, pages: Pages, tickets: Tickets, staff: dict[str, LoketClient],
         pids: dict[str, int], args: argparse.Namespace) -> dict[str, Any]:  # fmt: skip
    """Open pages up to `n`, then time issue_ticket and calls with them open."""
    missing = n - pages.open_count
    if missing > 0:
        first = len(tickets.tokens)
        tickets.add(missing)
        opened = [pages.open(token) for token in tickets.tokens[first:]]
        wait_until(lambda: all(pages.heard(i) for i in opened), 60, f"{n} pages open")
    time.sleep(1)
    issue = Timings()
    meter = CpuMeter(pids)
    began = time.perf_counter()
    for _ in range(args.issue):
        tickets.issue(issue)
    cpu = meter.shares(time.perf_counter() - began)
    called, fanout = Timings(), Timings()
    waiting = [i for i in range(len(pages.socks)) if i not in pages.closed]
    for index in waiting[: args.calls] if n else []:  # the front: everyone behind moves
        ticket = tickets.watched[index]
        terminal = staff[ticket.service_id]
        before = [pages.heard(p) for p in range(len(pages.socks))]
        start = time.perf_counter()
        reply = terminal.request("call_ticket", number=ticket.number)
        if not reply.ok:
            raise RuntimeError(f"call_ticket refused: {reply.error}")
        wait_until(lambda: any(c for _, c in pages.events[index]), 5, "the called page")  # noqa: B023
        called.samples.append(next(t for t, c in pages.events[index] if c) - start)
        time.sleep(args.settle)
        late = [pages.events[p][-1][0] for p in range(len(before))
                if pages.heard(p) > before[p]]  # fmt: skip
        if late:
            fanout.samples.append(max(late) - start)
        for verb in ("start", "finish"):
            terminal.request(verb)
    with urllib.request.urlopen(f"http://127.0.0.1:{pages.port}/healthz", timeout=5) as r:
        health = json.loads(r.read())
    return {"open": n, "issue": issue, "called": called, "fanout": fanout, "cpu": cpu,
            "web_rss_mb": rss_mb(pids["web"]), "refresh_ms": health["last_refresh_ms"]}  # fmt: skip


# --- the run --------------------------------------------------------------------------------


def measure(args: argparse.Namespace, folder: Path, broker: Broker) -> dict[str, Any]:
    config = always_open(args.config, folder / "site.yaml")
    port = free_port("127.0.0.1")
    found: dict[str, Any] = {"steps": []}
    with hub_with_web(config, folder / "site.db", broker, port) as pids:
        kiosk = LoketClient(SITE_ID, "kiosk-inkom", broker)
        site = load_site(config)
        services = uncapped(config)
        counter_of = {
            sid: next(c.id for c in site.counters.values() if c.serves(sid)) for sid in services
        }
        terminals = {
            cid: LoketClient(SITE_ID, f"staff-{cid}", broker) for cid in counter_of.values()
        }
        staff = {sid: terminals[cid] for sid, cid in counter_of.items()}
        for client in (kiosk, *terminals.values()):
            client.start()
            client.wait_online(5)
        for terminal in terminals.values():
            terminal.request("counter_status", status="open")
        tickets = Tickets(kiosk, services)
        sample = tickets.issue()
        found["weight"] = weigh(port, sample.token)
        found["render"] = first_render(port, sample.token, args.renders, throttle=False)
        found["render_old_phone"] = first_render(port, sample.token, args.renders, True)
        pages = Pages(port)
        try:
            for n in args.steps:
                print(f"  {n} open pages …", file=sys.stderr)
                found["steps"].append(step(n, pages, tickets, staff, pids, args))
        finally:
            pages.close()
            for client in (kiosk, *terminals.values()):
                client.close()
    return found


def rows_of(found: dict[str, Any]) -> list[Row]:
    w = found["weight"]
    rows = [
        Row(
            "page (HTML, inline CSS and JS)", w["page"] / 1000, "kB", f"+ {w['headers']} B headers"
        ),
        Row("page gzipped (as nginx sends it)", w["gzip"] / 1000, "kB", ""),
        Row("one update (event / JSON)", w["update"] / 1000, "kB", f"gzip {w['update_gzip']} B"),
    ]
    for key, label in (("render", "this machine"), ("render_old_phone", "old phone")):
        r = found[key]
        rows += [
            Row(f"first contentful paint p50, {label}", r["fcp"].ms(50), "ms",
                f"p90 {r['fcp'].ms(90):.0f} ms"),
            Row(f"response start p50, {label}", r["ttfb"].ms(50), "ms", ""),
            Row(f"DOM ready p50, {label}", r["dom"].ms(50), "ms", ""),
        ]  # fmt: skip
    base = found["steps"][0]["issue"].ms(50) if found["steps"] else 0.0
    for s in found["steps"]:
        n, issue = s["open"], s["issue"]
        rows += [
            Row(f"{n} pages: issue_ticket p50", issue.ms(50), "ms",
                f"p99 {issue.ms(99):.1f} ms; {issue.ms(50) / base:.2f} x unloaded"),
            Row(f"{n} pages: call → its page p50", s["called"].ms(50), "ms",
                f"max {max(s['called'].samples, default=0) * 1000:.0f} ms"),
            Row(f"{n} pages: call → all moved pages p50", s["fanout"].ms(50), "ms",
                f"max {max(s['fanout'].samples, default=0) * 1000:.0f} ms"
                + (f"; one refresh of all pages {s['refresh_ms']:.0f} ms" if n else "")),
            Row(f"{n} pages: CPU hub / web", s["cpu"]["hub"], "%",
                f"web {s['cpu']['web']:.1f} %; web RSS {s['web_rss_mb']:.0f} MB"),
        ]  # fmt: skip
    return rows


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config" / "townhall.yaml")
    parser.add_argument("--steps", type=lambda s: [int(x) for x in s.split(",")],
                        default=[0, 50, 200, 500, 1000], help="open pages per step")  # fmt: skip
    parser.add_argument("--issue", type=int, default=200, help="issue_ticket per step (200)")
    parser.add_argument("--calls", type=int, default=12, help="call_next per step (12)")
    parser.add_argument("--settle", type=float, default=0.6, help="s to wait after a call")
    parser.add_argument("--renders", type=int, default=20, help="page loads per timing (20)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also save the results here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if mosquitto_binary() is None or not Path(CHROMIUM).exists():
        print("bench_web: needs mosquitto, chromium and chromium-driver", file=sys.stderr)
        return 2
    if max(args.steps) > 1000:
        print("bench_web: at most 1,000 open pages (the numbering wraps at 999)", file=sys.stderr)
        return 2
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="loket-bench-web-") as folder:
        mosquitto = Mosquitto().start()
        try:
            found = measure(args, Path(folder), mosquitto.broker)
        finally:
            mosquitto.close()
    facts = machine() | {"total_s": round(time.perf_counter() - started, 1)}
    rows = rows_of(found)
    print(" ".join(f"{k}={v}" for k, v in facts.items()))
    print(table(rows))
    if args.json is not None:
        payload = {"machine": facts, "figures": [r.__dict__ for r in rows]}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
