"""The contract as files an integrator can read: JSON Schemas and a Markdown table of topics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from link.protocol import messages as m
from link.protocol.replies import REPLIES, reply_schema
from link.protocol.roles import ROLE_VERBS, Role
from link.protocol.topics import ROOT, VERSION

#: (topic under loket/v1/<site>/, publisher, readers, retained, QoS, schema, what)
TOPIC_ROWS = (
    ("cmd/<device>/<verb>", "kiosk, staff terminal, live page (`web`)", "hub", "no", 1,
     "cmd-<verb>",
     "a command; `request_id` in the payload; a retry with the same id gets the first reply"),
    ("reply/<device>", "hub", "that device only", "no", 1, "reply-<verb>",
     "the answer, matched by `request_id` (and MQTT 5 correlation data when sent)"),
    ("state/services", "hub", "everyone", "yes", 1, "state-services",
     "per service: waiting, longest and expected wait, available or why not and until when"),
    ("state/counters/<counter>", "hub", "everyone", "yes", 1, "state-counter",
     "a counter's status (open/paused/closed) and the number it serves"),
    ("state/calls", "hub", "everyone", "yes", 1, "state-calls",
     "the last 10 calls, newest first, for displays that (re)connect"),
    ("events/called", "hub", "displays, staff terminals", "no", 1, "event-called",
     "one call or recall: chime and announcement"),
    ("events/log", "hub", "a central collector (through a bridge)", "no", 1, "event-log",
     "every committed event of the anonymous event log, in order; `seq` is unique per site"),
    ("devices/<device>/status", "each device (the hub as `hub`)", "hub, dashboards", "yes", 1,
     "device-status", "presence; the last will says offline; printer status for kiosks"),
)  # fmt: skip


def schemas() -> dict[str, dict[str, Any]]:
    """Every published JSON Schema by name: each message, and the reply to each verb."""
    found = {name: model.model_json_schema() for name, model in m.MESSAGES.items()}
    found.update({f"reply-{verb}": reply_schema(verb) for verb in REPLIES})
    return found


def write_schemas(out: Path) -> list[Path]:
    """Write one JSON Schema per message and per reply, and topics.md, into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = out / f"{name}.schema.json"
        schema["$id"] = f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    topics = out / "topics.md"
    topics.write_text(topics_markdown(), encoding="utf-8")
    written.append(topics)
    return written


def topics_markdown() -> str:
    """The Markdown page of topics and commands."""
    lines = [
        "# Loket MQTT contract",
        "",
        f"All topics live under `{ROOT}/{VERSION}/<site>/`. Payloads are UTF-8 JSON objects "
        f"of at most {m.MAX_PAYLOAD // 1024} KiB with a schema version `v` "
        f"(now {m.SCHEMA_VERSION}); each has a JSON Schema in this folder. Times are "
        "ISO 8601 with an offset. Ids (site, device, counter, service) are 1-64 letters, "
        "digits, `-` or `_`. No payload that many devices can read carries personal data: "
        "tickets are numbers, devices and counters are ids.",
        "",
        "| topic | published by | read by | retained | QoS | schema | what |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for topic, pub, readers, retained, qos, schema, what in TOPIC_ROWS:
        link = f"[{schema}]({schema}.schema.json)" if "<" not in schema else "see below"
        lines.append(f"| `{topic}` | {pub} | {readers} | {retained} | {qos} | {link} | {what} |")
    lines += [
        "",
        "## Commands",
        "",
        "The device id in the topic is what the broker's ACL vouches for: a device may "
        "publish only under its own id. The hub then checks the device's role.",
        "",
        "| verb | command | reply `data` | kiosk | staff terminal | display | live page |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for verb in m.REQUESTS:
        roles = ["yes" if verb in ROLE_VERBS[r] else "no" for r in Role]
        command = f"[cmd-{verb}](cmd-{verb}.schema.json)"
        reply = f"[{REPLIES[verb].__name__}](reply-{verb}.schema.json)"
        lines.append(f"| `{verb}` | {command} | {reply} | " + " | ".join(roles) + " |")
    lines += [
        "",
        "A staff terminal acts for its own counter: `counter_id` may be left out and may not "
        "name another counter. A kiosk issues kiosk tickets only (no `force`). Tickets are "
        "named by `ticket_id` or by `number` (e.g. `P012`).",
        "",
        "The live ticket page's process is the device `web`, which every hub enrols with the "
        "role `web`. It names tickets only by their `token` (the key printed in the ticket's "
        "QR code). `ticket_status` is read-only: the hub answers it from memory, does not "
        "store it and does not replay it, with `data.tickets` mapping each token asked to "
        "`number`, `service_id`, `status`, `kind`, `language`, `day`, `position`, "
        "`expected_wait_s`, `counter_id`, `counter_name`, `zone`, `called_at`, "
        "`recall_count`, `hold_until`, `scheduled_at` and `expired` (null while the ticket "
        "is live, else `done`, `cancelled`, `no_show`, `other_day` or `unknown`; an unknown "
        'token gets `{"expired": "unknown"}` only). Never the token, the ticket id, a '
        "booking code, the priority class or the channel. `delay_request` holds a waiting "
        'ticket for `minutes` ("I need 10 more minutes"); the hub\'s tick puts it back in '
        "its place when the time is up.",
        "",
        "## Replies",
        "",
        '`{"v": 1, "request_id": …, "ok": true, "data": {…}, "error": null}` or '
        '`{"v": 1, "request_id": …, "ok": false, "data": null, "error": {"code", "message", '
        '"details"}}`. Each verb\'s reply has its own closed schema, `reply-<verb>.schema.json` '
        "(the table above): no field appears that the schema does not name. `data.ticket` "
        "describes the ticket as the command left it (number, service and its name in the "
        "ticket's language, status, position, expected wait in seconds, counter, and `token`, "
        "the key of its live page — for the requesting device only). Check-in adds "
        "`appointments`, `documents` and `offers` (related services); `call_next` with nobody "
        "waiting answers `ticket: null` and a `message`. Replies stored by hubs before this "
        'schema may carry `"data": {}` with an error; read it as no data.',
        "",
        "Error codes: `invalid_request` (bad JSON or schema), `too_large`, `unknown_verb`, "
        "`unknown_device`, `forbidden` (the role may not), `not_found`, `invalid_transition` "
        "(the ticket or counter is not in a state that allows it), `invalid_command`, "
        "`not_available` (with `details.reason` and `details.next_available`), "
        "`check_in_refused` (with `details.reason`), `unavailable` (the hub could not store "
        "the command: retry with the same request id).",
        "",
    ]
    return "\n".join(lines)
