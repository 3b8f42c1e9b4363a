"""The site's own menu entries and dashboard shortcuts (audit trail, jobs, profile, admin), and
the key figures that belong to no domain (memberships, unread notifications)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from sameboat.accounts.roles import ADMIN_ROLES, AUDIT_ROLES, ROSTER_ROLES
from sameboat.accounts.scoping import has_role
from sameboat.accounts.selectors import membership_list
from sameboat.core.contributions import DashboardTile, NavEntry, dashboard_tiles, navigation, shortcuts
from sameboat.core.selectors import notification_unread_count


def audits(user: Any) -> bool:
    return has_role(user, *AUDIT_ROLES)


def superuser(user: Any) -> bool:
    return bool(user.is_superuser)


def runs_jobs(user: Any) -> bool:
    """Who starts background jobs (imports, administration) and so gets a link to them."""
    return has_role(user, *ROSTER_ROLES) or has_role(user, *ADMIN_ROLES)


def register() -> None:
    """Register the site's contributions (called once, from ``SiteConfig.ready()``)."""
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
