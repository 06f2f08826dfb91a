"""Loket centrally: the anonymised event logs of many sites, gathered through bridged brokers."""
