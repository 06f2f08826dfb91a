"""The administrator's side: `loket devices …` asks the hub over MQTT as the admin user."""

from __future__ import annotations

import os
import queue
import secrets
import uuid
from typing import Any

from pydantic import ValidationError

from link.mqtt import Connection, Incoming
from provisioning.hubside import admin_broker
from provisioning.messages import ADMIN_REPLIES, AdminReply, AdminRequest
from provisioning.topics import ProvisioningTopics


class HubUnreachable(Exception):
    """The broker or the hub did not answer in time."""


def ask(
    folder: str | os.PathLike[str], verb: str, timeout: float = 15.0, **fields: Any
) -> AdminReply[Any]:
    """Send one admin request to the hub and wait for its reply, its data typed by verb
    (`ADMIN_REPLIES`)."""
    site, broker = admin_broker(folder)
    topics = ProvisioningTopics(site)
    request = AdminRequest(request_id=uuid.uuid4().hex, verb=verb, **fields)  # type: ignore[arg-type]
    model: Any = AdminReply[ADMIN_REPLIES[verb]]  # type: ignore[valid-type]
    replies: queue.Queue[Incoming] = queue.Queue()
    connection = Connection(
        f"loket-{site}-admin-{secrets.token_hex(4)}", broker, on_message=replies.put
    )
    connection.subscribe(topics.admin_reply)
    connection.start()
    try:
        if not connection.wait_online(min(5.0, timeout)):
            raise HubUnreachable(f"no connection to the broker at {broker.url}")
        connection.publish(
            topics.admin_request, request.model_dump_json(exclude_none=True).encode()
        )
        while True:
            try:
                incoming = replies.get(timeout=timeout)
            except queue.Empty:
                raise HubUnreachable(
                    f"the hub of site {site} did not answer within {timeout:g} s"
                ) from None
            try:
                reply: AdminReply[Any] = model.model_validate_json(incoming.payload)
            except ValidationError:
                continue
            if reply.request_id == request.request_id:
                return reply
    finally:
        connection.close()
