"""Importing booked appointments from CSV and iCalendar files, and `loket appointments import`."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

import loket.cli
from queue_engine.adapters.sqlite_store import SqliteStore
from queue_engine.domain import commands as c
from queue_engine.domain.model import Appointment, AppointmentStatus, Site
from queue_engine.importing import (
    ImportFileError,
    ImportResult,
    import_file,
    parse_csv,
    parse_file,
    parse_ics,
    send_appointments,
)
from queue_engine.service.engine import Engine
from siteconfig import load_site
from tests.sites import Desk, local, make_site

ROOT = Path(__file__).resolve().parents[1]
TOWNHALL = ROOT / "config" / "townhall.yaml"
EXAMPLE_CSV = ROOT / "config" / "appointments-example.csv"
EXAMPLE_ICS = ROOT / "config" / "appointments-example.ics"
BAD_CSV = ROOT / "tests" / "data" / "appointments-bad.csv"
HEADER = "booking_code,start,services,duration_minutes,language,initials,id,status"
AT = "AB12,2026-12-01 10:00,"  # a row's booking code and start
KNOWN = "births, childcare, eid, marriage, passport"


@pytest.fixture
def site() -> Site:
    """The test town hall, whose quick counter (as in real sites) takes no appointments."""
    base = make_site()
    quick = replace(base.services["quick"], appointments=False)
    return replace(base, services={**base.services, "quick": quick})


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def ics(*events: str, method: str = "") -> bytes:
    """A calendar with these VEVENT bodies, CRLF-terminated as RFC 5545 wants."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//loket//EN"]
    head += [f"METHOD:{method}"] if method else []
    body = [f"BEGIN:VEVENT\n{event.strip()}\nEND:VEVENT" for event in events]
    return ("\n".join([*head, *body, "END:VCALENDAR", ""]).replace("\n", "\r\n")).encode()


def one(result: ImportResult) -> Appointment:
    assert not result.rejected, result.rejected
    (appointment,) = result.appointments
    return appointment


def one_each(result: ImportResult) -> list[Appointment]:
    assert not result.rejected, result.rejected
    return result.appointments


def reasons(result: ImportResult) -> list[str]:
    return [str(rejection) for rejection in result.rejected]


def stored(engine: Engine, code: str) -> list[Appointment]:
    with engine.store.transaction() as tx:
        return tx.find_appointments(code)


# --- CSV ---------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters(site: Site, delimiter: str) -> None:
    text = csv_text(
        "ab-12,2026-12-01 10:00,passport,,fr,JD,bk-1,booked",
        'CD34,2026-12-01 11:00,"births;childcare",,,,,',
    ).replace(",", delimiter)
    result = parse_csv(text, site)
    assert not result.rejected
    first, second = result.appointments
    assert first == Appointment(
        id="bk-1",
        booking_code="AB12",
        services=("passport",),
        start=local("2026-12-01 10:00"),
        duration_minutes=12,
        language="fr",
        initials="JD",
    )
    assert second.services == ("births", "childcare")
    assert (second.language, second.initials, second.status) == ("nl", None, "booked")


def test_csv_from_excel_with_bom_crlf_and_windows_1252(site: Site, tmp_path: Path) -> None:
    text = "Booking code;Start;Services;Remark\r\nAB12;2026-12-01 10:00;passport;café\r\n"
    for name, data in [("utf8.csv", "\ufeff" + text), ("ansi.csv", text)]:
        path = tmp_path / name
        path.write_bytes(data.encode("utf-8" if name == "utf8.csv" else "cp1252"))
        assert one(parse_file(path, site)).booking_code == "AB12"


def test_only_the_required_columns_are_needed_in_any_order(site: Site) -> None:
    text = "Services, Start ,Booking-Code,Name\npassport,2026-12-01 10:00,AB12,Jan Peeters\n"
    appointment = one(parse_csv(text, site))
    assert (appointment.booking_code, appointment.services) == ("AB12", ("passport",))
    assert "Peeters" not in repr(appointment)


@pytest.mark.parametrize(
    "start",
    ["2026-12-01 10:00", "2026-12-01T10:00:00", "2026-12-01T10:00+01:00", "2026-12-01T09:00Z"],
)
def test_csv_start_local_or_with_offset(site: Site, start: str) -> None:
    appointment = one(parse_csv(csv_text(f"AB12,{start},passport"), site))
    assert appointment.start == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_start_on_the_night_the_clocks_change(site: Site) -> None:
    rows = [f"AB{n},2026-03-29 {at},passport" for n, at in enumerate(["01:30", "03:00", "02:30"])]
    rows.append("AB9,2026-10-25 02:30,passport")  # happens twice: the first (summer time)
    result = parse_csv(csv_text(*rows), site)
    assert [a.start.strftime("%H:%M") for a in result.appointments] == ["00:30", "01:00", "00:30"]
    assert reasons(result) == [
        "row 4: start 2026-03-29 02:30 does not exist in Europe/Brussels "
        "(the clocks go forward then)"
    ]


def test_duration_defaults_to_the_expected_minutes(site: Site) -> None:
    site = replace(
        site, services={**site.services, "eid": replace(site.services["eid"], expected_minutes=7.2)}
    )
    services = ["passport", "eid", '"births;childcare"', "passport,25"]
    rows = [f"A{n},2026-12-01 10:00,{s}" for n, s in enumerate(services)]
    durations = [a.duration_minutes for a in one_each(parse_csv(csv_text(*rows), site))]
    assert durations == [12, 8, 30, 25]
    short = replace(site.services["passport"], expected_minutes=2)
    tiny = replace(site, services={**site.services, "passport": short})
    assert one(parse_csv(csv_text(rows[0]), tiny)).duration_minutes == 5


def test_booking_codes_are_normalised_and_made_up_ids_random(site: Site) -> None:
    rows = ["ab-o1 l2,2026-12-01 10:00,passport", "AB0112,2026-12-01 10:00,Passport;eid"]
    first, second = parse_csv(csv_text(*rows), site).appointments
    assert first.booking_code == second.booking_code == "AB0112"
    assert second.services == ("passport", "eid")
    assert first.id != second.id
    assert parse_csv(csv_text(rows[0]), site).appointments[0].id != first.id  # nothing derived


def test_cancelled_rows_are_imported_as_cancelled(site: Site) -> None:
    result = parse_csv(csv_text("AB12,2026-12-01 10:00,passport,,,,,Cancelled"), site)
    assert one(result).status is AppointmentStatus.CANCELLED


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (AT + "pasport", f"unknown service 'pasport' (known: {KNOWN})"),
        ("A,2026-13-01 10:00,eid",
         "start '2026-13-01 10:00' is not a date and time (like 2026-12-01 10:00)"),
        ("AB12,2026-12-01,passport", "start '2026-12-01' has no time of day"),
        ("AB12,,passport", "start is empty"),
        (AT + "quick", "service 'quick' takes no appointments"),
        (AT, "no service given"),
        (" - ,2026-12-01 10:00,passport", "booking code is empty"),
        (AT + "eid,,es", "language 'es' is not offered here (offered: nl, fr, en, de)"),
        (AT + "eid,,,Jan Peeters", "initials must be at most 3 letters (no names)"),
        (AT + "eid,0", "duration '0' is not a whole number of minutes (1 to 1440)"),
        (AT + "eid,15.5", "duration '15.5' is not a whole number of minutes (1 to 1440)"),
        (AT + "eid,,,,,maybe", "status 'maybe' is neither 'booked' nor 'cancelled'"),
        (AT + "eid,,,,,,extra", "9 fields, but the header has 8"),
    ],
)  # fmt: skip
def test_bad_rows_are_rejected_one_by_one(site: Site, row: str, reason: str) -> None:
    good = "GOOD1,2026-12-01 09:00,eid"
    result = parse_csv(csv_text(good, "", row, good.replace("GOOD1", "GOOD2")), site)
    assert reasons(result) == [f"row 4: {reason}"]
    assert [a.booking_code for a in result.appointments] == ["G00D1", "G00D2"]
    assert result.rejected[0].identifier == row.split(",", maxsplit=1)[0].strip()


def test_duplicate_ids_within_a_file_are_rejected(site: Site) -> None:
    rows = ["AB12,2026-12-01 10:00,passport,,,,bk-1", "CD34,2026-12-01 11:00,eid,,,,bk-1",
            "EF56,2026-12-01 12:00,eid", "ef-56,2026-12-01T12:00+01:00,eid"]  # fmt: skip
    result = parse_csv(csv_text(*rows), site)
    assert [a.booking_code for a in result.appointments] == ["AB12", "EF56"]
    assert reasons(result)[0] == "row 3: duplicate of row 2 (same id 'bk-1')"
    assert reasons(result)[1] == "row 5: duplicate of row 4 (same booking code, start and services)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("\n \n", "the file is empty"),
        ("AB12,2026-12-01 10:00,passport\n", "no header row"),
        ("booking_code,start\nAB12,2026-12-01 10:00\n", "missing column(s) services"),
        ("booking_code,start,services,start\n", "column(s) start appear more than once"),
        ('"booking_code,start,services\nAB12,2026-12-01 10:00,passport\n', "not valid CSV"),
    ],
)
def test_unusable_csv(site: Site, text: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_csv(text, site)


def test_unusable_files_are_named(site: Site, tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text(HEADER)
    (tmp_path / "empty.ics").write_bytes(b"")
    cases = {
        tmp_path / "missing.csv": "no such file",
        tmp_path / "list.txt": "not a CSV or iCalendar file",
        tmp_path / "empty.ics": "not an iCalendar file",
        tmp_path: "not a CSV or iCalendar file",
    }
    for path, message in cases.items():
        with pytest.raises(ImportFileError, match=message) as caught:
            parse_file(path, site)
        assert str(caught.value).startswith(f"{path}: ")


# --- iCalendar ---------------------------------------------------------------------------


def test_ics_times_with_tzid_in_utc_and_floating(site: Site) -> None:
    result = parse_ics(
        ics(
            "UID:a@x\nDTSTART;TZID=Europe/Brussels:20261201T100000\nX-LOKET-SERVICE:passport",
            "UID:b@x\nDTSTART:20261201T090000Z\nX-LOKET-SERVICE:passport",
            "UID:c@x\nDTSTART:20261201T100000\nX-LOKET-SERVICE:passport",
            "UID:d@x\nDTSTART;TZID=America/New_York:20261201T040000\nX-LOKET-SERVICE:passport",
            "UID:e@x\nDTSTART:20260329T030000\nX-LOKET-SERVICE:passport",
        ),
        site,
    )
    assert not result.rejected
    starts = [a.start for a in result.appointments]
    assert starts[:4] == [local("2026-12-01 10:00")] * 4
    assert starts[4] == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_ics_fields(site: Site) -> None:
    event = """UID:VISIT-77@bookings.example
DTSTART;TZID=Europe/Brussels:20261201T100000
DTEND;TZID=Europe/Brussels:20261201T102230
SUMMARY;LANGUAGE=fr-BE:Rendez-vous de Jan Peeters
DESCRIPTION:Jan Peeters, 0470 12 34 56, jan@example.be
ATTENDEE;CN=Jan Peeters:mailto:jan@example.be
X-LOKET-SERVICE:births\\;childcare
X-LOKET-SERVICE:eid
X-LOKET-INITIALS:JP"""
    appointment = one(parse_ics(ics(event), site))
    assert appointment.booking_code == "V1S1T77"  # the UID's part before '@', normalised
    assert appointment.id.startswith("ics-") and "VISIT" not in appointment.id
    assert appointment.services == ("births", "childcare", "eid")
    assert (appointment.duration_minutes, appointment.language) == (23, "fr")
    assert appointment.initials == "JP" and appointment.status is AppointmentStatus.BOOKED
    assert "Peeters" not in repr(appointment) and "example" not in repr(appointment)
    assert one(parse_ics(ics(event), site)).id == appointment.id


def test_ics_code_language_duration_categories_and_cancellation(site: Site) -> None:
    result = parse_ics(
        ics(
            "UID:1@x\nDTSTART:20261201T090000Z\nDURATION:PT25M\nCATEGORIES:Passport,EID\n"
            "X-LOKET-BOOKING-CODE:ab-12\nX-LOKET-LANGUAGE:de\nSTATUS:CANCELLED",
            "UID:2@x\nDTSTART:20261201T090000Z\nCATEGORIES:births\nX-LOKET-BOOKING-CODE:ab-12",
        ),
        site,
    )
    first, second = result.appointments
    assert (first.booking_code, first.services, first.duration_minutes) == (
        "AB12",
        ("passport", "eid"),
        25,
    )
    assert (first.language, first.status) == ("de", AppointmentStatus.CANCELLED)
    assert (second.services, second.duration_minutes, second.language) == (("births",), 20, "nl")
    cancel = parse_ics(
        ics("UID:3@x\nDTSTART:20261201T090000Z\nCATEGORIES:eid", method="CANCEL"), site
    )
    assert one(cancel).status is AppointmentStatus.CANCELLED


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ("DTSTART;TZID=Nowhere/Land:20261201T100000", "start has an unknown time zone 'Nowhere"),
        ("DTSTART;VALUE=DATE:20261201", "start 2026-12-01 has no time of day (an all-day event)"),
        ("DTSTART:20261301T100000Z", "start is not valid: Wrong datetime format: 20261301T100000Z"),
        ("DTSTAMP:20261201T100000Z", "start (DTSTART) is missing"),
        ("DTSTART:20261201T100000Z\nRRULE:FREQ=WEEKLY", "repeating events are not supported"),
        ("DTSTART:20261201T100000Z\nDTEND:20261201T090000Z", "the event ends before it starts"),
        ("DTSTART:20260329T023000", "start 2026-03-29 02:30 does not exist in Europe/Brussels"),
        ("DTSTART:20261201T100000Z\nX-LOKET-LANGUAGE:es", "language 'es' is not offered here"),
    ],
)  # fmt: skip
def test_bad_events_are_rejected_one_by_one(site: Site, event: str, reason: str) -> None:
    good = "UID:good@x\nDTSTART:20261201T090000Z\nX-LOKET-SERVICE:eid"
    result = parse_ics(ics(good, f"UID:bad@x\nX-LOKET-SERVICE:passport\n{event}"), site)
    assert len(result.appointments) == 1
    ((where, identifier, why),) = [(r.where, r.identifier, r.reason) for r in result.rejected]
    assert (where, identifier) == ("event 2", "bad@x")
    assert why.startswith(reason)


def test_ics_duplicate_uid_and_missing_service(site: Site) -> None:
    event = "UID:same@x\nDTSTART:20261201T090000Z\nX-LOKET-SERVICE:eid"
    result = parse_ics(ics(event, event, "UID:none@x\nDTSTART:20261201T090000Z"), site)
    assert reasons(result)[0].startswith("event 2: duplicate of event 1 (same id 'ics-")
    assert reasons(result)[1] == "event 3: no service given"


def test_example_files_are_good() -> None:
    townhall = load_site(TOWNHALL)
    from_csv = parse_file(EXAMPLE_CSV, townhall)
    from_ics = parse_file(EXAMPLE_ICS, townhall)
    for result in (from_csv, from_ics):
        assert not result.rejected and len(result.appointments) >= 6
        week = {townhall.local_day(a.start).isoformat() for a in result.appointments}
        assert min(week) >= "2026-11-30" and max(week) <= "2026-12-04"
        assert [a.status for a in result.appointments].count(AppointmentStatus.CANCELLED) == 1
        codes = [(a.booking_code, townhall.local_day(a.start)) for a in result.appointments]
        assert any(codes.count(key) == 2 for key in codes)  # two appointments, one visit


# --- into the queue ----------------------------------------------------------------------

ROWS = [f"C{n}D,2026-12-0{1 + n % 2} {9 + n:02}:00,passport" for n in range(5)]


def test_import_in_batches_with_progress(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(csv_text(*ROWS, "C9D,2026-12-01 10:00,pasport"))
    calls: list[int] = []
    now = local("2026-11-30 18:00")
    report = import_file(engine, path, now, batch=2, progress=calls.append)
    assert calls == [2, 2, 1]
    assert (report.imported, report.updated, report.unchanged, report.rejected) == (5, 0, 0, 1)
    assert str(report.rejections[0]).startswith("row 7: unknown service 'pasport'")
    assert [len(stored(engine, f"C{n}D")) for n in range(5)] == [1] * 5


def test_same_file_twice_changes_nothing_and_a_reexport_updates(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(csv_text(*ROWS))
    now = local("2026-11-30 18:00")
    import_file(engine, path, now, batch=2)
    again = import_file(engine, path, now, batch=2)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 5)
    path.write_text(csv_text(*ROWS).replace(",", ";"))  # the same appointments, saved anew
    reexport = import_file(engine, path, now, batch=2)
    assert (reexport.imported, reexport.updated, reexport.unchanged) == (0, 5, 0)
    assert [len(stored(engine, f"C{n}D")) for n in range(5)] == [1] * 5


def test_reimport_keeps_a_checked_in_appointment_checked_in(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    rows = ["AB-12,2026-12-01 10:15,passport,,,,bk-1", "AB-12,2026-12-01 10:45,births,,,,bk-2"]
    path.write_text(csv_text(*rows))
    import_file(desk.engine, path, desk.now)
    ticket = desk.ok(c.CheckIn, booking_code="ab12").ticket
    path.write_text(csv_text(*(row.replace(",,,,", ",30,,,") for row in rows)))
    report = import_file(desk.engine, path, desk.now)
    assert (report.imported, report.updated) == (0, 2)
    for appointment in stored(desk.engine, "AB12"):
        assert appointment.status is AppointmentStatus.CHECKED_IN
        assert (appointment.ticket_id, appointment.duration_minutes) == (ticket.id, 30)
    assert desk.ok(c.CheckIn, booking_code="AB12").already_checked_in


def test_import_next_to_a_running_hub_keeps_its_check_ins(site: Site, tmp_path: Path) -> None:
    path, db = tmp_path / "export.csv", tmp_path / "site.db"
    row = "AB-12,2026-12-01 10:15,passport,,,,bk-1"
    with SqliteStore(db, site.id) as mine, SqliteStore(db, site.id) as hubs:
        importer, hub = Engine(site, mine), Desk(Engine(site, hubs), local("2026-12-01 10:00"))
        path.write_text(csv_text(row))
        import_file(importer, path, hub.now)
        hub.ok(c.CheckIn, booking_code="AB12")  # the hub, in another process, writes meanwhile
        path.write_text(csv_text(row.replace(",,,,", ",20,,,")))
        assert import_file(importer, path, hub.now).updated == 1
        (appointment,) = stored(importer, "AB12")
    assert (appointment.status, appointment.duration_minutes) == ("checked_in", 20)


def test_a_batch_the_queue_refuses_becomes_rejections(engine: Engine) -> None:
    bad = Appointment(
        id="x1", booking_code="ab-12", services=("passport",), start=local("2026-12-01 10:00")
    )
    result = ImportResult(appointments=[bad], digest="0" * 64, origins={"x1": "row 2"})
    report = send_appointments(engine, result, local("2026-11-30 18:00"))
    assert report.imported == 0
    assert [str(r) for r in report.rejections] == [
        "row 2: refused by the queue: appointment x1: booking code is not normalised"
    ]


# --- loket appointments import -----------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the command modules that exist yet (colleagues are still writing some)."""
    present = tuple(m for m in loket.cli.COMMAND_MODULES if importlib.util.find_spec(m))
    monkeypatch.setattr(loket.cli, "COMMAND_MODULES", present)


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    status = loket.cli.main(["appointments", "import", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.usefixtures("cli")
def test_cli_imports_examples(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "site.db"
    status, out, err = run(capsys, EXAMPLE_CSV, "--site", TOWNHALL, "--db", db)
    assert (status, out, err) == (0, f"{EXAMPLE_CSV}: imported 9, updated 0, rejected 0\n", "")
    status, out, _ = run(capsys, EXAMPLE_CSV, "--site", TOWNHALL, "--db", db)
    assert status == 0 and "imported 0, updated 0, rejected 0, unchanged 9" in out
    status, out, _ = run(capsys, EXAMPLE_ICS, "--site", TOWNHALL, "--db", db)
    assert status == 0 and "imported 6, updated 0, rejected 0" in out
    with SqliteStore(db, load_site(TOWNHALL).id) as store, store.transaction() as tx:
        visit = tx.find_appointments("B3X7KD")
    assert [a.services for a in visit] == [("geboorte",), ("kinderopvang",)]


@pytest.mark.usefixtures("cli")
def test_cli_bad_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "site.db"
    status, out, err = run(capsys, BAD_CSV, "--site", TOWNHALL, "--db", db)
    assert status == 1 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"{BAD_CSV}: imported 2, updated 0, rejected 9"
    assert lines[1].startswith("  row 3: unknown service 'pasport' (known: adreswijziging, ")
    assert "  row 5: service 'snelbalie' takes no appointments" in lines
    assert "  row 9: duplicate of row 2 (same id 'bk-ok-1')" in lines
    assert "Jan" not in out
    with SqliteStore(db, "stad-voorbeeld") as store, store.transaction() as tx:
        assert [a.id for a in tx.find_appointments("G5T8KA")] == ["bk-ok-1"]


@pytest.mark.usefixtures("cli")
def test_cli_unusable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "site.db"
    (tmp_path / "names.csv").write_text("AB12,2026-12-01 10:00,eid\n")
    (tmp_path / "notes.txt").write_text(HEADER)
    (tmp_path / "site.yaml").write_text("site: {}\n")
    cases = [
        (tmp_path / "missing.csv", TOWNHALL, "no such file"),
        (tmp_path / "names.csv", TOWNHALL, "no header row"),
        (tmp_path / "notes.txt", TOWNHALL, "not a CSV or iCalendar file"),
        (EXAMPLE_CSV, tmp_path / "site.yaml", "problems"),
    ]
    for path, site_file, message in cases:
        status, out, err = run(capsys, path, "--site", site_file, "--db", db)
        assert (status, out) == (2, "")
        assert err.startswith("error: ") and message in err
        assert str(path if site_file == TOWNHALL else site_file) in err
    assert not db.exists()
