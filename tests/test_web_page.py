"""The live ticket page over HTTP against a real hub and Mosquitto (no browser): the page,
its event stream, expired and unknown tickets, "I need 10 more minutes", not-live data."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from link.client import LoketClient
from link.protocol import messages as m
from link.protocol.replies import TicketView
from link.protocol.topics import HUB_DEVICE
from live_page.process import WebProcess
from loket.broker import Mosquitto, free_port
from queue_engine.hub.bootstrap import HubProcess, build_hub
from tests.mqtt_fixtures import TOWNHALL, FrozenClock, started
from tests.web_fixtures import EventStream, get, wait_for, web_fixture  # noqa: F401

Connect = Callable[..., LoketClient]


def issue(connect: Connect, service: str = "paspoort", **kw: Any) -> TicketView:
    kiosk = started(connect("kiosk-inkom"))
    reply = kiosk.request("issue_ticket", service_id=service, **kw)
    assert reply.ok, reply.error
    ticket: TicketView = reply.data.ticket
    return ticket


def post(url: str, **form: str) -> tuple[int, str]:
    """Status and Location of a form POST (redirects not followed)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    data = urllib.parse.urlencode(form).encode()
    try:
        with opener.open(urllib.request.Request(url, data=data), timeout=5) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Location", "")


def raw(web: WebProcess, request: bytes) -> str:
    """Send bytes, read the whole answer."""
    with socket.create_connection(("127.0.0.1", web.page.port), timeout=5) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer.decode("utf-8", "replace")


def test_the_page_in_the_tickets_language_small_and_private(
    web: WebProcess, connect: Connect
) -> None:
    ticket = issue(connect, language="fr")
    status, headers, html = get(web.url(ticket.token))
    assert status == 200
    assert '<html lang="fr">' in html and "Passeport" in html and ticket.number in html
    assert "Vous êtes le prochain." in html and "Attente prévue" in html
    assert len(html.encode()) < 15_000
    assert "script-src 'sha256-" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"
    assert '<meta http-equiv="refresh" content="30">' in html  # inside <noscript>
    for lang, words in (("de", "Ihre Nummer"), ("nl", "Uw nummer"), ("en", "Your number")):
        assert words in get(web.url(ticket.token, lang))[2]
    assert "Votre numéro" in get(web.url(ticket.token, "xx"))[2]


def test_the_event_stream_shows_the_counter_when_called(web: WebProcess, connect: Connect) -> None:
    ticket = issue(connect)
    events = EventStream(web, ticket.token)
    try:
        assert "text/event-stream" in events.head
        first = events.next()
        assert first["live"] and "You are next." in first["html"]
        staff = started(connect("staff-loket-3"))
        assert staff.request("counter_status", status="open").ok
        start = time.monotonic()
        assert staff.request("call_next").ok
        called = events.until(lambda d: "Loket 3" in d.get("html", ""), timeout=1.0)
        assert time.monotonic() - start < 1.0
        assert called["alert"] and "It is your turn!" in called["html"]
        assert called["say"] == f"{ticket.number}: It is your turn! Go to Loket 3"
        assert staff.request("start").ok and staff.request("finish").ok
        done = events.until(lambda d: d.get("final"))
        assert "Your visit is over." in done["html"]
    finally:
        events.close()
    wait_for(lambda: web.page.open_streams == 0, what="the stream to be let go")
    assert web.link.watched() == 0


def test_unknown_malformed_and_expired_tokens(web: WebProcess, connect: Connect) -> None:
    status, _, html = get(web.url("Z" * 22), **{"Accept-Language": "de-BE,de;q=0.9"})
    assert status == 404 and "Unbekanntes Ticket" in html and 'data-final="1"' in html
    assert get(web.url("not%20a%20token"))[0] == 404
    assert get(web.url("../../etc/passwd"))[0] == 404
    assert get(web.base_url + "/")[0] == 404
    ticket = issue(connect)
    staff = started(connect("staff-loket-3"))
    assert staff.request("cancel", number=ticket.number).ok
    status, _, html = get(web.url(ticket.token, "en"))
    assert status == 200 and "This ticket was cancelled." in html
    assert 'data-final="1"' in html and "http-equiv" not in html


def test_other_day_after_the_hub_closed_the_day(
    web: WebProcess, connect: Connect, hub: HubProcess, clock: FrozenClock
) -> None:
    ticket = issue(connect)
    clock.set(clock.now.replace(day=clock.now.day + 1))
    status, _, html = get(web.url(ticket.token, "nl"))
    assert status == 200
    assert "Dit ticket was voor een andere dag (03/12/2026) en is niet meer geldig." in html


def test_i_need_ten_more_minutes(web: WebProcess, connect: Connect, clock: FrozenClock) -> None:
    ticket = issue(connect)
    page = web.url(ticket.token)
    assert "I need 10 more minutes" in get(page + "?lang=en")[2]
    status, location = post(f"{page}/delay", lang="en")
    assert status == 303
    assert location == f"../{ticket.token}?lang=en&note=delayed"
    html = get(urllib.parse.urljoin(f"{page}/delay", location))[2]
    assert "Done: we will skip you for 10 minutes." in html
    assert "Your turn comes back from 09:10, in your place in the queue." in html
    assert "I need 10 more minutes" not in html
    assert post(f"{page}/delay", lang="en")[1].endswith("note=once")
    assert post(web.url("Q" * 22) + "/delay")[1].endswith("note=refused")


def test_without_allow_delay_there_is_no_button(
    hub: HubProcess, mosquitto: Mosquitto, connect: Connect
) -> None:
    plain = WebProcess(TOWNHALL, mosquitto.broker, port=0)
    plain.start()
    try:
        ticket = issue(connect)
        wait_for(lambda: plain.link.live)
        assert "more minutes" not in get(plain.url(ticket.token, "en"))[2]
        assert post(plain.url(ticket.token) + "/delay")[0] == 404
    finally:
        plain.close()


def test_the_page_says_when_it_is_not_live(
    mosquitto: Mosquitto, tmp_path: Path, clock: FrozenClock, connect: Connect
) -> None:
    own = build_hub(TOWNHALL, tmp_path / "site.db", mosquitto.broker, clock=clock)
    own.hub.start()
    page = WebProcess(TOWNHALL, mosquitto.broker, port=0, ping_seconds=0.5)
    page.start()
    events = None
    try:
        wait_for(lambda: page.link.live)
        ticket = issue(connect)
        events = EventStream(page, ticket.token)
        assert events.next()["live"]
        own.close()  # the hub says goodbye: its retained status turns offline
        assert events.until(lambda d: d.get("live") is False, timeout=2)
        html = get(page.url(ticket.token, "en"))[2]
        assert 'class="stale"' in html and "Not live" in html
        assert get(page.base_url + "/healthz")[0] == 503
    finally:
        if events is not None:
            events.close()
        page.close()


def test_a_hub_that_stops_answering_is_not_live(web: WebProcess, connect: Connect) -> None:
    ticket = issue(connect)
    events = EventStream(web, ticket.token)
    try:
        assert events.next()["live"]
        liar = started(connect("display-gelijkvloers"))  # any client may not, but a test may
        offline = m.DeviceStatus(device=HUB_DEVICE, online=False).model_dump_json().encode()
        liar.connection.publish(liar.topics.device_status(HUB_DEVICE), offline, retain=False)
        assert events.until(lambda d: d.get("live") is False, timeout=2)
        online = m.DeviceStatus(device=HUB_DEVICE, online=True).model_dump_json().encode()
        liar.connection.publish(liar.topics.device_status(HUB_DEVICE), online, retain=False)
        assert events.until(lambda d: d.get("live") is True, timeout=2)
    finally:
        events.close()


def test_http_oddities_are_refused_not_served(web: WebProcess) -> None:
    assert raw(web, b"BOGUS\r\n\r\n").startswith("HTTP/1.1 400")
    assert raw(web, b"GET / HTTP/1.1\r\n" + b"X: " + b"y" * 9000 + b"\r\n\r\n").startswith(
        "HTTP/1.1 413"
    )
    chunked = b"POST /t/x/delay HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    assert raw(web, chunked).startswith("HTTP/1.1 501")
    token = "Z" * 22
    assert raw(web, f"DELETE /t/{token} HTTP/1.1\r\n\r\n".encode()).startswith("HTTP/1.1 405")
    head = raw(web, f"HEAD /t/{token} HTTP/1.1\r\n\r\n".encode())
    assert head.startswith("HTTP/1.1 404") and head.endswith("\r\n\r\n")
    status, _, body = get(web.base_url + "/healthz")
    assert status == 200 and '"live": true' in body


def test_more_pages_than_allowed_get_a_clear_no(
    hub: HubProcess, mosquitto: Mosquitto, connect: Connect
) -> None:
    small = WebProcess(TOWNHALL, mosquitto.broker, port=0, max_streams=1)
    small.start()
    first = None
    try:
        ticket = issue(connect)
        wait_for(lambda: small.link.live)
        first = EventStream(small, ticket.token)
        assert first.next()["live"]
        second = raw(small, f"GET /t/{ticket.token}/events HTTP/1.1\r\n\r\n".encode())
        assert second.startswith("HTTP/1.1 503") and "Retry-After: 30" in second
    finally:
        if first is not None:
            first.close()
        small.close()


def test_loket_hub_starts_and_stops_its_page_process(
    mosquitto: Mosquitto, tmp_path: Path, connect: Connect
) -> None:
    port = free_port()
    command = [sys.executable, "-m", "loket.cli", "hub", "--config", str(TOWNHALL)]
    command += ["--db", str(tmp_path / "site.db"), "--broker", mosquitto.broker.url]
    command += ["--web-port", str(port)]
    log = (tmp_path / "hub.log").open("wb")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        health = f"http://127.0.0.1:{port}/healthz"
        wait_for(lambda: get(health)[0] == 200 if _listening(port) else False, timeout=20)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert len(children) == 1
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
        assert not Path(f"/proc/{children[0]}").exists() or _zombie(int(children[0]))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _zombie(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
