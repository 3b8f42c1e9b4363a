"""Signals the organisation layer sends, for domains above it to react without being called.

A lower layer never imports a higher one (docs/architecture.md): health keeps the day's
headcount in step with the roster by listening here, not by the roster calling health.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent by every roster write (a person added, moved, deactivated or reactivated; a roster
# import), inside its transaction, with ``organization_ids``: the units whose active
# roster may have changed. Receivers run in the same transaction, so a failure rolls the
# roster change back rather than leaving a count out of step.
roster_changed = Signal()
