"""What an administrator may do: approve a pairing code, list, update and revoke devices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from link.protocol.roles import Role
from link.protocol.topics import HUB_DEVICE, WEB_DEVICE
from provisioning.broker_files import ADMIN, PROVISIONING, Account, BrokerFiles, client_id_prefix
from provisioning.messages import (
    AdminData,
    AdminRequest,
    Approved,
    Bundle,
    DeviceRow,
    DeviceState,
    EnrolReply,
    Listing,
    PendingRow,
    Revoked,
    Updated,
)
from provisioning.pairing import Pairing, Pending
from provisioning.passwords import hash_password, new_password
from provisioning.registry import DeviceRecord, Registry, slug, stamp
from queue_engine.domain.model import Site
from queue_engine.hub.devices import DeviceRegistry

#: Ids no device may take: the service accounts'.
RESERVED = frozenset({HUB_DEVICE, ADMIN, WEB_DEVICE, PROVISIONING})


class OpError(Exception):
    """An admin request that cannot be done; `code` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class AdminOps:
    """The registry's changes, each saved, pushed to the broker and to the hub at once."""

    def __init__(
        self,
        site: Site,
        registry: Registry,
        devices: DeviceRegistry,
        files: BrokerFiles,
        accounts: list[Account],
        pairing: Pairing,
        *,
        public_broker: str | None,
        ca_pem: str | None,
        publish_config: Callable[[DeviceRecord], None],
        clear_device: Callable[[str], None],
        deliver: Callable[[str, EnrolReply], None],
    ) -> None:
        self.site = site
        self.registry = registry
        self.devices = devices
        self.files = files
        self.accounts = accounts
        self.pairing = pairing
        self.public_broker = public_broker
        self.ca_pem = ca_pem
        self.publish_config = publish_config
        self.clear_device = clear_device
        self.deliver = deliver

    def run(self, request: AdminRequest, now: datetime) -> AdminData:
        """Do what the request asks (all but approve, which waits for the device: see
        `begin_approve`); OpError or PairingError when it cannot be done."""
        verbs: dict[str, Callable[[AdminRequest, datetime], AdminData]] = {
            "list": self.listing,
            "revoke": self.revoke,
            "update": self.update,
        }
        return verbs[request.verb](request, now)

    def write_broker_files(self) -> None:
        """Rewrite Mosquitto's password and ACL files and reload it."""
        self.files.write(self.accounts, self.registry.records())

    # --- the operations ---------------------------------------------------------------

    def begin_approve(self, r: AdminRequest, now: datetime) -> list[Pending]:
        """Check an approval, then put its code to the waiting devices: the requests to
        send their challenge to (`complete_approve` once one proves the code)."""
        self._target(r)
        assert r.code is not None
        return self.pairing.challenge(r.code, now)

    def complete_approve(self, r: AdminRequest, pending: Pending, now: datetime) -> Approved:
        """Give the device that proved `r.code` its role, name and credentials."""
        if pending.kind != r.role:
            self.pairing.end_trial()
            raise OpError(
                "role_mismatch",
                f"the device showing this code runs the {pending.kind} "
                f"app; approve it with --role {pending.kind}",
            )
        existing, device_id = self._target(r)
        assert r.role is not None and r.name is not None
        counter, zone = self._placement(r.role, r, existing)
        keep_name = existing is not None and r.name.casefold() == existing.id.casefold()
        password = new_password()
        record = replace(
            existing or DeviceRecord(device_id, r.role, r.name),
            name=existing.name if keep_name and existing else r.name,
            counter=counter,
            zone=zone,
            password_hash=hash_password(password),
            enrolled_at=stamp(now),
            revoked_at=None,
            hostname=pending.hostname,
        )
        record = self.registry.put(record)
        self.write_broker_files()
        self.devices.enrol(record.device(self.registry.default_language))
        self.publish_config(record)
        bundle = Bundle(
            site=self.site.id,
            device_id=record.id,
            role=r.role,
            name=record.name,
            counter=counter,
            zone=zone,
            broker=self.public_broker,
            username=f"{record.id}@{self.site.id}",
            password=password,
            ca_pem=self.ca_pem,
        )
        answer = self.pairing.approve(pending, record.id, bundle.model_dump_json().encode(), now)
        self.deliver(pending.client_id, answer)
        return Approved(device=record.id, role=r.role, name=record.name, counter=counter, zone=zone)

    def _target(self, r: AdminRequest) -> tuple[DeviceRecord | None, str]:
        """(the existing record, the device id) an approval gives credentials to."""
        if not (r.code and r.role and r.name):
            raise OpError("invalid_request", "approve needs the pairing code, --role and --name")
        existing = self.registry.find(r.device or r.name)
        if existing is not None and existing.role != r.role:
            raise OpError(
                "conflict",
                f"{existing.id} is a {existing.role}, not a {r.role}; "
                "revoke it first or choose another name",
            )
        device_id = existing.id if existing else slug(r.device or r.name)
        if device_id in RESERVED or device_id.startswith(client_id_prefix(self.site.id)):
            raise OpError("invalid_request", f"{device_id!r} is reserved; choose another name")
        self._placement(r.role, r, existing)
        return existing, device_id

    def update(self, r: AdminRequest, now: datetime) -> Updated:
        """Change a device's name, counter or zone; it receives its new configuration."""
        record = self._existing(r.device or r.name)
        counter, zone = self._placement(record.role, r, record)
        name = r.name if r.device and r.name else record.name
        record = self.registry.put(replace(record, name=name, counter=counter, zone=zone))
        if record.revoked_at is None:
            self.devices.enrol(record.device(self.registry.default_language))
            if record.has_credentials:
                self.publish_config(record)
        return Updated(device=record.id, name=name, counter=counter, zone=zone)

    def revoke(self, r: AdminRequest, now: datetime) -> Revoked:
        """Remove a device's credentials; the broker drops its session."""
        record = self._existing(r.device or r.name)
        self.registry.put(replace(record, password_hash=None, revoked_at=stamp(now)))
        self.write_broker_files()
        self.devices.revoke(record.id)
        self.clear_device(record.id)
        return Revoked(device=record.id, reloaded=self.files.reloads)

    def listing(self, r: AdminRequest, now: datetime) -> Listing:
        """Every device with its presence, and the requests waiting for approval."""
        rows = []
        for record in self.registry.records():
            presence = self.devices.presence(record.id)
            rows.append(
                DeviceRow(
                    id=record.id,
                    role=record.role,
                    name=record.name,
                    counter=record.counter,
                    zone=record.zone,
                    state=_state(record),
                    online=bool(presence and presence.online),
                    last_seen=presence.last_seen if presence else None,
                    version=presence.version if presence else None,
                    printer=presence.printer if presence else None,
                    help_since=presence.help_since if presence else None,
                    offline_tickets=presence.offline_tickets if presence else 0,
                )
            )
        waiting = [
            PendingRow(
                kind=p.kind,
                hostname=p.hostname,
                version=p.version,
                waiting_s=int((now - p.created).total_seconds()),
                expires_in=int((p.expires - now).total_seconds()),
            )
            for p in self.pairing.pending()
        ]
        return Listing(devices=rows, pending=waiting)

    # --- helpers ----------------------------------------------------------------------

    def _existing(self, name: str | None) -> DeviceRecord:
        record = self.registry.find(name) if name else None
        if record is None:
            raise OpError("not_found", f"no device {name!r} at site {self.site.id}")
        return record

    def _placement(
        self, role: str, r: AdminRequest, existing: DeviceRecord | None
    ) -> tuple[str | None, str | None]:
        counter = self._counter(r.counter) if r.counter else (existing and existing.counter)
        zone = self._zone(r.zone) if r.zone else (existing and existing.zone)
        if role == Role.STAFF and not counter:
            raise OpError("invalid_request", "a staff terminal needs --counter")
        if role != Role.STAFF and r.counter:
            raise OpError("invalid_request", f"a {role} has no counter (only staff terminals)")
        return counter or None, zone or None

    def _counter(self, wanted: str) -> str:
        counters = self.site.counters
        return _pick("counter", wanted, {c.id: c.name for c in counters.values()})

    def _zone(self, wanted: str) -> str:
        zones = {c.zone: c.zone for c in self.site.counters.values() if c.zone}
        return _pick("zone", wanted, zones)


def _pick(kind: str, wanted: str, known: dict[str, str]) -> str:
    """An id by itself, by its name, or by its number ('3' → 'loket-3') if that is unique."""
    folded = wanted.casefold()
    for key, name in known.items():
        if folded in (key.casefold(), name.casefold()):
            return key
    by_number = [key for key in known if key.casefold().endswith(f"-{folded}")]
    if len(by_number) == 1:
        return by_number[0]
    choices = ", ".join(sorted(known)) or "none"
    raise OpError("invalid_request", f"no {kind} {wanted!r} at this site (known: {choices})")


def _state(record: DeviceRecord) -> DeviceState:
    if record.revoked_at is not None:
        return "revoked"
    return "enrolled" if record.has_credentials else "not enrolled"
