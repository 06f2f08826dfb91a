"""The live ticket page: a ticket's QR code opens its place in the queue on a phone."""

#: The modules other packages may import; the rest is this package's own.
__all__ = ["process"]
