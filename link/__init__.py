"""The link every process shares with its hub: the MQTT wrapper, the contract, the client."""
