"""The hub process: a site's queue served over MQTT."""
