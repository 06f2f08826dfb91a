"""Finding the hub without typing an address: a zeroconf (mDNS/DNS-SD) advertisement.

The hub advertises `_loket._tcp.local.` on its broker's port, with TXT records: `site`
(the site id), `v` (the protocol version, v1), `tls` (1 when devices must use TLS),
when set, `broker` (the URL devices should use) and `enrol` (the port of the anonymous
enrolment listener, when it is not the broker's). `avahi-browse -rtp _loket._tcp` shows it.
"""

from __future__ import annotations

import logging
import queue
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass

import zeroconf
from zeroconf import InterfaceChoice, ServiceBrowser, ServiceInfo, ServiceStateChange, Zeroconf

from link.protocol.topics import VERSION, check_id

log = logging.getLogger(__name__)

SERVICE_TYPE = "_loket._tcp.local."


@dataclass(frozen=True)
class HubAnnouncement:
    """What a device learns about a hub from its advertisement (`broker`: the URL to use;
    when the hub does not say, the address it was found at; `enrol`: where to enrol)."""

    site: str
    broker: str
    protocol: str = VERSION
    tls: bool = False
    name: str = ""
    enrol: str = ""
    enrol_port: int | None = None

    def properties(self) -> dict[str, str]:
        """The TXT records."""
        props = {"site": self.site, "v": self.protocol, "tls": "1" if self.tls else "0"}
        props |= {"enrol": str(self.enrol_port)} if self.enrol_port else {}
        return props | ({"broker": self.broker} if self.broker else {})

    @property
    def enrol_url(self) -> str:
        """Where an unenrolled device connects (anonymously) to ask for credentials."""
        return self.enrol or self.broker

    @classmethod
    def from_info(cls, info: ServiceInfo) -> HubAnnouncement | None:
        """Read an advertisement; None if it is not a usable Loket hub."""
        props = {
            k.decode(errors="replace"): (v or b"").decode(errors="replace")
            for k, v in info.properties.items()
        }
        tls = props.get("tls") == "1"
        addresses = info.parsed_addresses()
        broker = props.get("broker") or (
            f"{'mqtts' if tls else 'mqtt'}://{_host(addresses[0])}:{info.port}" if addresses else ""
        )
        try:
            site = check_id("site", props.get("site", ""))
        except ValueError:
            return None
        if not broker or props.get("v") != VERSION:
            return None
        port = props.get("enrol", "")
        enrol = ""
        if port.isascii() and port.isdigit() and addresses:
            enrol = f"{'mqtts' if tls else 'mqtt'}://{_host(addresses[0])}:{int(port)}"
        return cls(site, broker, props["v"], tls, info.name, enrol)


def _host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


class Advertiser:
    """The hub's advertisement, from `start` until `close`."""

    def __init__(
        self,
        announcement: HubAnnouncement,
        port: int,
        *,
        addresses: Sequence[str] | None = None,
        interfaces: Sequence[str] | None = None,
        hostname: str | None = None,
    ) -> None:
        self.announcement = announcement
        self.port = port
        self.addresses = list(addresses) if addresses else _own_addresses()
        self.interfaces = list(interfaces) if interfaces else None
        host = (hostname or socket.gethostname()).split(".")[0]
        self.info = ServiceInfo(
            SERVICE_TYPE,
            f"Loket {announcement.site}.{SERVICE_TYPE}",
            addresses=[socket.inet_pton(_family(a), a) for a in self.addresses],
            port=port,
            properties=announcement.properties(),
            server=f"{host}.local.",
        )
        self._zeroconf: Zeroconf | None = None

    def start(self) -> None:
        """Announce (takes about two seconds: mDNS first probes for a name conflict)."""
        self._zeroconf = Zeroconf(interfaces=self.interfaces or InterfaceChoice.All)
        self._zeroconf.register_service(self.info, allow_name_change=True)
        log.info("advertising %s on port %d", self.info.name, self.port)

    def close(self) -> None:
        """Withdraw the advertisement."""
        if self._zeroconf is not None:
            self._zeroconf.unregister_all_services()
            self._zeroconf.close()
            self._zeroconf = None


def _own_addresses() -> list[str]:
    """This machine's IPv4 addresses, loopback left out when there are others."""
    found: list[str] = zeroconf.get_all_addresses()  # type: ignore[attr-defined]
    outside = [a for a in found if not a.startswith("127.")]
    return outside or found


def _family(address: str) -> int:
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def discover(
    timeout: float = 10.0,
    *,
    site: str | None = None,
    interfaces: Sequence[str] | None = None,
) -> HubAnnouncement | None:
    """The first hub (of `site`, if given) advertised within `timeout` seconds, or None."""
    names: queue.Queue[str] = queue.Queue()

    def changed(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change is not ServiceStateChange.Removed:
            names.put(name)

    zc = Zeroconf(interfaces=list(interfaces) if interfaces else InterfaceChoice.All)
    browser = ServiceBrowser(zc, SERVICE_TYPE, handlers=[changed])
    deadline = time.monotonic() + timeout
    try:
        while (left := deadline - time.monotonic()) > 0:
            try:
                name = names.get(timeout=left)
            except queue.Empty:
                break
            info = zc.get_service_info(SERVICE_TYPE, name, timeout=int(max(0.1, left) * 1000))
            hub = HubAnnouncement.from_info(info) if info else None
            if hub is not None and site in (None, hub.site):
                return hub
    finally:
        browser.cancel()
        zc.close()
    return None
