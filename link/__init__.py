"""The link every process shares with its hub: the MQTT wrapper, the contract, the client."""

#: The modules other packages may import; the rest is this package's own.
__all__ = ["client", "mqtt", "protocol"]
