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
# Whom the group's health returns (counts and rates) concern, so whom the health dashboard
# is offered to: every reading role of the group. The alliance's desk agents and member
# enterprises work on the alliance's cases, not on the group's staff.
RETURNS_ROLES: frozenset[str] = READ_ROLES - {Role.DESK_AGENT, Role.ALLIANCE_MEMBER}
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


# --- Who may grant which role (issue 7: no self-promotion) ---------------------------------------
# Roles are not one line: supplies and logistics officers run the supply chain, unit officers
# run health work, desk agents run the alliance's cases. So "at or below" is stated per role:
# a role covers the roles whose every power it also holds on the same subtree. A grantor may
# grant a role only if a role they hold on the target organisation or one of its ancestors
# covers it (and only with an administering role there: ADMIN_ROLES; the rest of the table
# decides only what a grantor holding several roles may pass on).
# - HQ commands the whole group (health, supplies, the desk, the audit trail): every role.
# - A unit manager administers a subtree and does its health work (follow-ups, quarantines,
#   the roster) but holds no supply-chain or alliance powers (stock moves, allocations,
#   shipments, case triage are HQ's and the officers' own), so cannot create them.
# - Every other role covers itself, the read-only viewer (its reads are a subset of every
#   subtree role's) and the employee (own records only, the bottom of the lattice).
ROLE_COVERS: dict[str, frozenset[str]] = {
    Role.HQ_COMMANDER: frozenset(Role.values),
    Role.UNIT_MANAGER: frozenset({Role.UNIT_MANAGER, Role.UNIT_OFFICER, Role.VIEWER, Role.EMPLOYEE}),
    Role.UNIT_OFFICER: frozenset({Role.UNIT_OFFICER, Role.VIEWER, Role.EMPLOYEE}),
    Role.SUPPLIES_OFFICER: frozenset({Role.SUPPLIES_OFFICER, Role.VIEWER, Role.EMPLOYEE}),
    Role.LOGISTICS_OFFICER: frozenset({Role.LOGISTICS_OFFICER, Role.VIEWER, Role.EMPLOYEE}),
    Role.DESK_AGENT: frozenset({Role.DESK_AGENT, Role.VIEWER, Role.EMPLOYEE}),
    Role.ALLIANCE_MEMBER: frozenset({Role.ALLIANCE_MEMBER, Role.VIEWER, Role.EMPLOYEE}),
    Role.VIEWER: frozenset({Role.VIEWER, Role.EMPLOYEE}),
    Role.EMPLOYEE: frozenset({Role.EMPLOYEE}),
}
# The most powerful roles: granted (and revoked) only by someone holding the role on the
# root of the target's tree, or by a superuser. HQ reads the audit trail and sets region
# rules; an HQ commander on a company must not mint peers or superiors below the group's HQ.
TOP_ROLES: frozenset[str] = frozenset({Role.HQ_COMMANDER})
# Who may set a region's risk level and rules: HQ, and only when its scope covers every
# organisation located in the region (orgs.services.region_rule_set checks that).
REGION_RULE_ROLES: frozenset[str] = frozenset({Role.HQ_COMMANDER})


def grant_refusal(held: list[tuple[str, str]], target_path: str, role: str, root_length: int) -> str | None:
    """Why someone holding ``held`` (path, role) may not grant ``role`` on ``target_path``.

    ``None`` when they may. Pure, so the escalation property tests can drive it directly;
    the services add the superuser, self-grant and audit parts. ``root_length`` is the length
    of a tree root's path.
    """
    above = [(path, r) for path, r in held if target_path.startswith(path)]
    if not any(r in ADMIN_ROLES for _path, r in above):
        return "out_of_scope"
    if role in TOP_ROLES:
        if not any(r == role and len(path) == root_length for path, r in above):
            return "top_role_from_root_only"
        return None
    if not any(role in ROLE_COVERS.get(r, frozenset()) for _path, r in above):
        return "above_own_role"
    return None
