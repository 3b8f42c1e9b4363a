"""Build, detect and reset the demo world.

The world is built by the steps the apps register (``sameboat.core.demo.demo_steps``: the
demo app's own regions, organisations, rosters, leadership and logins; health's history),
run in their declared order. Each step gets the shared ``DemoContext`` (what earlier steps
made, by code) and a random generator seeded with its own key, so the world is the same on
every build and adding a step later does not change what the steps before it produce. The
build is one transaction: a failure leaves nothing half-written.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from sameboat.core.audit import Changes, audit
from sameboat.core.db import install_audit_guard, remove_audit_guard
from sameboat.core.demo import DemoContext, DemoStep, demo_steps
from sameboat.demo.data import GROUP_CODE
from sameboat.demo.data_group import GROUP
from sameboat.orgs.models import Organization
from sameboat.supplies.ledger_guard import install_ledger_guard, remove_ledger_guard

__all__ = ["DemoContext", "DemoStep", "world_build", "world_exists", "world_rebuild", "world_reset"]

SIZES = ("small", "full")
# Share of the full roster that the small world keeps (browser tests want it quick).
SMALL_SCALE = 0.06
SEED = "sameboat-demo-2020"


def world_exists() -> bool:
    """Whether the demo world is built (its group is the marker)."""
    return Organization.objects.filter(code=GROUP_CODE).exists()


def world_build(*, size: str = "full", log: Callable[[str], None] = print) -> DemoContext:
    """Build the whole world in one transaction and record one audit event for it."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size!r}")
    ctx = DemoContext(size=size, today=timezone.localdate(), log=log, group=GROUP)
    steps = [(step.key, step.resolve()) for step in demo_steps.sorted()]
    started = time.perf_counter()
    with transaction.atomic():
        for key, run in steps:
            # A generator per step: the world stays the same when steps are added later.
            ctx.rng = random.Random(f"{SEED}:{key}")
            step_started = time.perf_counter()
            run(ctx)
            log(f"  {key:<14} {time.perf_counter() - step_started:6.2f} s")
        audit(
            "demo.world.built",
            ctx.org(GROUP_CODE),
            Changes(after={"size": size, **dict(sorted(ctx.counts.items()))}),
            actor=None,
            object_repr="demo world",
        )
    ctx.seconds = time.perf_counter() - started
    return ctx


def world_reset() -> None:
    """Delete every record in the database (the audit trail too), ready for a new build.

    The audit table and the stock ledger refuse deletes, so their guards are lifted for the
    flush and put back in the same transaction, even when the flush fails.
    """
    with transaction.atomic():
        remove_audit_guard(connection)
        remove_ledger_guard(connection)
        try:
            if connection.vendor == "postgresql":
                # PostgreSQL refuses to TRUNCATE a table with foreign-key checks still
                # pending from earlier in the same transaction (as in a test): run them now.
                connection.check_constraints()
            call_command("flush", interactive=False, verbosity=0)
        finally:
            install_audit_guard(connection)
            install_ledger_guard(connection)


def world_rebuild(*, size: str = "full", log: Callable[[str], None] = print) -> DemoContext:
    """Empty the database and build the world again, all or nothing: a failed build keeps
    the old data."""
    with transaction.atomic():
        world_reset()
        log("  database emptied")
        return world_build(size=size, log=log)
