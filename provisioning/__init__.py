"""Provisioning: zeroconf discovery, device enrolment, per-device broker credentials and ACLs.

Hub side: `registry` (who is enrolled), `broker_files` (Mosquitto's password and ACL files),
`pairing` (pending requests, codes, rate limits), `service` (all of it over MQTT),
`discovery` (the zeroconf advertisement). Device side: `enrol.obtain_credentials`.
Nothing here connects, opens files or starts threads at import.
"""
