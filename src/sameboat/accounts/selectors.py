"""Reads of logins and memberships, always through scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sameboat.accounts.models import Membership
from sameboat.accounts.scoping import get_in_scope_or_404, scope


def membership_list(*, user: Any, organization: Any = None) -> QuerySet[Membership]:
    """Memberships on organisations the user may see (or their own)."""
    qs = scope(Membership.objects.select_related("user", "organization"), user, own="user")
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs.order_by("organization__path", "role", "user__username")


def membership_get(*, user: Any, pk: Any) -> Membership:
    """One membership in scope, or 404."""
    return get_in_scope_or_404(Membership.objects.select_related("user", "organization"), user, own="user", pk=pk)
