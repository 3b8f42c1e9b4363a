"""Build, detect and reset the demo world.

The world is built by a sequence of steps (``sameboat.demo.steps.STEPS``). Each step gets
the shared ``DemoContext`` (what earlier steps made, by code) and a random generator seeded
with its own name, so the world is the same on every build and adding a step later does
not change what the steps before it produce. The build is one transaction: a failure
leaves nothing half-written.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from sameboat.core.audit import Changes, audit
from sameboat.core.db import install_audit_guard, remove_audit_guard
from sameboat.demo.data import GROUP_CODE
from sameboat.orgs.models import Employee, Organization, Region

SIZES = ("small", "full")
# Share of the full roster that the small world keeps (browser tests want it quick).
SMALL_SCALE = 0.06
SEED = "sameboat-demo-2020"


@dataclass
class DemoContext:
    """What the steps share: the records made so far, by code, and the counts for the log."""

    size: str
    today: datetime.date
    log: Callable[[str], None] = print
    rng: random.Random = field(default_factory=random.Random)
    orgs: dict[str, Organization] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    # Each roster in order, by organisation code (the people directly on it).
    employees: dict[str, list[Employee]] = field(default_factory=dict)
    # Who sits in each leadership seat: (organisation code, seat index) -> employee.
    seat_holders: dict[tuple[str, int], Employee] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0  # how long the build took, for the log

    @property
    def full(self) -> bool:
        return self.size == "full"

    def org(self, code: str) -> Organization:
        """An organisation made by an earlier step."""
        return self.orgs[code]

    def days_ago(self, days: int) -> datetime.date:
        """The date ``days`` before the build."""
        return self.today - datetime.timedelta(days=days)


@dataclass(frozen=True)
class Step:
    """One part of the world; ``run`` adds records through the services and counts them."""

    name: str
    run: Callable[[DemoContext], None]


def world_exists() -> bool:
    """Whether the demo world is built (its group is the marker)."""
    return Organization.objects.filter(code=GROUP_CODE).exists()


def world_build(*, size: str = "full", log: Callable[[str], None] = print) -> DemoContext:
    """Build the whole world in one transaction and record one audit event for it."""
    from sameboat.demo.steps import STEPS  # the steps import every app that adds to the world

    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size!r}")
    ctx = DemoContext(size=size, today=timezone.localdate(), log=log)
    started = time.perf_counter()
    with transaction.atomic():
        for step in STEPS:
            # A generator per step: the world stays the same when steps are added later.
            ctx.rng = random.Random(f"{SEED}:{step.name}")
            step_started = time.perf_counter()
            step.run(ctx)
            log(f"  {step.name:<14} {time.perf_counter() - step_started:6.2f} s")
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

    The audit table refuses deletes, so its guard is lifted for the flush and put back in
    the same transaction, even when the flush fails.
    """
    with transaction.atomic():
        remove_audit_guard(connection)
        try:
            if connection.vendor == "postgresql":
                # PostgreSQL refuses to TRUNCATE a table with foreign-key checks still
                # pending from earlier in the same transaction (as in a test): run them now.
                connection.check_constraints()
            call_command("flush", interactive=False, verbosity=0)
        finally:
            install_audit_guard(connection)


def world_rebuild(*, size: str = "full", log: Callable[[str], None] = print) -> DemoContext:
    """Empty the database and build the world again, all or nothing: a failed build keeps
    the old data."""
    with transaction.atomic():
        world_reset()
        log("  database emptied")
        return world_build(size=size, log=log)
