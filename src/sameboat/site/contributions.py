"""The site's own menu entries and dashboard shortcuts (audit trail, jobs, profile, admin), and
the key figures that belong to no domain (memberships, unread notifications)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy

from sameboat.accounts.roles import ADMIN_ROLES, AUDIT_ROLES, ROSTER_ROLES, Role
from sameboat.accounts.scoping import has_role
from sameboat.accounts.selectors import membership_list
from sameboat.core.contributions import (
    LANDING_PENDING,
    DashboardTile,
    Landing,
    NavEntry,
    dashboard_tiles,
    entries_for,
    landings,
    navigation,
    shortcuts,
)
from sameboat.core.selectors import notification_unread_count


def audits(user: Any) -> bool:
    return has_role(user, *AUDIT_ROLES)


def superuser(user: Any) -> bool:
    return bool(user.is_superuser)


def runs_jobs(user: Any) -> bool:
    """Who starts background jobs (imports, administration) and so gets a link to them."""
    return has_role(user, *ROSTER_ROLES) or has_role(user, *ADMIN_ROLES)


# The roles whose work is the group's dashboard: its figures are about their subtree.
DASHBOARD_ROLES = frozenset({Role.HQ_COMMANDER, Role.UNIT_MANAGER, Role.UNIT_OFFICER, Role.VIEWER})

# Roles whose domain is still to come, each with what its page says until that domain
# registers a landing of its own (which then wins: it comes first by order).
PENDING_WORK: dict[str, tuple[Any, Any]] = {
    Role.SUPPLIES_OFFICER: (
        gettext_lazy("Supplies"),
        gettext_lazy(
            "Your work here — supplier offers, donations, purchases, warehouses and their stock, and "
            "the allocation of scarce supplies — is not in Sameboat yet. This page will open on it "
            "once it is."
        ),
    ),
    Role.LOGISTICS_OFFICER: (
        gettext_lazy("Logistics"),
        gettext_lazy(
            "Your work here — shipments, their milestones and the equipment delivered abroad — is "
            "not in Sameboat yet. This page will open on it once it is."
        ),
    ),
    Role.DESK_AGENT: (
        gettext_lazy("Alliance service desk"),
        gettext_lazy(
            "Your work here — triaging member enterprises' cases, common problems and supply-demand "
            "docking — is not in Sameboat yet. This page will open on it once it is."
        ),
    ),
    Role.ALLIANCE_MEMBER: (
        gettext_lazy("Alliance member"),
        gettext_lazy(
            "Your work here — raising cases with the alliance desk and posting your needs and "
            "capacities — is not in Sameboat yet. This page will open on it once it is."
        ),
    ),
}


def pending_context(role: str) -> Callable[[Any], dict[str, Any]]:
    """What a "not here yet" landing shows: the role's words and what the person can use now."""
    title, message = PENDING_WORK[role]

    def context(user: Any) -> dict[str, Any]:
        return {"title": title, "message": message, "links": entries_for(shortcuts, user)}

    return context


def register_landings() -> None:
    """The dashboard for the roles it concerns; a plain "not here yet" for the others."""
    landings.register(Landing("dashboard", DASHBOARD_ROLES, url_name="core:home", order=10))
    for role in PENDING_WORK:
        landings.register(
            Landing(
                f"pending.{role}",
                frozenset({role}),
                template="core/landing_pending.html",
                context=pending_context(role),
                order=LANDING_PENDING,
            )
        )


def register() -> None:
    """Register the site's contributions (called once, from ``SiteConfig.ready()``)."""
    register_landings()
    navigation.register(NavEntry("audit", gettext_lazy("Audit"), "core:audit", 90, audits))
    navigation.register(NavEntry("admin", gettext_lazy("Admin"), "admin:index", 100, superuser))
    shortcuts.register(NavEntry("jobs", gettext_lazy("Background jobs"), "core:job_list", 50, runs_jobs))
    shortcuts.register(NavEntry("audit", gettext_lazy("Audit trail"), "core:audit", 60, audits))
    shortcuts.register(NavEntry("profile", gettext_lazy("My profile"), "accounts:profile", 70))
    shortcuts.register(NavEntry("admin", gettext_lazy("Administration"), "admin:index", 80, superuser))
    dashboard_tiles.register(
        DashboardTile(
            "memberships", gettext_lazy("Memberships"), lambda user: membership_list(user=user).count(), order=30
        )
    )
    dashboard_tiles.register(
        DashboardTile(
            "unread",
            gettext_lazy("Unread notifications"),
            lambda user: notification_unread_count(user=user),
            "core:inbox",
            40,
            alert_when_positive=True,
            query="?unread=1",
        )
    )
