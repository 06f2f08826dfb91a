"""The live page's composition root: site file → settings → hub link → HTTP server, with
the event loop in a thread of its own (so `loket web` and the tests start it the same way)."""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import Future

from link.mqtt import Broker
from live_page.app import LivePage
from live_page.link import HubLink
from live_page.render import PageSettings
from siteconfig import load_site


class WebProcess:
    """A running live page for one site."""

    def __init__(
        self,
        config_path: str | os.PathLike[str],
        broker: Broker,
        *,
        host: str = "127.0.0.1",
        port: int = 8080,
        allow_delay: bool = False,
        delay_minutes: int = 10,
        max_streams: int = 2000,
        ping_seconds: float = 15.0,
    ) -> None:
        site = load_site(config_path)
        self.settings = PageSettings(site, allow_delay=allow_delay, delay_minutes=delay_minutes)
        self.link = HubLink(site.id, broker)
        self.page = LivePage(
            self.settings,
            self.link,
            host=host,
            port=port,
            max_streams=max_streams,
            ping_seconds=ping_seconds,
        )
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="live-page-http")

    @property
    def base_url(self) -> str:
        """Where it listens, e.g. http://127.0.0.1:8080."""
        return f"http://{self.page.server.host}:{self.page.port}"

    def url(self, token: str, lang: str | None = None) -> str:
        """The page of a ticket."""
        return f"{self.base_url}/t/{token}" + (f"?lang={lang}" if lang else "")

    def start(self, timeout: float = 10.0) -> None:
        """Connect to the broker and listen; raises OSError if the port is taken."""
        self.link.start()
        self._thread.start()
        started: Future[None] = asyncio.run_coroutine_threadsafe(self.page.start(), self._loop)
        try:
            started.result(timeout)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the pages' streams, stop listening, disconnect."""
        if self._thread.is_alive():
            closing = asyncio.run_coroutine_threadsafe(self.page.close(), self._loop)
            closing.result(10)
        self.link.close()
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop.close()
