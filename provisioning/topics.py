"""The provisioning topics of a site, next to the MQTT contract's (same root).

loket/v1/<site>/enrol/request/<client>  a device without credentials asks (anonymous; the
                                        ACL lets a client write only under its own client id)
loket/v1/<site>/enrol/reply/<client>    the hub answers, readable by that client id only
loket/v1/<site>/admin/request           `loket devices …` (and later a manager screen) asks
loket/v1/<site>/admin/reply             the hub answers, matched by request id
"""

from __future__ import annotations

from dataclasses import dataclass

from link.protocol.topics import ID_PATTERN, Topics, check_id

ENROL_CLIENT_PREFIX = "enrol-"


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
        return f"{self.base}/enrol/request/{check_id('client', client_id)}"

    @property
    def all_enrol_requests(self) -> str:
        """Subscription for the hub."""
        return f"{self.base}/enrol/request/+"

    def parse_enrol_request(self, topic: str) -> str | None:
        """The client id of an enrolment request topic, or None."""
        prefix = f"{self.base}/enrol/request/"
        client = topic[len(prefix) :] if topic.startswith(prefix) else ""
        return client if ID_PATTERN.match(client) else None

    def enrol_reply(self, client_id: str) -> str:
        """Where the hub answers that client."""
        return f"{self.base}/enrol/reply/{check_id('client', client_id)}"

    @property
    def admin_request(self) -> str:
        """Administrator's requests to the hub."""
        return f"{self.base}/admin/request"

    @property
    def admin_reply(self) -> str:
        """The hub's answers to administrators."""
        return f"{self.base}/admin/reply"
