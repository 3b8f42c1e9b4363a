"""Writes of the health capability: check-ins, follow-up, quarantine, chasing, retention."""
