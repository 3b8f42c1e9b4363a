"""Template context every page needs: navigation by role and the unread inbox count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sameboat.accounts.roles import AUDIT_ROLES, HEALTH_VALUE_ROLES, READ_ROLES, ROSTER_ROLES
from sameboat.accounts.scoping import has_role


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which menu entries the person sees, and how many unread notifications they have."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from sameboat.core.models import Notification
    from sameboat.health.selectors import employee_for_user

    return {
        "nav": {
            # Anyone on a roster files a daily check-in; every reading role sees the returns;
            # only the roles that read health values get the lists of people (follow-up).
            "checkin": employee_for_user(user) is not None,
            "health": has_role(user, *READ_ROLES),
            "followup": has_role(user, *HEALTH_VALUE_ROLES),
            "orgs": has_role(user, *READ_ROLES),
            "people": has_role(user, *READ_ROLES),
            "imports": has_role(user, *ROSTER_ROLES),
            "audit": has_role(user, *AUDIT_ROLES),
            "admin": user.is_superuser,
        },
        "unread_count": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
    }
