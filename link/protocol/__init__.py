"""The MQTT contract: topics, message schemas, and how a command becomes an engine command."""
