"""Provisioning in the hub's process: the registry, Mosquitto's files, the service, the
advertisement. `loket hub --provisioning DIR [--advertise]` uses it:

    prov = HubProvisioning.open(config_path, folder, broker)   # broker files written
    process = build_hub(config_path, db, prov.broker, devices=prov.devices())
    process.hub.start(); prov.start(process.hub)
    ...
    prov.close(); process.close()
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from link.mqtt import Broker
from link.protocol.roles import Device
from link.protocol.topics import HUB_DEVICE, WEB_DEVICE
from provisioning.broker_files import (
    ADMIN,
    PROVISIONING,
    Account,
    BrokerFiles,
    Reload,
    service_account,
)
from provisioning.discovery import Advertiser, HubAnnouncement
from provisioning.files import read_json, write_json
from provisioning.pairing import Pairing
from provisioning.registry import Registry
from provisioning.service import ProvisioningService
from queue_engine.hub.hub import Hub
from siteconfig import SiteConfig, load_site_config

#: What `loket devices` reads to reach the hub: the admin account and the broker.
ADMIN_FILE = "admin.json"


@dataclass
class HubProvisioning:
    """Everything provisioning needs in the hub process."""

    config: SiteConfig
    registry: Registry
    files: BrokerFiles
    accounts: list[Account]
    broker: Broker
    service_broker: Broker
    public_broker: str | None
    ca_pem: str | None = None
    advertiser: Advertiser | None = None
    pairing: Pairing = field(default_factory=Pairing)
    service: ProvisioningService | None = None

    @classmethod
    def open(
        cls,
        config_path: str | os.PathLike[str],
        folder: str | os.PathLike[str],
        broker: Broker,
        *,
        public_broker: str | None = None,
        broker_dir: str | os.PathLike[str] | None = None,
        reload: Reload | None = None,
        ca_file: str | os.PathLike[str] | None = None,
        advertise: bool = False,
        advertise_addresses: list[str] | None = None,
        interfaces: list[str] | None = None,
        enrol_port: int | None = None,
    ) -> HubProvisioning:
        """Load (or start) the registry, write Mosquitto's files and reload it."""
        config = load_site_config(config_path)
        site = config.site.id
        registry = Registry.open(folder, config)
        who = (HUB_DEVICE, ADMIN, WEB_DEVICE, PROVISIONING)
        accounts = [service_account(folder, site, name) for name in who]
        files = BrokerFiles(Path(broker_dir or Path(folder) / "broker"), site, reload)
        files.write(accounts, registry.records())
        hub_account = accounts[0]
        broker = replace(broker, username=hub_account.username, password=hub_account.password)
        service = accounts[3]
        service_broker = replace(broker, username=service.username, password=service.password)
        _write_admin_file(Path(folder), site, broker.url, ca_file)
        ca_pem = Path(ca_file).read_text(encoding="ascii") if ca_file else None
        advertiser = None
        if advertise:
            # Without --public-broker, devices use the address they found the hub at.
            public = Broker.parse(public_broker) if public_broker else broker
            announcement = HubAnnouncement(
                site, public_broker or "", tls=public.tls, enrol_port=enrol_port
            )
            advertiser = Advertiser(
                announcement, public.port, addresses=advertise_addresses, interfaces=interfaces
            )
        pairing = Pairing(site=site)
        return cls(
            config,
            registry,
            files,
            accounts,
            broker,
            service_broker,
            public_broker,
            ca_pem,
            advertiser,
            pairing,
        )

    @property
    def web_credentials(self) -> str:
        """The live page's credentials file (`loket web --credentials`)."""
        return str(Path(self.registry.path).parent / f"{WEB_DEVICE}.json")

    def devices(self) -> list[Device]:
        """The hub's devices: the registry's, not revoked."""
        return self.registry.devices()

    def start(self, hub: Hub) -> None:
        """Serve enrolment and admin requests beside `hub`, and advertise it."""
        self.service = ProvisioningService(
            hub.site,
            self.registry,
            hub.devices,
            self.service_broker,
            self.files,
            self.accounts,
            public_broker=self.public_broker,
            ca_pem=self.ca_pem,
            clock=hub.clock,
            pairing=self.pairing,
        )
        self.service.start()
        if self.advertiser is not None:
            self.advertiser.start()

    def close(self) -> None:
        """Stop advertising and serving."""
        if self.advertiser is not None:
            self.advertiser.close()
        if self.service is not None:
            self.service.stop()
            self.service = None


def _write_admin_file(folder: Path, site: str, broker_url: str, ca_file: object) -> None:
    path = folder / f"{ADMIN}.json"
    raw = read_json(path)
    raw.update({"site": site, "broker": broker_url, "ca_file": str(ca_file) if ca_file else None})
    write_json(path, raw)


def admin_broker(folder: str | os.PathLike[str]) -> tuple[str, Broker]:
    """(site, broker with the admin's credential) from the provisioning directory."""
    path = Path(folder) / f"{ADMIN}.json"
    try:
        raw = read_json(path)
    except FileNotFoundError:
        raise ValueError(f"{path} not found: start the hub with --provisioning {folder}") from None
    except PermissionError:
        raise ValueError(f"{path}: permission denied (run as the hub's user or root)") from None
    parsed = Broker.parse(raw["broker"])
    broker = replace(
        parsed,
        username=raw["username"],
        password=raw["password"],
        ca_file=raw.get("ca_file") or parsed.ca_file,
    )
    return raw["site"], broker
