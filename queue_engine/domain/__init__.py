"""The queue's rules, pure: standard library only, time passed in as `now`."""
