"""The hub's composition root: config → store → engine → devices → MQTT."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, replace

from link.mqtt import Broker
from link.protocol.roles import Device, Role
from queue_engine.adapters.sqlite_store import SqliteStore
from queue_engine.hub.devices import DeviceRegistry
from queue_engine.hub.hub import Clock, Hub, system_clock
from queue_engine.hub.metrics import HubMetrics
from queue_engine.service.engine import Engine
from siteconfig import SiteConfig, load_site_config


def devices_of(config: SiteConfig) -> list[Device]:
    """The devices a site file enrols."""
    default = config.site.default_language
    return [
        Device(
            id=d.id,
            role=Role(d.role),
            counter=d.counter,
            zone=d.zone,
            default_language=(d.languages or [default])[0],
            name=d.name,
            floor=d.floor,
            room=d.room,
        )
        for d in config.devices
    ]


def placed(devices: Iterable[Device], config: SiteConfig) -> list[Device]:
    """Enrolled devices with their floor and room from the site file, where it names them."""
    places = {d.id: d for d in config.devices}
    return [
        replace(d, floor=places[d.id].floor, room=places[d.id].room) if d.id in places else d
        for d in devices
    ]


@dataclass
class HubProcess:
    """A wired hub and what it owns, to close in order."""

    hub: Hub
    store: SqliteStore
    metrics: HubMetrics

    def close(self) -> None:
        """Stop serving, then close the store and the metrics server."""
        self.hub.stop()
        self.store.close()
        self.metrics.close()


def build_hub(
    config_path: str | os.PathLike[str],
    db_path: str | os.PathLike[str],
    broker: Broker,
    *,
    clock: Clock = system_clock,
    tick_seconds: float = 15.0,
    metrics_port: int | None = None,
    devices: Iterable[Device] | None = None,
) -> HubProcess:
    """Read the site file, open the store, and wire a hub (not started yet); `devices`
    (from the provisioning registry) replaces the site file's devices."""
    config = load_site_config(config_path)
    site = config.to_site()
    store = SqliteStore(db_path, site.id)
    metrics = HubMetrics()
    try:
        if metrics_port is not None:
            metrics.serve(metrics_port)
        hub = Hub(
            site,
            Engine(site, store),
            broker,
            devices=DeviceRegistry(
                devices_of(config) if devices is None else placed(devices, config)
            ),
            clock=clock,
            tick_seconds=tick_seconds,
            metrics=metrics,
        )
    except BaseException:
        store.close()
        metrics.close()
        raise
    return HubProcess(hub, store, metrics)
