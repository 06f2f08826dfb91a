"""The live ticket page: a ticket's QR code opens its place in the queue on a phone."""
