"""The service layer: the engine that runs each command in one transaction, and its handlers."""
