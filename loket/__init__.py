"""The `loket` command: one subcommand per part of the system."""
