"""The hub's device registry, kept in `registry.json` in the provisioning directory.

It starts from the site file's devices (pre-enrolled: known, but without credentials
until a device is approved under that name) and adds what enrolment brings. It holds
password hashes only, never a password. Only the hub process writes it.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from link.protocol.roles import Device, Role
from provisioning.files import private_dir, read_json, write_json
from siteconfig import SiteConfig

FILE = "registry.json"
#: Fields of a site file's device that travel in its configuration message.
SETTINGS = ("languages", "printer", "printer_profile", "mode", "large_text", "high_contrast")


@dataclass(frozen=True)
class DeviceRecord:
    """One device: who it is, where it works, and its broker credential (hashed)."""

    id: str
    role: Role
    name: str
    counter: str | None = None
    zone: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    password_hash: str | None = field(default=None, repr=False)
    source: str = "enrolled"
    enrolled_at: str | None = None
    revoked_at: str | None = None
    hostname: str | None = None
    revision: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))  # read back from JSON as text

    @property
    def has_credentials(self) -> bool:
        """Whether the broker lets it in."""
        return self.password_hash is not None

    def device(self, default_language: str) -> Device:
        """The hub's view of it."""
        languages = self.settings.get("languages") or [default_language]
        return Device(self.id, self.role, self.counter, self.zone, languages[0], name=self.name)


def slug(name: str) -> str:
    """A device id from a name: 'Kiosk inkom' → 'kiosk-inkom'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return text[:64].rstrip("-") or "device"


class Registry:
    """Enrolled and pre-enrolled devices of one site, saved on every change."""

    def __init__(self, folder: str | os.PathLike[str], site: str, default_language: str) -> None:
        self.folder = Path(folder)
        self.site = site
        self.default_language = default_language
        self._records: dict[str, DeviceRecord] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(cls, folder: str | os.PathLike[str], config: SiteConfig) -> Registry:
        """Load the registry (or start one) and add the site file's devices it lacks."""
        private_dir(folder)
        registry = cls(folder, config.site.id, config.site.default_language)
        path = registry.path
        if path.exists():
            raw = read_json(path)
            if raw.get("site") != config.site.id:
                theirs = raw.get("site")
                raise ValueError(f"{path} belongs to site {theirs!r}, not {config.site.id!r}")
            for item in raw.get("devices", []):
                record = DeviceRecord(**item)
                registry._records[record.id] = record
        for d in config.devices:
            if d.id not in registry._records:
                settings = d.model_dump(mode="json", include=set(SETTINGS), exclude_none=True)
                registry._records[d.id] = DeviceRecord(
                    d.id, Role(d.role), d.name, d.counter, d.zone, settings, source="site"
                )
        registry.save()
        return registry

    @property
    def path(self) -> Path:
        """The registry file."""
        return self.folder / FILE

    def save(self) -> None:
        """Write the registry (owner-only: it holds password hashes)."""
        with self._lock:
            records = [asdict(r) for r in sorted(self._records.values(), key=lambda r: r.id)]
        write_json(self.path, {"v": 1, "site": self.site, "devices": records})

    def records(self) -> list[DeviceRecord]:
        """Every device, by id."""
        with self._lock:
            return sorted(self._records.values(), key=lambda r: r.id)

    def get(self, device_id: str) -> DeviceRecord | None:
        """A device by id."""
        with self._lock:
            return self._records.get(device_id)

    def find(self, name: str) -> DeviceRecord | None:
        """A device by id, by name (case-insensitive), or by the id its name would get."""
        wanted = name.strip().casefold()
        with self._lock:
            records = sorted(self._records.values(), key=lambda r: r.id)
        by_id = [r for r in records if r.id.casefold() == wanted]
        by_name = [r for r in records if r.name.casefold() == wanted]
        by_slug = [r for r in records if r.id == slug(name)]
        found = by_id or by_name or by_slug
        return found[0] if found else None

    def put(self, record: DeviceRecord) -> DeviceRecord:
        """Add or replace a device and save; its configuration revision goes up by one."""
        with self._lock:
            old = self._records.get(record.id)
            record = replace(record, revision=(old.revision if old else record.revision) + 1)
            self._records[record.id] = record
        self.save()
        return record

    def devices(self) -> list[Device]:
        """The hub's view of every device that is not revoked."""
        return [r.device(self.default_language) for r in self.records() if r.revoked_at is None]


def stamp(now: datetime) -> str:
    """A time as the registry writes it."""
    return now.isoformat(timespec="seconds")
