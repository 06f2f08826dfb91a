"""The live ticket page in a real headless Chromium against a real hub and Mosquitto.

One browser (Debian's chromium + chromium-driver, driven by Selenium) for the module, with
a phone-sized window; screenshots land in tests/screenshots/.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from link.client import LoketClient
from link.protocol import messages as m
from link.protocol.replies import TicketView
from link.protocol.topics import HUB_DEVICE
from live_page.process import WebProcess
from tests.mqtt_fixtures import started
from tests.web_fixtures import wait_for, web_fixture  # noqa: F401

pytestmark = pytest.mark.browser
Connect = Callable[..., LoketClient]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=412,915",
    "--force-device-scale-factor=1",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    """A headless Chromium with a fresh profile, phone-sized."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("these tests need Debian's chromium and chromium-driver (run make test)")
    profile = tempfile.mkdtemp(prefix="loket-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(10)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def issue(connect: Connect, **kw: Any) -> TicketView:
    kiosk = started(connect("kiosk-inkom"))
    reply = kiosk.request("issue_ticket", service_id="paspoort", **kw)
    assert reply.ok, reply.error
    ticket: TicketView = reply.data.ticket
    return ticket


def card_text(browser: webdriver.Chrome) -> str:
    return str(browser.find_element(By.ID, "card").text)


def open_live(browser: webdriver.Chrome, web: WebProcess, url: str) -> None:
    """Open a page and wait until its event stream is connected."""
    before = web.page.open_streams
    browser.get(url)
    wait_for(lambda: web.page.open_streams > before, what="the page's event stream")


def contrast(browser: webdriver.Chrome, element_id: str) -> float:
    """WCAG contrast ratio of an element's text against its (own or inherited) background."""
    ratio: float = browser.execute_script(
        """
        function lum(c) {
          var v = c.match(/[0-9.]+/g).slice(0, 3).map(function (x) {
            x = x / 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
          });
          return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
        }
        var el = document.getElementById(arguments[0]), fg = getComputedStyle(el).color;
        var bg = 'rgba(0, 0, 0, 0)', node = el;
        while (node && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) {
          bg = getComputedStyle(node).backgroundColor; node = node.parentElement;
        }
        var a = lum(fg), b = lum(bg);
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        """,
        element_id,
    )
    return ratio


def test_the_page_shows_the_counter_within_a_second_without_reloading(
    browser: webdriver.Chrome, web: WebProcess, connect: Connect, screenshots: Path
) -> None:
    ticket = issue(connect, language="nl")
    open_live(browser, web, web.url(ticket.token))
    assert "Uw nummer" in card_text(browser) and ticket.number in card_text(browser)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"
    assert browser.find_element(By.ID, "say").get_attribute("aria-live") == "assertive"
    assert browser.find_element(By.ID, "stale").get_attribute("class") == "stale off"
    assert contrast(browser, "card") >= 7
    number_px = browser.execute_script(
        "return parseFloat(getComputedStyle(document.querySelector('.num')).fontSize)"
    )
    assert number_px >= 60
    weight = browser.execute_script(
        "return performance.getEntriesByType('navigation')[0].transferSize"
    )
    assert 0 < weight < 100_000
    browser.execute_script("window.loketSamePage = 8;")
    browser.save_screenshot(str(screenshots / "web-ticket-waiting.png"))

    staff = started(connect("staff-loket-3"))
    assert staff.request("counter_status", status="open").ok
    start = time.monotonic()
    assert staff.request("call_next").ok
    WebDriverWait(browser, 1.0, poll_frequency=0.02).until(lambda b: "Loket 3" in card_text(b))
    assert time.monotonic() - start < 1.0
    assert "Het is uw beurt!" in card_text(browser)
    assert browser.execute_script("return window.loketSamePage") == 8  # not reloaded
    assert browser.title.startswith("▶ Loket 3")
    said = browser.find_element(By.ID, "say").get_attribute("textContent")
    assert said == f"{ticket.number}: Het is uw beurt! Ga naar Loket 3"
    assert contrast(browser, "card") >= 7
    browser.save_screenshot(str(screenshots / "web-ticket-called.png"))


def test_language_switch_and_the_end_of_the_visit(
    browser: webdriver.Chrome, web: WebProcess, connect: Connect, screenshots: Path
) -> None:
    ticket = issue(connect, language="nl")
    open_live(browser, web, web.url(ticket.token))
    browser.find_element(By.LINK_TEXT, "Français").click()
    WebDriverWait(browser, 5).until(lambda b: "Votre numéro" in card_text(b))
    wait_for(lambda: web.page.open_streams == 1, what="the French page's stream")
    staff = started(connect("staff-loket-3"))
    assert staff.request("counter_status", status="open").ok
    for verb in ("call_next", "start", "finish"):
        assert staff.request(verb).ok
    WebDriverWait(browser, 2).until(lambda b: "Votre visite est terminée" in card_text(b))
    browser.save_screenshot(str(screenshots / "web-ticket-done.png"))


def test_unknown_token_and_not_live(
    browser: webdriver.Chrome, web: WebProcess, connect: Connect, screenshots: Path
) -> None:
    browser.get(web.url("Y" * 22, "en"))
    assert "Unknown ticket" in card_text(browser)
    browser.save_screenshot(str(screenshots / "web-ticket-unknown.png"))

    ticket = issue(connect, language="en")
    open_live(browser, web, web.url(ticket.token))
    other = started(connect("display-gelijkvloers"))
    offline = m.DeviceStatus(device=HUB_DEVICE, online=False).model_dump_json().encode()
    other.connection.publish(other.topics.device_status(HUB_DEVICE), offline)
    stale = browser.find_element(By.ID, "stale")
    WebDriverWait(browser, 2).until(lambda _: stale.get_attribute("class") == "stale")
    assert "Not live" in stale.text and contrast(browser, "stale") >= 7
    browser.save_screenshot(str(screenshots / "web-ticket-not-live.png"))
    online = m.DeviceStatus(device=HUB_DEVICE, online=True).model_dump_json().encode()
    other.connection.publish(other.topics.device_status(HUB_DEVICE), online)
    WebDriverWait(browser, 2).until(lambda _: stale.get_attribute("class") == "stale off")
