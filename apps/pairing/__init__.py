"""Pairing a device with the hub: `presenter` (what the screen shows), `enrolment` (the
thread, the credentials' checks, the restart), `window` (the Kivy app and pairing.kv)."""
