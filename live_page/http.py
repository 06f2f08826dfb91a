"""A deliberately small HTTP/1.1 server on asyncio: GET, HEAD and small form POSTs, one
request per connection, and long-lived responses for server-sent events.

The live page has four routes and sits behind a reverse proxy (TLS, HTTP/2, buffering),
so the standard library is enough: no dependency on the hub's machine, and one thread
holds thousands of open event streams. Anything unusual (a chunked body, a header block
over 8 KiB, a body over 4 KiB, a slow client) is refused or dropped, never waited for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger(__name__)

MAX_HEAD = 8 * 1024
MAX_BODY = 4 * 1024
HEAD_TIMEOUT = 10.0
REASONS = {
    200: "OK",
    303: "See Other",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    501: "Not Implemented",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class Request:
    """One parsed request."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""

    def form(self) -> dict[str, str]:
        """The url-encoded form in the body."""
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), max_num_fields=20))


StreamRun = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class Response:
    """A whole response."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class Stream:
    """A response that stays open: the server sends the head, then `run` writes the rest
    (it gets the reader too, to notice the client leaving)."""

    def __init__(self, headers: dict[str, str], run: StreamRun) -> None:
        self.headers = headers
        self.run = run


Handler = Callable[[Request], Awaitable[Response | Stream]]


class HttpError(Exception):
    """A request refused before it reached the handler."""

    def __init__(self, status: int) -> None:
        super().__init__(REASONS.get(status, "Error"))
        self.status = status


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _read_request(reader: asyncio.StreamReader) -> Request:
    try:
        raw = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), HEAD_TIMEOUT)
    except asyncio.LimitOverrunError:
        raise HttpError(413) from None
    head = raw.decode("latin-1").split("\r\n")
    parts = head[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise HttpError(400)
    method, target, _ = parts
    headers: dict[str, str] = {}
    for line in head[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise HttpError(400)
        headers[name.lower()] = value.strip()
    if "transfer-encoding" in headers:
        raise HttpError(501)
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError:
        raise HttpError(400) from None
    if not 0 <= length <= MAX_BODY:
        raise HttpError(413)
    body = await asyncio.wait_for(reader.readexactly(length), HEAD_TIMEOUT) if length else b""
    url = urlsplit(target)
    query = dict(parse_qsl(url.query, max_num_fields=20))
    return Request(method, url.path, query, headers, body)


class HttpServer:
    """Serves `handler` on one address."""

    def __init__(
        self, handler: Handler, host: str, port: int, headers: dict[str, str] | None = None
    ) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        #: Sent with the answers to requests refused before they reach the handler.
        self.headers = dict(headers or {})
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[object]] = set()

    async def start(self) -> None:
        """Listen (port 0: any free port, then in `self.port`)."""
        self._server = await asyncio.start_server(
            self._connection, self.host, self.port, limit=MAX_HEAD, backlog=1024
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Stop listening and end every open response."""
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._serve_one(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass  # the client went away or was too slow: nothing to answer
        except asyncio.CancelledError:
            pass  # the server is closing
        except Exception:
            log.exception("a request failed")
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve_one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        method = "GET"
        response: Response | Stream
        try:
            request = await _read_request(reader)
            method = request.method
        except HttpError as error:
            response = Response(error.status, f"{error}\n".encode(), headers=dict(self.headers))
        else:
            response = await self.handler(request)
        if isinstance(response, Stream):
            headers = {**response.headers, "Connection": "close"}
            writer.write(_head(200, headers))
            await writer.drain()
            await response.run(reader, writer)
            return
        headers = {
            "Content-Type": response.content_type,
            "Content-Length": str(len(response.body)),
            "Connection": "close",
            **response.headers,
        }
        writer.write(_head(response.status, headers))
        if method != "HEAD":
            writer.write(response.body)
        await writer.drain()
