"""`loket demo` and the headless fleet it (and the end-to-end tests) run."""
