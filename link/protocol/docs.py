"""The contract as files an integrator can read: JSON Schemas and a Markdown table of topics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from link.protocol import messages as m
from link.protocol.office import OFFICE_VERBS
from link.protocol.orders import KioskOrder
from link.protocol.replies import REPLIES, reply_schema
from link.protocol.roles import ROLE_VERBS, Role
from link.protocol.topics import ROOT, VERSION

#: (topic under loket/v1/<site>/, publisher, readers, retained, QoS, schema, what)
TOPIC_ROWS = (
    ("cmd/<device>/<verb>", "kiosk, staff terminal, web process (`web`)", "hub", "no", 1,
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
     "device-status", "presence; the last will says offline; kiosks: printer status, "
     "`help_since` (a visitor asks for help), `offline_tickets` not handed in yet"),
    ("devices/<kiosk>/orders", "hub", "that kiosk only", "no", 1, "kiosk-order",
     "an order from the office: `reprint` a ticket (then `report_print`), or "
     "`check_printer` after paper was refilled"),
    ("state/info", "hub", "everyone", "yes", 1, "state-info",
     "info messages for the displays (all, some `zones` or `devices`) until `until`"),
    ("state/office", "hub", "everyone", "yes", 1, "state-office",
     "what the office changed today: paused services, full_today overrides, temporary "
     "counters, counters assigned to other services"),
    ("office/alerts", "hub", "web process, staff terminals", "yes", 1, "office-alerts",
     "the open alerts: kind, since, device name and place, service, who took it"),
)  # fmt: skip


def schemas() -> dict[str, dict[str, Any]]:
    """Every published JSON Schema by name: each message, and the reply to each verb."""
    found = {name: model.model_json_schema() for name, model in m.MESSAGES.items()}
    found["kiosk-order"] = KioskOrder.model_json_schema()
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
        "| verb | command | reply `data` | kiosk | staff terminal | display | web |",
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
        "## The front office",
        "",
        "The front office speaks through the same `web` device as the live page. The web "
        "process checks the account's role (manager or supervisor) and sends the account "
        "name as `by` in every office command; the hub trusts the `web` device for that "
        "(the broker lets only the web account publish under `cmd/web/`) and writes `by`, "
        "the action and its detail to the audit log in the same transaction as the action. "
        "Office verbs: " + ", ".join(f"`{v}`" for v in sorted(OFFICE_VERBS)) + ". "
        "`pause_service` stops walk-ins (reason `paused`, with the `message` kiosks show, "
        "in the site's languages, its default one required; staff may still force a "
        "ticket) until `resume_service`. `keep_open_today` overrides `full_today` for the "
        "rest of the local day. `open_temporary_counter` adds a counter for today (closed "
        "until staff open it at their terminal); `close_temporary_counter` removes it when it "
        "has no ticket. `assign_counter` makes a configured counter serve other services "
        "today (an empty list: the site file's again). `post_info` publishes an info "
        "message on `state/info` until `until` (at most 31 days); displays show those with "
        "no `zones` and `devices`, those of their zone, and those naming them. "
        "`office_cancel` and `office_transfer` act on any active ticket. `reprint_ticket` "
        "sends an order to an online kiosk, which prints the ticket and answers "
        "`report_print`. `paper_refilled` closes the kiosk's paper alerts and asks it to "
        "check its printer. `acknowledge_alert` takes an alert. `record_audit` logs an "
        "action of the web process (login, account change). `audit_log` reads the log "
        "(newest first, `since`, `limit` up to 500; read-only). Everything the office sets "
        "survives a hub restart; the audit log is purged with the retention period.",
        "",
        "Alerts (`office/alerts`, for the web process and the staff terminals only) are "
        "computed by the hub about once a second and at once when a device's status "
        "changes: `wait_over_target` (a service's longest wait over its `target_wait_minutes`), "
        "`paper_low`, `paper_out`, `help_requested`, `device_offline` (10 s after its last "
        "will), `offline_tickets` (a kiosk issuing tickets offline), `hub_trouble` (store "
        "errors, commits over 1 s, broker reconnects in the last 5 minutes). An alert closes "
        "when its condition is gone; a help request and paper-out stay until a person "
        "acknowledges them (`active: false` once the condition is gone); acknowledging a "
        "help request takes it (closes it).",
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
