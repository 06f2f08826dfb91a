"""The `loket` command: one subcommand per part of the system."""

#: The modules other packages may import; the rest is this package's own.
__all__ = ["cli"]
