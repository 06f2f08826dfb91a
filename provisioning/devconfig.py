"""A device's own configuration, as the hub publishes it (retained, readable by it alone).

    on_config(client, apply)   # `apply` gets the current configuration, then every change

The callback runs on the network thread, like every LoketClient callback.
"""

from __future__ import annotations

from collections.abc import Callable

from link.client import LoketClient
from provisioning.messages import DeviceConfigMessage


def on_config(client: LoketClient, callback: Callable[[DeviceConfigMessage], None]) -> None:
    """Deliver this device's configuration message to `callback` (call before `start`)."""
    topic = client.topics.device_config(client.device_id)
    client._typed(topic, DeviceConfigMessage, callback)  # LoketClient has no on_config (yet)
