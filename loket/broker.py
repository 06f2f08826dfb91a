"""Brokers Loket can start by itself: Mosquitto when it is installed, amqtt otherwise.

`loket hub` without `--broker` (and the demo) start one bound to 127.0.0.1, so a new user
needs nothing else installed. The tests use the same `Mosquitto` class.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import warnings
from pathlib import Path
from typing import Any, Protocol

from link.mqtt import Broker

log = logging.getLogger(__name__)

#: Where Debian puts the broker (often not on a normal user's PATH).
MOSQUITTO_PATHS = ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")
INSTALL_HINT = "install it with: sudo apt-get install mosquitto"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on `host` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(host: str, port: int, timeout: float) -> bool:
    """Whether something accepts connections on host:port within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.02)
    return False


def mosquitto_binary() -> str | None:
    """The mosquitto executable, if installed."""
    found = shutil.which("mosquitto")
    if found:
        return found
    return next((p for p in MOSQUITTO_PATHS if Path(p).exists()), None)


class RunningBroker(Protocol):
    """A broker this process started."""

    broker: Broker

    def stop(self) -> None:
        """Stop it."""
        ...


class Mosquitto:
    """A Mosquitto process on a loopback port, with a configuration written for it."""

    def __init__(self, port: int = 0, host: str = "127.0.0.1", extra: str = "") -> None:
        self.host = host
        self.port = port or free_port(host)
        self.extra = extra
        self._dir = tempfile.TemporaryDirectory(prefix="loket-mosquitto-")
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    @property
    def broker(self) -> Broker:
        """How to reach it."""
        return Broker(self.host, self.port)

    @property
    def conf(self) -> Path:
        """Its configuration file."""
        return Path(self._dir.name) / "mosquitto.conf"

    def start(self, timeout: float = 10.0) -> Mosquitto:
        """Start the process; raises with the broker's own words if it does not come up."""
        binary = mosquitto_binary()
        if binary is None:
            raise RuntimeError(f"mosquitto is not installed; {INSTALL_HINT}")
        self.conf.write_text(
            f"listener {self.port} {self.host}\nallow_anonymous true\n"
            f"set_tcp_nodelay true\npersistence false\nmax_queued_messages 10000\n"
            f"log_dest stderr\n"
            f"log_type error\nlog_type warning\n{self.extra}",
            encoding="utf-8",
        )
        self._log = (Path(self._dir.name) / "mosquitto.log").open("wb")
        self._proc = subprocess.Popen(
            [binary, "-c", str(self.conf)], stdout=self._log, stderr=subprocess.STDOUT
        )
        if not wait_for_port(self.host, self.port, timeout):
            self.stop()
            words = (Path(self._dir.name) / "mosquitto.log").read_text(errors="replace")
            raise RuntimeError(f"mosquitto did not start on port {self.port}: {words.strip()}")
        return self

    def reload(self) -> None:
        """Make Mosquitto read its password and ACL files again (SIGHUP)."""
        if self._proc is not None:
            self._proc.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        """Stop the process (the port stays this object's, for a restart)."""
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def close(self) -> None:
        """Stop and remove the configuration."""
        self.stop()
        self._dir.cleanup()


class Amqtt:
    """A pure-Python broker (amqtt, MQTT 3.1.1) in a thread of this process."""

    def __init__(self, port: int = 0, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = port or free_port(host)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._broker: Any = None

    @property
    def broker(self) -> Broker:
        """How to reach it (MQTT 3.1.1)."""
        return Broker(self.host, self.port, protocol="3.1.1")

    def start(self, timeout: float = 10.0) -> Amqtt:
        """Start the broker's event loop in a thread."""
        from amqtt.broker import Broker as AmqttBroker

        config = {
            "listeners": {"default": {"type": "tcp", "bind": f"{self.host}:{self.port}"}},
            "plugins": {
                "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}
            },
        }
        self._loop = asyncio.new_event_loop()
        self._broker = AmqttBroker(config, loop=self._loop)
        self._thread = threading.Thread(target=self._loop.run_forever, name="amqtt", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._broker.start(), self._loop).result(timeout)
        return self

    def stop(self) -> None:
        """Shut the broker down and end its thread."""
        if self._loop is None:
            return
        loop = self._loop
        # amqtt logs its own cancelled broadcast loop as an error on shutdown: not ours.
        logging.getLogger("amqtt").setLevel(logging.CRITICAL)
        asyncio.run_coroutine_threadsafe(self._broker.shutdown(), loop).result(10)
        asyncio.run_coroutine_threadsafe(_cancel_the_rest(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=5)
        loop.close()
        self._loop = None
        # amqtt can leave a client's server-side socket to the garbage collector; collect it
        # here, quietly, rather than warn later in unrelated code.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()

    def close(self) -> None:
        """Stop it (the same as `stop`: it keeps no files)."""
        self.stop()


async def _cancel_the_rest() -> None:
    """Cancel the tasks amqtt left running, so their connections close."""
    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def start_embedded(port: int = 0) -> Mosquitto | Amqtt:
    """Mosquitto on 127.0.0.1 if installed, else the pure-Python broker."""
    if mosquitto_binary() is not None:
        log.info("starting Mosquitto on 127.0.0.1:%s", port or "a free port")
        return Mosquitto(port).start()
    log.info("Mosquitto is not installed (%s); starting the embedded broker", INSTALL_HINT)
    return Amqtt(port).start()
