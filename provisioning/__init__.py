"""Provisioning: zeroconf discovery, device enrolment, per-device broker credentials and ACLs.

Hub side: `registry` (who is enrolled), `broker_files` (Mosquitto's password and ACL files),
`pairing` (pending requests, codes, rate limits), `service` (all of it over MQTT),
`discovery` (the zeroconf advertisement). Device side: `enrol.obtain_credentials`.
Nothing here connects, opens files or starts threads at import.
"""

#: The modules other packages may import; the rest is this package's own.
__all__ = ["admin", "broker_files", "devconfig", "discovery", "enrol", "hubside", "messages", "tls"]
