"""Loket centrally: the anonymised event logs of many sites, gathered through bridged brokers."""

#: The modules other packages may import; the rest is this package's own.
__all__ = ["collector", "store"]
