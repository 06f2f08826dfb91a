"""Prometheus metrics of the hub, in a registry of its own (no global state)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from queue_engine.service.state import QueueState


class HubMetrics:
    """Commands, their latency, waiting tickets per service, devices and broker link."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.commands = Counter(
            "loket_commands", "Commands answered", ["verb", "result"], registry=self.registry
        )
        self.latency = Histogram(
            "loket_command_seconds",
            "Time from receiving a command to sending its reply",
            ["verb"],
            buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry,
        )
        self.waiting = Gauge(
            "loket_waiting_tickets", "Tickets waiting per service", ["service"],
            registry=self.registry,
        )  # fmt: skip
        self.devices_online = Gauge(
            "loket_devices_online", "Enrolled devices reporting online", registry=self.registry
        )
        self.broker_connected = Gauge(
            "loket_broker_connected", "1 while the hub is connected to the broker",
            registry=self.registry,
        )  # fmt: skip
        self._server: Any = None

    def observe(self, verb: str, result: str, seconds: float) -> None:
        """Count one answered command."""
        self.commands.labels(verb, result).inc()
        self.latency.labels(verb).observe(seconds)

    def set_waiting(self, state: QueueState) -> None:
        """Update the waiting gauges."""
        for service in state.site.services:
            self.waiting.labels(service).set(len(state.waiting_by_service.get(service, {})))

    def serve(self, port: int, address: str = "127.0.0.1") -> None:
        """Serve /metrics over HTTP on `address:port`."""
        self._server, _thread = start_http_server(port, address, registry=self.registry)

    def close(self) -> None:
        """Stop the HTTP server."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
