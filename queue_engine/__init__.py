"""Loket's queue: the pure domain, the service layer, the stores, the hub, the simulation."""

#: The modules other packages may import; the rest is this package's own.
__all__ = ["adapters", "domain", "hub", "importing", "reporting", "service", "simulation"]
