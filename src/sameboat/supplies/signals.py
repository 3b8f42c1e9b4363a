"""What supplies tells the domains built on it (resumption's days of cover, allocation).

``stock_moved`` is sent by the ledger service inside its transaction, once per use case,
with ``moves`` (the new Move rows); receivers must not write the ledger themselves.
"""

from django.dispatch import Signal

stock_moved = Signal()
