"""Loket's queue: the pure model, its store, and (later) the hub that serves it."""
