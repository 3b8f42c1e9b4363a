"""The demo app's own steps of the world: regions, organisations, rosters, leadership, logins.

They are registered (``sameboat.core.demo.demo_steps``, in ``DemoConfig.ready``) by dotted
path like every app's step, so nothing here is imported until the world is built. A domain
adds its part of the world from its own app (health: ``sameboat.health.demo``, order 100),
after these have filled the context with the organisations, regions, rosters and logins.
"""

from __future__ import annotations

from sameboat.core.demo import DemoStep

STEPS: tuple[DemoStep, ...] = (
    DemoStep("regions", "sameboat.demo.steps.regions.run", order=10),
    DemoStep("organisations", "sameboat.demo.steps.organisations.run", order=20),
    DemoStep("employees", "sameboat.demo.steps.employees.run", order=30),
    DemoStep("leadership", "sameboat.demo.steps.leadership.run", order=40),
    DemoStep("logins", "sameboat.demo.steps.accounts.run", order=50),
)
