"""Site files: the examples load, the schema is current, and every mistake names its path."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import date, time
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

import loket.cli
from loket import cmd_config
from queue_engine.domain.model import LANGUAGES, Policy, Site, TimeRange
from siteconfig import (
    ConfigError,
    PolicyConfig,
    SiteConfig,
    json_schema,
    load_site,
    load_site_config,
    parse_site_config,
    validate_site_config,
)
from siteconfig.fields import Language

CONFIG = Path(__file__).resolve().parent.parent / "config"
EXAMPLES = ["townhall.yaml", "carehome.yaml", "hospital-births.yaml"]
DELETE = object()


def minimal() -> dict[str, Any]:
    """A small valid site, as parsed from YAML."""
    return {
        "site": {
            "id": "test",
            "name": "Test",
            "languages": ["nl", "fr"],
            "opening_hours": {"monday": ["09:00-12:00"]},
        },
        "services": [
            {"id": "passport", "names": {"nl": "Paspoort", "fr": "Passeport"}, "prefix": "P"},
            {"id": "eid", "names": {"nl": "eID"}, "prefix": "ID", "related": ["passport"]},
        ],
        "counters": [
            {
                "id": "loket-1",
                "name": "Loket 1",
                "zone": "hall",
                "services": ["passport", {"service": "eid", "weight": 2}],
            }
        ],
        "devices": [
            {"id": "kiosk", "role": "kiosk", "name": "Zuil", "printer": "dummy:"},
            {"id": "display", "role": "display", "name": "Scherm", "zone": "hall"},
            {"id": "staff-1", "role": "staff", "name": "Terminal", "counter": "loket-1"},
        ],
    }


def edited(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    """`minimal()` with the value at `path` replaced, appended (index == length) or deleted."""
    data = minimal()
    *parents, last = path
    target: Any = data
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    elif isinstance(target, list) and last == len(target):
        target.append(value)
    else:
        target[last] = value
    return data


def problems_of(data: object) -> list[str]:
    """The problems `validate_site_config` finds, as 'path: message' lines."""
    with pytest.raises(ConfigError) as caught:
        validate_site_config(data, "test.yaml")
    return [str(problem) for problem in caught.value.problems]


def unserved(service_id: str, **extra: object) -> dict[str, object]:
    """A service no counter serves."""
    return {"id": service_id, "names": {"nl": service_id}, "prefix": "Z", **extra}


# --- the example sites -------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_loads_and_converts_to_a_site(name: str) -> None:
    site = load_site(CONFIG / name)
    assert isinstance(site, Site)
    assert site.services and site.counters
    assert all(counter.services for counter in site.counters.values())


def test_townhall_example() -> None:
    config = load_site_config(CONFIG / "townhall.yaml")
    site = config.to_site()
    assert len(site.services) >= 8
    assert site.services["snelbalie"].quick
    assert "kinderopvang" in site.services["geboorte"].related
    assert not site.services["huwelijk"].walk_in
    assert (site.policy.priority_per_cycle, site.policy.normal_per_cycle) == (1, 2)
    assert site.opening_hours.weekly[3][-1] == TimeRange(time(16), time(19, 30))
    assert site.opening_hours.ranges_on(date(2026, 12, 25)) == ()
    assert len(site.counters) >= 6
    assert {c.zone for c in site.counters.values()} == {"gelijkvloers", "eerste-verdieping"}
    assert all(set(s.documents) == set(LANGUAGES) for s in site.services.values())
    printers = sorted(d.printer or "" for d in config.devices if d.role == "kiosk")
    assert [p.split(":")[0] for p in printers] == ["serial", "tcp"]
    assert sorted(d.zone or "" for d in config.devices if d.role == "display") == [
        "eerste-verdieping",
        "gelijkvloers",
    ]
    assert {d.counter for d in config.devices if d.role == "staff"} == set(site.counters)


def test_service_hours_keep_the_site_holidays() -> None:
    site = load_site(CONFIG / "townhall.yaml")
    quick = site.hours_for(site.services["snelbalie"])
    assert quick.ranges_on(date(2026, 1, 3)) == (TimeRange(time(9), time(12)),)  # a Saturday
    assert quick.ranges_on(date(2026, 1, 1)) == ()  # New Year: the site is closed
    assert site.hours_for(site.services["eid"]).ranges_on(date(2026, 1, 3)) == ()


def test_service_exception_overrides_the_site_exception() -> None:
    data = minimal()
    data["site"]["opening_hours"]["exceptions"] = {"2026-07-21": [], "2026-11-11": []}
    hours = {"tuesday": ["10:00-11:00"], "exceptions": {"2026-07-21": ["10:00-10:30"]}}
    data["services"][0]["opening_hours"] = hours
    service_hours = validate_site_config(data).to_site().services["passport"].opening_hours
    assert service_hours is not None
    assert service_hours.ranges_on(date(2026, 7, 21)) == (TimeRange(time(10), time(10, 30)),)
    assert service_hours.ranges_on(date(2026, 11, 11)) == ()


def test_carehome_example_has_a_care_home_kiosk() -> None:
    config = load_site_config(CONFIG / "carehome.yaml")
    kiosk = next(d for d in config.devices if d.role == "kiosk")
    assert (kiosk.mode, kiosk.large_text) == ("care_home", True)
    assert len(config.services) <= 2 and len(config.counters) == 1


def test_hospital_example_recognition_is_by_appointment_only() -> None:
    site = load_site(CONFIG / "hospital-births.yaml")
    assert not site.services["erkenning"].walk_in
    assert site.services["geboorte"].walk_in


def test_conversion_keeps_weights_defaults_and_booking_url() -> None:
    data = minimal()
    data["site"]["booking_url"] = "https://example.be/afspraak"
    site = validate_site_config(data).to_site()
    assert site.counters["loket-1"].weight("eid") == 2.0
    assert site.services["eid"].booking_url == "https://example.be/afspraak"
    assert site.policy == Policy()
    assert site.languages == ("nl", "fr") and site.default_language == "nl"
    assert site.opening_hours.weekly == {0: (TimeRange(time(9), time(12)),)}


def test_device_lookup() -> None:
    config = validate_site_config(minimal())
    assert config.device("staff-1").counter == "loket-1"
    with pytest.raises(KeyError):
        config.device("nope")


# --- the schema and the domain stay in step ---------------------------------------------


def test_schema_file_is_up_to_date() -> None:
    stored = json.loads((CONFIG / "site.schema.json").read_text(encoding="utf-8"))
    assert stored == json_schema(), "run: loket config schema --out config/site.schema.json"


def test_policy_config_mirrors_the_domain_policy() -> None:
    domain = {f.name: f.default for f in dataclasses.fields(Policy)}
    assert PolicyConfig().model_dump() == domain


def test_language_type_lists_the_domain_languages() -> None:
    assert get_args(Language) == LANGUAGES


# --- broken files ------------------------------------------------------------------------

BROKEN = [
    pytest.param(
        ("services", 1, "prefix"),
        "a1",
        "services[1].prefix: must be 1 or 2 capital letters, got 'a1'",
        id="bad-prefix",
    ),
    pytest.param(
        ("services", 1, "prefix"),
        "P",
        "services[1].prefix: prefix 'P' is already used by services[0]",
        id="duplicate-prefix",
    ),
    pytest.param(
        ("counters", 0, "services", 2),
        "pasport",
        "counters[0].services[2]: unknown service 'pasport' (did you mean 'passport'?)",
        id="unknown-service-in-counter",
    ),
    pytest.param(
        ("devices", 2, "counter"),
        DELETE,
        "devices[2].counter: a staff device needs the counter it serves",
        id="staff-without-counter",
    ),
    pytest.param(
        ("site", "opening_hours", "monday", 0),
        "12:00-09:00",
        "site.opening_hours.monday[0]: range '12:00-09:00' ends before it starts",
        id="range-ends-before-start",
    ),
    pytest.param(
        ("site", "opening_hours", "monday", 1),
        "9u-12u",
        "site.opening_hours.monday[1]: must look like 'HH:MM-HH:MM', got '9u-12u'",
        id="range-format",
    ),
    pytest.param(
        ("site", "opening_hours", "monday", 1),
        "11:00-13:00",
        "site.opening_hours.monday: ranges '09:00-12:00' and '11:00-13:00' overlap",
        id="ranges-overlap",
    ),
    pytest.param(
        ("site", "languages", 1),
        "es",
        "site.languages[1]: input should be 'nl', 'fr', 'en' or 'de', got 'es'",
        id="unknown-language",
    ),
    pytest.param(
        ("site", "default_language"),
        "de",
        "site.default_language: 'de' is not one of the site's languages (nl, fr)",
        id="default-language-not-offered",
    ),
    pytest.param(
        ("site", "timezone"),
        "Europe/Brusels",
        "site.timezone: unknown time zone 'Europe/Brusels' (did you mean 'Europe/Brussels'?)",
        id="bad-timezone",
    ),
    pytest.param(
        ("site", "langauges"),
        ["nl"],
        "site.langauges: unknown key (did you mean 'languages'?)",
        id="typo-key",
    ),
    pytest.param(
        ("services", 2),
        unserved("afval"),
        "services[2]: no counter serves walk-in service 'afval': its tickets would never be called",
        id="walk-in-without-counter",
    ),
    pytest.param(
        ("services", 2),
        unserved("huwelijk", walk_in=False),
        "services[2]: no counter serves service 'huwelijk'",
        id="appointment-service-without-counter",
    ),
    pytest.param(
        ("services", 1, "related", 1),
        "pasport",
        "services[1].related[1]: unknown service 'pasport' (did you mean 'passport'?)",
        id="unknown-related",
    ),
    pytest.param(
        ("services", 1, "related", 1),
        "eid",
        "services[1].related[1]: a service cannot be related to itself",
        id="related-to-itself",
    ),
    pytest.param(
        ("services", 1, "names"),
        {"fr": "Carte d'identité"},
        "services[1].names: needs a name in the default language 'nl'",
        id="no-default-language-name",
    ),
    pytest.param(
        ("services", 1, "names", "es"),
        "DNI",
        "services[1].names.es: 'es' is not allowed as a key: input should be 'nl', 'fr'",
        id="unknown-language-key",
    ),
    pytest.param(
        ("services", 1, "quick"),
        True,
        "services[1].expected_minutes: a quick service takes under 5 minutes, got 10",
        id="quick-but-slow",
    ),
    pytest.param(
        ("services", 1, "daily_cap"),
        0,
        "services[1].daily_cap: input should be greater than 0, got 0",
        id="zero-daily-cap",
    ),
    pytest.param(
        ("counters", 1),
        {"id": "loket-1", "name": "Loket 2", "services": ["eid"]},
        "counters[1].id: id 'loket-1' is already used by counters[0]",
        id="duplicate-counter-id",
    ),
    pytest.param(
        ("counters", 0, "services", 2),
        "passport",
        "counters[0].services[2]: service 'passport' is listed twice",
        id="service-twice-at-counter",
    ),
    pytest.param(
        ("devices", 0, "counter"),
        "loket-1",
        "devices[0].counter: only a staff device has a counter; this is a kiosk",
        id="kiosk-with-counter",
    ),
    pytest.param(
        ("devices", 2, "counter"),
        "loket-9",
        "devices[2].counter: unknown counter 'loket-9'",
        id="staff-unknown-counter",
    ),
    pytest.param(
        ("devices", 1, "zone"),
        "kelder",
        "devices[1].zone: no counter is in zone 'kelder'",
        id="display-unknown-zone",
    ),
    pytest.param(
        ("devices", 0, "printer"),
        "lpt:1",
        "devices[0].printer: unknown printer scheme in 'lpt:1'; use one of serial:, tcp:",
        id="printer-scheme",
    ),
    pytest.param(
        ("devices", 1, "printer"),
        "tcp:10.0.0.5:9100",
        "devices[1].printer: only a kiosk device has a printer; this is a display",
        id="display-with-printer",
    ),
    pytest.param(
        ("devices", 0, "languages"),
        ["nl", "de"],
        "devices[0].languages[1]: 'de' is not one of the site's languages",
        id="device-language-not-offered",
    ),
    pytest.param(
        ("devices", 3),
        {"id": "kiosk", "role": "display", "name": "Scherm 2"},
        "devices[3].id: id 'kiosk' is already used by devices[0]",
        id="duplicate-device-id",
    ),
    pytest.param(
        ("site", "ticket_url_template"),
        "https://loket.example.be/t/",
        "site.ticket_url_template: must contain {token} and no other placeholder",
        id="ticket-url-without-token",
    ),
    pytest.param(
        ("site", "name"),
        DELETE,
        "site.name: required",
        id="missing-key",
    ),
    pytest.param(
        ("site", "policy"),
        {"priority_per_cycle": 0},
        "site.policy.priority_per_cycle: input should be greater than or equal to 1, got 0",
        id="priority-ratio",
    ),
]


@pytest.mark.parametrize(("path", "value", "expected"), BROKEN)
def test_broken_config_names_path_and_problem(
    path: tuple[str | int, ...], value: object, expected: str
) -> None:
    problems = problems_of(edited(path, value))
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("services", 1, "appointments"), False),
        (("services", 0, "walk_in"), False),
        (("site", "languages"), DELETE),
        (("devices",), DELETE),
        (("devices", 1, "zone"), DELETE),
        (("site", "policy"), {"normal_per_cycle": 0, "auto_no_show_minutes": None}),
        (("counters", 0, "services", 0), {"service": "passport"}),
        (("devices", 0, "printer"), "serial:/dev/ttyUSB0?baudrate=19200"),
        (("devices", 0, "printer"), "usb:04b8:0e15"),
        (("devices", 0, "printer"), "file:/dev/usb/lp0"),
        (("site", "ticket_url_template"), "https://loket.example.be/t/{token}"),
    ],
)
def test_valid_variants(path: tuple[str | int, ...], value: object) -> None:
    validate_site_config(edited(path, value))


def test_every_problem_is_listed_even_across_sections() -> None:
    data = minimal()
    data["services"][1]["prefix"] = "a1"
    data["counters"][0]["services"].append("pasport")
    data["devices"][1]["zone"] = "kelder"
    problems = problems_of(data)
    assert problems == [
        "services[1].prefix: must be 1 or 2 capital letters, got 'a1'",
        "counters[0].services[2]: unknown service 'pasport' (did you mean 'passport'?)",
        "devices[1].zone: no counter is in zone 'kelder'",
    ]


def test_an_invalid_service_is_still_a_known_service() -> None:
    data = minimal()
    data["services"][1]["expected_minutes"] = -1  # eid is invalid, yet counters may name it
    assert problems_of(data) == [
        "services[1].expected_minutes: input should be greater than 0, got -1"
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "must be a mapping of keys to values, got []"),
        ({"site": "x"}, "site: must be a mapping of keys to values, got 'x'"),
        ({**minimal(), "service": []}, "service: unknown key (did you mean 'services'?)"),
    ],
)
def test_wrong_shapes(data: object, expected: str) -> None:
    assert expected in problems_of(data)


def test_unquoted_colon_in_text_gets_a_hint() -> None:
    data = edited(("services", 0, "documents"), {"nl": [{"Voor minderjarigen": "toestemming"}]})
    assert problems_of(data) == [
        "services[0].documents.nl[0]: must be text, got a mapping: "
        "put text that contains ': ' in quotes"
    ]


# --- files -------------------------------------------------------------------------------


def write(tmp_path: Path, data: object, name: str = "site.yaml") -> Path:
    """`data` as a YAML file."""
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_error_message_starts_with_the_file_and_gives_lines(tmp_path: Path) -> None:
    data = minimal()
    data["services"][1]["prefix"] = "a1"
    data["counters"][0]["services"].append("pasport")
    path = write(tmp_path, data)
    with pytest.raises(ConfigError) as caught:
        load_site_config(path)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{path}: 2 problems"
    text = path.read_text(encoding="utf-8").splitlines()
    prefix_line = next(i for i, line in enumerate(text, 1) if "prefix: a1" in line)
    assert lines[1] == (
        f"  services[1].prefix: must be 1 or 2 capital letters, got 'a1' (line {prefix_line})"
    )
    assert lines[2].startswith("  counters[0].services[2]: unknown service 'pasport'")


def test_yaml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("site:\n  id: test\n   name: [Test\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_site_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: invalid YAML: ")
    assert "(line 3, column 8)" in message


def test_duplicate_yaml_key_is_an_error() -> None:
    text = yaml.safe_dump(minimal(), sort_keys=False).replace(
        "  name: Test\n", "  name: A\n  name: B\n"
    )
    with pytest.raises(ConfigError) as caught:
        parse_site_config(text, "dup.yaml")
    assert str(caught.value) == "dup.yaml: site.name: duplicate key (first at line 3) (line 4)"


def test_yaml_dates_are_checked_by_the_schema() -> None:
    text = yaml.safe_dump(minimal(), sort_keys=False)
    text = text.replace("    monday:", "    exceptions:\n      2026-13-01: []\n    monday:")
    with pytest.raises(ConfigError) as caught:
        parse_site_config(text, "dates.yaml")
    assert "site.opening_hours.exceptions.2026-13-01: '2026-13-01' is not allowed as a key" in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [(None, "no such file"), ("", "the file is empty"), ("# nothing\n", "the file is empty")],
)
def test_missing_or_empty_file(tmp_path: Path, content: str | None, expected: str) -> None:
    path = tmp_path / "site.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"^{path}: {expected}$"):
        load_site_config(path)


def test_config_error_keeps_its_problems() -> None:
    with pytest.raises(ConfigError) as caught:
        validate_site_config(edited(("services", 1, "prefix"), "a1"), "x.yaml")
    (problem,) = caught.value.problems
    assert (problem.loc, problem.path, caught.value.source) == (
        ("services", 1, "prefix"),
        "services[1].prefix",
        "x.yaml",
    )


def test_site_config_validates_cross_references_by_itself() -> None:
    data = edited(("counters", 0, "services", 2), "pasport")
    with pytest.raises(ValueError, match="unknown service 'pasport'"):
        SiteConfig.model_validate(copy.deepcopy(data))


# --- the command -------------------------------------------------------------------------


@pytest.fixture
def only_config_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run `loket` with only this part's subcommands (other parts may not exist yet)."""
    monkeypatch.setattr(loket.cli, "COMMAND_MODULES", ("loket.cmd_config",))


@pytest.mark.usefixtures("only_config_command")
def test_check_command_good_files(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(CONFIG / name) for name in EXAMPLES]
    assert loket.cli.main(["config", "check", *files]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{files[0]}: ok (10 services, 7 counters, 11 devices)"
    assert out[1] == f"{files[1]}: ok (2 services, 1 counter, 3 devices)"
    assert len(out) == 3 and out[2].startswith(f"{files[2]}: ok (")


@pytest.mark.usefixtures("only_config_command")
def test_check_command_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = minimal()
    data["services"][1]["prefix"] = "a1"
    del data["devices"][2]["counter"]
    bad = write(tmp_path, data, "bad.yaml")
    good = CONFIG / "carehome.yaml"
    assert loket.cli.main(["config", "check", str(bad), str(good)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{bad}: 2 problems\n")
    assert "  services[1].prefix: must be 1 or 2 capital letters, got 'a1' (line " in out
    assert "  devices[2].counter: a staff device needs the counter it serves (line " in out
    assert f"{good}: ok (" in out


@pytest.mark.usefixtures("only_config_command")
def test_schema_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "site.schema.json"
    assert loket.cli.main(["config", "schema", "--out", str(out_file)]) == 0
    assert out_file.read_text(encoding="utf-8") == cmd_config.schema_text()
    assert loket.cli.main(["config", "schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema()
    assert (CONFIG / "site.schema.json").read_text(encoding="utf-8") == cmd_config.schema_text()
