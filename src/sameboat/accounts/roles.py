"""Roles a membership can carry, and which of them read or change what."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    UNIT_OFFICER = "unit_officer", _("Unit epidemic-prevention officer")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    HQ_COMMANDER = "hq_commander", _("HQ commander")
    SUPPLIES_OFFICER = "supplies_officer", _("Supplies officer")
    LOGISTICS_OFFICER = "logistics_officer", _("Logistics officer")
    DESK_AGENT = "desk_agent", _("Alliance desk agent")
    ALLIANCE_MEMBER = "alliance_member", _("Alliance member enterprise")
    VIEWER = "viewer", _("Viewer (read-only)")


# An employee sees only their own records, so that role reads no subtree.
READ_ROLES: frozenset[str] = frozenset(r.value for r in Role if r != Role.EMPLOYEE)
# Who may change organisations, rosters, memberships and leadership groups in a subtree.
ADMIN_ROLES: frozenset[str] = frozenset({Role.HQ_COMMANDER, Role.UNIT_MANAGER})
# Who may manage people (the roster) in a subtree.
ROSTER_ROLES: frozenset[str] = frozenset({Role.HQ_COMMANDER, Role.UNIT_MANAGER, Role.UNIT_OFFICER})
# Who reads the audit trail of a subtree.
AUDIT_ROLES: frozenset[str] = frozenset({Role.HQ_COMMANDER})
# Who reads other people's individual health values in a subtree (temperatures, symptoms,
# contact and travel answers, cases and their notes, quarantines, check-in histories), and
# so who may report for them. Everyone else sees the returns' counts and rates only.
HEALTH_VALUE_ROLES: frozenset[str] = frozenset({Role.HQ_COMMANDER, Role.UNIT_MANAGER, Role.UNIT_OFFICER})
