"""Adapters from the engine's ports to real things (SQLite)."""
