"""The contract itself: topics, schemas, role checks, and the documentation being current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from link.protocol import messages as m
from link.protocol.docs import write_schemas
from link.protocol.topics import Topics
from loket.cli import main
from queue_engine.domain import commands as c
from queue_engine.hub.dispatch import Device, Refused, parse, to_command

ROOT = Path(__file__).resolve().parent.parent
T = Topics("stad-voorbeeld")
KIOSK = Device("kiosk-inkom", "kiosk", default_language="fr")
STAFF = Device("staff-3", "staff", counter="loket-3")
DISPLAY = Device("display-1", "display")


def test_topics_are_built_and_parsed_in_one_place() -> None:
    assert T.command("kiosk-inkom", "issue_ticket") == (
        "loket/v1/stad-voorbeeld/cmd/kiosk-inkom/issue_ticket"
    )
    assert T.parse_command(T.command("kiosk-inkom", "check_in")) == ("kiosk-inkom", "check_in")
    assert T.parse_command("loket/v1/stad-voorbeeld/cmd/a/b/c") is None
    assert T.parse_command("loket/v1/other/cmd/a/b") is None
    assert T.parse_device_status(T.device_status("hub")) == "hub"
    with pytest.raises(ValueError, match="device id"):
        T.command("kiosk/#", "x")


def request(verb: str, **fields: object) -> bytes:
    return json.dumps({"request_id": "r1", **fields}).encode()


def test_a_kiosk_issues_in_its_default_language() -> None:
    req = parse(KIOSK, KIOSK.id, "issue_ticket", request("issue_ticket", service_id="eid"))
    cmd = to_command(KIOSK, "issue_ticket", req, lambda n: None)
    assert isinstance(cmd, c.IssueTicket)
    assert (cmd.language, cmd.channel.value, cmd.actor) == ("fr", "kiosk", "kiosk-inkom")


def test_staff_commands_default_to_their_own_counter() -> None:
    req = parse(STAFF, STAFF.id, "call_next", request("call_next"))
    cmd = to_command(STAFF, "call_next", req, lambda n: None)
    assert isinstance(cmd, c.CallNext) and cmd.counter_id == "loket-3"


def test_staff_may_name_a_ticket_by_number() -> None:
    req = parse(
        STAFF, STAFF.id, "transfer", request("transfer", number="P012", to_service_id="eid")
    )
    cmd = to_command(STAFF, "transfer", req, {"P012": 7}.get)
    assert isinstance(cmd, c.Transfer) and (cmd.ticket_id, cmd.counter_id) == (7, None)


@pytest.mark.parametrize(
    ("device", "verb", "payload", "code"),
    [
        (DISPLAY, "issue_ticket", request("x", service_id="eid"), "forbidden"),
        (KIOSK, "call_next", request("x"), "forbidden"),
        (STAFF, "call_next", request("x", counter_id="loket-4"), "forbidden"),
        (KIOSK, "issue_ticket", request("x", service_id="eid", channel="desk"), "forbidden"),
        (KIOSK, "issue_ticket", request("x", service_id="e/id"), "invalid_request"),
        (KIOSK, "issue_ticket", request("x", service_id="eid", language="es"), "invalid_request"),
        (STAFF, "hold", request("x", minutes=0), "invalid_request"),
        (STAFF, "teleport", request("x"), "unknown_verb"),
        (None, "issue_ticket", request("x", service_id="eid"), "unknown_device"),
        (KIOSK, "issue_ticket", b"[1, 2]", "invalid_request"),
        (KIOSK, "issue_ticket", b"\xff\xfe", "invalid_request"),
        (KIOSK, "issue_ticket", b" " * (m.MAX_PAYLOAD + 1), "too_large"),
    ],
)
def test_refusals_have_a_code_and_keep_the_request_id(
    device: Device | None, verb: str, payload: bytes, code: str
) -> None:
    with pytest.raises(Refused) as refused:
        req = parse(device, "someone", verb, payload)
        assert device is not None
        to_command(device, verb, req, lambda n: None)
    assert refused.value.code == code
    if payload.startswith(b"{"):
        assert refused.value.reply().request_id == "r1"


def test_the_documentation_in_the_repository_is_current(tmp_path: Path) -> None:
    assert main(["protocol", "schema", "--out", str(tmp_path)]) == 0
    committed = ROOT / "docs" / "protocol"
    for fresh in tmp_path.iterdir():
        assert (committed / fresh.name).read_text() == fresh.read_text(), (
            f"docs/protocol/{fresh.name} is out of date: run loket protocol schema"
        )
    assert {p.name for p in committed.iterdir()} == {p.name for p in write_schemas(tmp_path)}


def test_every_message_schema_is_valid_json_schema(tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    for path in write_schemas(tmp_path):
        if path.suffix == ".json":
            Draft202012Validator.check_schema(json.loads(path.read_text()))
