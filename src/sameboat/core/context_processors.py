"""Template context every page needs: the menu entries the person may use (registered by the
apps, see core.contributions) and the unread inbox count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sameboat.core import contributions
from sameboat.core.models import Notification


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which menu entries the person sees, and how many unread notifications they have."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": contributions.entries_for(contributions.navigation, user),
        "unread_count": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
    }
