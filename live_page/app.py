"""The live ticket page's web process: its routes, its open event streams, its hub link.

    GET  /t/<token>          the page, rendered on the server (complete without JavaScript)
    GET  /t/<token>/events   server-sent events: the card again each time it changes
    GET  /t/<token>/state    the same update as JSON, for browsers without EventSource
    POST /t/<token>/delay    "I need 10 more minutes" (only with allow_delay)
    GET  /healthz            200 while the data is live, else 503

The token is the only key. An unknown or malformed token gets the same "unknown ticket"
page, and unknown tokens are remembered so that guessing costs the hub nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from link.protocol.replies import LiveTicket, UnknownTicket
from live_page.assets import CSP
from live_page.http import HttpServer, Request, Response, Stream
from live_page.link import HubLink
from live_page.render import PageSettings, View, page, update
from live_page.texts import NOTES, clock_time, pick_language, text

log = logging.getLogger(__name__)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ROUTE = re.compile(r"^/t/([^/]+)(/events|/state|/delay)?$")
HTML = "text/html; charset=utf-8"
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex",
}
#: Tokens that asked for more time, remembered so a ticket asks once.
DELAYS_KEPT = 50_000


class _Stream:
    """One open page's event stream: the newest update waiting to be sent."""

    def __init__(self, token: str, lang: str) -> None:
        self.token = token
        self.lang = lang
        self.pending: dict[str, Any] | None = None
        self.closed = False
        self.wake = asyncio.Event()

    def push(self, data: dict[str, Any]) -> None:
        """Queue `data`, merged into anything not sent yet (a slow page gets the newest)."""
        self.pending = {**(self.pending or {}), **data}
        self.wake.set()


def _event(data: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(data, separators=(",", ":")).encode() + b"\n\n"


class LivePage:
    """Serves the live ticket pages of one site."""

    def __init__(
        self,
        settings: PageSettings,
        link: HubLink,
        *,
        host: str = "127.0.0.1",
        port: int = 8080,
        max_streams: int = 2000,
        ping_seconds: float = 15.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.link = link
        self.max_streams = max_streams
        self.ping_seconds = ping_seconds
        self.clock = clock
        self.server = HttpServer(self.handle, host, port, SECURITY_HEADERS)
        self._streams: dict[str, set[_Stream]] = defaultdict(set)
        self._count = 0
        self._delayed: OrderedDict[str, None] = OrderedDict()
        self._ask = ThreadPoolExecutor(max_workers=8, thread_name_prefix="live-page-ask")
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def port(self) -> int:
        """The port it listens on."""
        return self.server.port

    @property
    def open_streams(self) -> int:
        """How many pages have their event stream open."""
        return self._count

    async def start(self) -> None:
        """Listen, and take the hub link's news on this event loop."""
        loop = self._loop = asyncio.get_running_loop()

        def views_changed(views: dict[str, View]) -> None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody to tell
                loop.call_soon_threadsafe(self._views_changed, views)

        def live_changed(live: bool) -> None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._live_changed, live)

        self.link.on_views = views_changed
        self.link.on_live = live_changed
        await self.server.start()
        log.info("live ticket pages on http://%s:%d/t/<token>", self.server.host, self.port)

    async def close(self) -> None:
        """Close every stream and stop listening."""
        await self.server.close()
        self._ask.shutdown(wait=False, cancel_futures=True)

    # --- routes -----------------------------------------------------------------------

    async def handle(self, request: Request) -> Response | Stream:
        """Route one request; every whole response carries the security headers."""
        response = await self._route(request)
        if isinstance(response, Response):
            response.headers = {**SECURITY_HEADERS, **response.headers}
        return response

    async def _route(self, request: Request) -> Response | Stream:
        """The response to one request."""
        if request.path == "/healthz":
            return self._health()
        match = ROUTE.match(request.path)
        if match is None:
            return Response(404, b"not found\n")
        token, action = match.group(1), match.group(2) or ""
        if action == "/delay":
            if request.method != "POST" or not self.settings.allow_delay:
                return Response(405 if self.settings.allow_delay else 404, b"no\n")
            return await self._delay(request, token)
        if request.method not in ("GET", "HEAD"):
            return Response(405, b"GET only\n", headers={"Allow": "GET, HEAD"})
        view = await self._view(token) if TOKEN.match(token) else UnknownTicket()
        lang = self._language(request, view)
        if action == "/events":
            return self._events(token, lang, view)
        if action == "/state":
            data = self._update(token, view, lang)
            return Response(200, json.dumps(data).encode(), "application/json")
        note = request.query.get("note")
        html = page(
            self.settings,
            view,
            lang,
            token,
            live=self.link.live and view is not None,
            updated=self._now(),
            note=note if note in NOTES else None,
            can_delay=token not in self._delayed,
        )
        status = 503 if view is None else 404 if isinstance(view, UnknownTicket) else 200
        return Response(status, html.encode(), HTML)

    def _health(self) -> Response:
        body = {
            "live": self.link.live,
            "streams": self._count,
            "tickets": self.link.watched(),
            "refreshes": self.link.refreshes,
            "last_refresh_ms": round(self.link.refresh_seconds * 1000, 1),
        }
        return Response(
            200 if self.link.live else 503, json.dumps(body).encode(), "application/json"
        )

    async def _view(self, token: str) -> View | None:
        known = self.link.known(token)
        if known is not None:
            return known
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._ask, self.link.lookup, token)

    def _language(self, request: Request, view: View | None) -> str:
        site = self.settings.site
        return pick_language(
            site.languages,
            asked=request.query.get("lang"),
            accept=request.headers.get("accept-language"),
            ticket=view.language if isinstance(view, LiveTicket) else None,
            default=site.default_language,
        )

    def _now(self) -> str:
        return clock_time(self.clock(), self.settings.site.tz)

    def _update(self, token: str, view: View | None, lang: str) -> dict[str, Any]:
        return update(
            self.settings,
            view,
            lang,
            token,
            live=self.link.live and view is not None,
            updated=self._now(),
            can_delay=token not in self._delayed,
        )

    async def _delay(self, request: Request, token: str) -> Response:
        lang = self._language(request, None)
        asked = request.form().get("lang")
        lang = asked if asked in self.settings.site.languages else lang
        if not TOKEN.match(token):
            note = "refused"
        elif token in self._delayed:
            note = "once"
        else:
            loop = asyncio.get_running_loop()
            minutes = self.settings.delay_minutes
            reply = await loop.run_in_executor(self._ask, self.link.delay, token, minutes)
            note = "unavailable" if reply is None else "delayed" if reply.ok else "refused"
            if reply is not None and reply.ok:
                self._delayed[token] = None
                while len(self._delayed) > DELAYS_KEPT:
                    self._delayed.popitem(last=False)
        location = f"../{token}?lang={lang}&note={note}"
        return Response(303, b"", headers={"Location": location, "Cache-Control": "no-store"})

    # --- event streams ----------------------------------------------------------------

    def _events(self, token: str, lang: str, view: View | None) -> Response | Stream:
        if self._count >= self.max_streams:
            return Response(503, b"too many open pages\n", headers={"Retry-After": "30"})
        headers = {
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",  # nginx: pass each event on at once
            "X-Content-Type-Options": "nosniff",
        }

        async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await self._stream(_Stream(token, lang), view, reader, writer)

        return Stream(headers, run)

    async def _stream(
        self,
        stream: _Stream,
        view: View | None,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        token, lang = stream.token, stream.lang
        first = self._update(token, view, lang)
        if first["final"]:
            writer.write(_event(first))
            await writer.drain()
            return
        self._streams[token].add(stream)
        self._count += 1
        self.link.watch(token)
        closed = asyncio.ensure_future(self._until_closed(reader, stream))
        try:
            if self.link.known(token) is None:  # not watched before: ask once more, now watched
                view = await self._view(token)
                first = self._update(token, view, lang)
            writer.write(b"retry: 3000\n\n" + _event(first))
            await writer.drain()
            await self._send_updates(stream, writer)
        finally:
            closed.cancel()
            self._streams[token].discard(stream)
            if not self._streams[token]:
                del self._streams[token]
            self._count -= 1
            self.link.unwatch(token)

    async def _send_updates(self, stream: _Stream, writer: asyncio.StreamWriter) -> None:
        while not stream.closed:
            try:
                await asyncio.wait_for(stream.wake.wait(), self.ping_seconds)
            except TimeoutError:
                updated = text(stream.lang, "updated", time=self._now())
                data: dict[str, Any] = {"live": self.link.live, "upd": updated}
            else:
                stream.wake.clear()
                if stream.closed or stream.pending is None:
                    continue
                data, stream.pending = stream.pending, None
            writer.write(_event(data))
            await asyncio.wait_for(writer.drain(), 10)
            if data.get("final"):
                return

    @staticmethod
    async def _until_closed(reader: asyncio.StreamReader, stream: _Stream) -> None:
        """A page's browser sends nothing after its request: any read ending means it left."""
        with contextlib.suppress(ConnectionError, OSError):
            await reader.read(1024)
        stream.closed = True
        stream.wake.set()

    def _views_changed(self, views: dict[str, View]) -> None:
        for token, view in views.items():
            rendered: dict[str, dict[str, Any]] = {}
            for stream in self._streams.get(token, ()):
                if stream.lang not in rendered:
                    rendered[stream.lang] = self._update(token, view, stream.lang)
                stream.push(rendered[stream.lang])

    def _live_changed(self, live: bool) -> None:
        for streams in self._streams.values():
            for stream in streams:
                stream.push({"live": live})
