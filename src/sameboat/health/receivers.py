"""Health's answers to what lower layers announce (connected in HealthConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from sameboat.health.services.rollup import returns_follow_roster


def on_roster_changed(*, organization_ids: set[int], **_kwargs: Any) -> None:
    """Today's returns count the active roster: follow a roster write at once."""
    returns_follow_roster(organization_ids, timezone.localdate())
