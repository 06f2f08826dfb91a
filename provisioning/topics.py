"""The provisioning topics of a site, next to the MQTT contract's (same root).

loket/v1/<site>/enrol/request/<client>  a device without credentials asks (anonymous; the
                                        ACL lets a client write only under its own client id,
                                        loket-<site>-enrol-<nonce>)
loket/v1/<site>/enrol/reply/<client>    the hub answers, readable by that client id only
loket/v1/<site>/admin/request           `loket devices …` (and later a manager screen) asks
loket/v1/<site>/admin/reply             the hub answers, matched by request id
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from link.protocol.topics import Topics

#: An enrolling device's client id: the broker's client-id prefix, "enrol-", the nonce.
ENROL_CLIENT = re.compile(r"^loket-[A-Za-z0-9][A-Za-z0-9_-]{0,63}-enrol-[0-9a-f]{32}$")


def enrol_client_id(site: str, nonce: str) -> str:
    """The client id a device enrols with (it starts as the broker requires, see
    provisioning.broker_files)."""
    return f"loket-{site}-enrol-{nonce}"


def _check_client(client_id: str) -> str:
    if not ENROL_CLIENT.match(client_id):
        raise ValueError(f"{client_id!r} is not an enrolling device's client id")
    return client_id


@dataclass(frozen=True)
class ProvisioningTopics:
    """Enrolment and administration topics of one site."""

    site: str

    @property
    def base(self) -> str:
        """The site's root, as in the MQTT contract."""
        return Topics(self.site).base

    def enrol_request(self, client_id: str) -> str:
        """Where an unprovisioned device (MQTT client `client_id`) asks to be enrolled."""
        return f"{self.base}/enrol/request/{_check_client(client_id)}"

    @property
    def all_enrol_requests(self) -> str:
        """Subscription for the hub."""
        return f"{self.base}/enrol/request/+"

    def parse_enrol_request(self, topic: str) -> str | None:
        """The client id of an enrolment request topic, or None."""
        prefix = f"{self.base}/enrol/request/"
        client = topic[len(prefix) :] if topic.startswith(prefix) else ""
        return client if ENROL_CLIENT.match(client) else None

    def enrol_reply(self, client_id: str) -> str:
        """Where the hub answers that client."""
        return f"{self.base}/enrol/reply/{_check_client(client_id)}"

    @property
    def admin_request(self) -> str:
        """Administrator's requests to the hub."""
        return f"{self.base}/admin/request"

    @property
    def admin_reply(self) -> str:
        """The hub's answers to administrators."""
        return f"{self.base}/admin/reply"
