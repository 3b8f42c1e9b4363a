"""The demo world's extension point: each app registers its step, the builder runs them.

``sameboat demo`` (the ``demo`` app, on top of the domains) builds the world in one
transaction by running every registered ``DemoStep`` in ``order``. An app adds its part of the
world by registering a step in its ``AppConfig.ready()``; the step's ``run`` is a dotted path,
imported only when the world is built, so that starting the site or ``demo --logins`` does
not import the simulation. A step gets the shared ``DemoContext`` (what earlier steps made,
by code) and a random generator seeded with the step's key: adding a step later does not
change what the others produce.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

from sameboat.core.registry import Registry


@dataclass
class DemoContext:
    """What the steps share: the records made so far, by code, and the counts for the log."""

    size: str
    today: datetime.date
    log: Callable[[str], None] = print
    rng: random.Random = field(default_factory=random.Random)
    # The world as data: the group's tree of organisation specs (``code``, ``country``,
    # ``walk()``), whose staff the domains' steps give a history.
    group: Any = None
    orgs: dict[str, Any] = field(default_factory=dict)  # Organization by code
    regions: dict[str, Any] = field(default_factory=dict)  # Region by code
    users: dict[str, Any] = field(default_factory=dict)  # User by login
    # Each roster in order, by organisation code (the people directly on it).
    employees: dict[str, list[Any]] = field(default_factory=dict)
    # Who sits in each leadership seat: (organisation code, seat index) -> employee.
    seat_holders: dict[tuple[str, int], Any] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0  # how long the build took, for the log

    @property
    def full(self) -> bool:
        return self.size == "full"

    def org(self, code: str) -> Any:
        """An organisation made by an earlier step."""
        return self.orgs[code]

    def days_ago(self, days: int) -> datetime.date:
        """The date ``days`` before the build."""
        return self.today - datetime.timedelta(days=days)


@dataclass(frozen=True)
class DemoStep:
    """One part of the world: ``run(ctx)`` (a callable or its dotted path) adds records
    through the services and counts them; steps run by ``order``, then registration."""

    key: str
    run: Callable[[DemoContext], None] | str
    order: int = 0

    def resolve(self) -> Callable[[DemoContext], None]:
        """The step's function (imported now when it was registered by path)."""
        run = self.run
        return import_string(run) if isinstance(run, str) else run


demo_steps: Registry[DemoStep] = Registry("demo steps")
