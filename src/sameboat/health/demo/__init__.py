"""90 days of health reporting for the group's staff (the trade council's small roster is left out).

The step simulates every person's day in Python, then writes in bulk:

* raw check-ins only for the days the retention rule keeps (``retention_cutoff``): older
  ones would be purged anyway, and writing ~390,000 rows to delete most of them would
  cost far more than the whole rest of the world;
* the daily return of every staffed organisation for all 90 days, from the same
  simulation; for the days with raw rows ``rollup.returns_recount`` then recounts the
  check-in counters from those rows, so they hold by construction;
* quarantines (the wave after the holiday travel, recent trips, close contacts), and
  follow-up cases with their notes, opened by the fevers and symptoms that came in.

Check-ins, cases, notes and quarantines go in with plain ``executemany`` rather than
``bulk_create``: it is several times faster on SQLite, and it keeps the times the
records carry (filed at 08:12 that day, not when the demo was built), which
``auto_now_add`` fields would overwrite. Like the rosters, the history records one audit
event with its counts instead of one per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from sameboat.core.demo import DemoContext


def run(ctx: DemoContext) -> None:
    """Simulate 90 days of reporting for the group's staff and write it in bulk."""
    from sameboat.health.demo.write import History  # the simulation, only when building

    history = History(ctx)
    history.plan()
    sim = history.simulate()
    cases = history.cases(sim)
    with roomy_sqlite_cache():
        history.write(sim, cases)


@contextmanager
def roomy_sqlite_cache() -> Iterator[None]:
    """Give SQLite a 64 MB page cache while the step writes (then put the old size back).

    With the default 2 MB, the seven indexes of 120,000 new check-ins no longer fit and
    the insert runs about a third slower.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        old = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -65536")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {old}")
