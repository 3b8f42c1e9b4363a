"""The steps that build the demo world, in order.

A later capability adds its part of the world by writing a module here with a
``run(ctx: DemoContext) -> None`` function and appending a ``Step`` below; earlier steps
have filled ``ctx`` with the organisations, regions, rosters and logins by code.
"""

from __future__ import annotations

from sameboat.demo.builder import Step
from sameboat.demo.steps import accounts, employees, health, leadership, organisations, regions

STEPS: tuple[Step, ...] = (
    Step("regions", regions.run),
    Step("organisations", organisations.run),
    Step("employees", employees.run),
    Step("leadership", leadership.run),
    Step("logins", accounts.run),
    Step("health", health.run),
)
