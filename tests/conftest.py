"""Shared fixtures: a test site, an engine on an in-memory store, a desk to drive it."""

from __future__ import annotations

import os
import tempfile

# Kivy reads these at import: no argv parsing, a private home, Python logging, no audio.
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="loket-kivy-"))
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pytest

from queue_engine.adapters.memory_store import MemoryStore
from queue_engine.domain.model import Site
from queue_engine.service.engine import Engine
from tests.sites import Desk, local, make_site


@pytest.fixture
def site() -> Site:
    return make_site()


@pytest.fixture
def engine(site: Site) -> Engine:
    return Engine(site, MemoryStore())


@pytest.fixture
def desk(engine: Engine) -> Desk:
    """Tuesday 1 December 2026, 10:00 in Brussels: the town hall is open."""
    return Desk(engine, local("2026-12-01 10:00"))


from tests.mqtt_fixtures import clock, connect, hub, mosquitto  # noqa: E402, F401
from tests.ui_fixtures import screenshots, ui_env, xvfb  # noqa: E402, F401


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the real-window tests left their screenshots."""
    from tests.ui_fixtures import SCREENSHOTS

    if SCREENSHOTS.exists() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"screenshots of the apps: {SCREENSHOTS}")
