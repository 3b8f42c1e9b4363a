"""Writes to the organisation tree, regions, rosters and leadership groups.

Every function is one use case: it checks the actor may do it, changes the records in one
transaction and appends an audit event for each state change.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.accounts.roles import ADMIN_ROLES, ROSTER_ROLES
from sameboat.accounts.scoping import reaches
from sameboat.core.audit import Changes, audit, snapshot
from sameboat.core.exceptions import DomainError, PermissionDenied
from sameboat.orgs.models import (
    Employee,
    LeadershipGroup,
    LeadershipMember,
    LeadershipPosition,
    Organization,
    Region,
    RegionRule,
    RiskLevel,
)
from sameboat.orgs.selectors import region_rules_settable
from sameboat.orgs.signals import roster_changed

ORG_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "kind",
    "country",
    "region_id",
    "address",
    "contact_email",
    "contact_phone",
    "is_active",
)
EMPLOYEE_FIELDS = (
    "organization_id",
    "employee_no",
    "name",
    "name_en",
    "title",
    "phone",
    "email",
    "home_region_id",
    "is_active",
    "user_id",
)


def _require(actor: Any, organization: Organization | None, roles: frozenset[str]) -> None:
    if actor is None:  # system work: the demo builder, migrations of data
        return
    if organization is None:
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied(_("Only an administrator may do this."))
        return
    if not reaches(actor, organization, roles):
        raise PermissionDenied(_("You may not change records of %(org)s.") % {"org": organization})


# --- Organisations ---------------------------------------------------------------------------


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    parent: Organization | None,
    code: str,
    name_zh: str,
    name_en: str,
    kind: str,
    **fields: Any,
) -> Organization:
    """Add an organisation under ``parent`` (or as a new tree root)."""
    _require(actor, parent, ADMIN_ROLES)
    code = code.strip()
    if Organization.objects.filter(code=code).exists():
        raise DomainError(_("The code %(code)s is already used.") % {"code": code}, field="code")
    values = {"code": code, "name_zh": name_zh, "name_en": name_en, "kind": kind, **fields}
    org = (
        Organization.objects.add_child(parent, create_kwargs=values)
        if parent
        else Organization.objects.add_root(create_kwargs=values)
    )
    audit(
        "orgs.organization.created",
        org,
        Changes(after=snapshot(org, ORG_FIELDS) | {"parent": parent.code if parent else None}),
        actor=actor,
    )
    return org


@transaction.atomic
def organization_update(*, actor: Any, organization: Organization, **fields: Any) -> Organization:
    """Change an organisation's own fields (not its place in the tree)."""
    _require(actor, organization, ADMIN_ROLES)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    before = snapshot(org, ORG_FIELDS)
    if "code" in fields and Organization.objects.filter(code=fields["code"]).exclude(pk=org.pk).exists():
        raise DomainError(_("The code %(code)s is already used.") % {"code": fields["code"]}, field="code")
    for name, value in fields.items():
        setattr(org, name, value)
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.save()
    audit(
        "orgs.organization.updated",
        org,
        Changes.between(before, snapshot(org, ORG_FIELDS)),
        actor=actor,
        if_changed=True,
    )
    return org


@transaction.atomic
def organization_move(*, actor: Any, organization: Organization, new_parent: Organization) -> Organization:
    """Move an organisation (and its subtree) under another parent."""
    _require(actor, organization, ADMIN_ROLES)
    _require(actor, new_parent, ADMIN_ROLES)
    if new_parent.path.startswith(organization.path):
        raise DomainError(_("An organisation cannot be moved under itself."), field="parent")
    old_parent = Organization.objects.get_parent(organization)
    Organization.objects.move(organization, new_parent, "sorted-child")
    organization.refresh_from_db()
    audit(
        "orgs.organization.moved",
        organization,
        Changes(before={"parent": old_parent.code if old_parent else None}, after={"parent": new_parent.code}),
        actor=actor,
    )
    return organization


# --- Regions and their rules -------------------------------------------------------------------


@transaction.atomic
def region_create(*, actor: Any, code: str, name_zh: str, name_en: str, country: str = "CN") -> Region:
    """Add a region (administrators only)."""
    _require(actor, None, ADMIN_ROLES)
    region = Region.objects.create(code=code, name_zh=name_zh, name_en=name_en, country=country)
    audit("orgs.region.created", region, Changes(after=snapshot(region)), actor=actor)
    return region


@transaction.atomic
def region_rule_set(
    *,
    actor: Any,
    region: Region,
    risk_level: str,
    max_onsite_ratio: Decimal | float | str,
    quarantine_days: int,
    effective_from: datetime.date | None = None,
    note: str = "",
) -> RegionRule:
    """Record the region's risk level and rules from a date on (today by default).

    History is kept: a new date adds a row, the same date replaces that day's row, and the
    audit trail keeps what it replaced.
    """
    if actor is not None and not region_rules_settable(user=actor, region=region):
        raise PermissionDenied(
            _("Only HQ whose area covers every organisation in %(region)s may change its rules.") % {"region": region}
        )
    if risk_level not in RiskLevel.values:
        raise DomainError(_("Unknown risk level %(level)s.") % {"level": risk_level}, field="risk_level")
    ratio = Decimal(str(max_onsite_ratio))
    if not Decimal("0") <= ratio <= Decimal("1"):
        raise DomainError(_("The on-site ratio must be between 0 and 1."), field="max_onsite_ratio")
    if not 0 <= int(quarantine_days) <= 60:
        raise DomainError(_("Quarantine days must be between 0 and 60."), field="quarantine_days")
    day = effective_from or timezone.localdate()
    existing = RegionRule.objects.select_for_update().filter(region=region, effective_from=day).first()
    before = snapshot(existing) if existing else None
    rule, _created = RegionRule.objects.update_or_create(
        region=region,
        effective_from=day,
        defaults={
            "risk_level": risk_level,
            "max_onsite_ratio": ratio,
            "quarantine_days": int(quarantine_days),
            "note": note,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit(
        "orgs.region.rules_set",
        region,
        Changes(
            before=before,
            after=snapshot(rule, ["effective_from", "risk_level", "max_onsite_ratio", "quarantine_days", "note"]),
        ),
        actor=actor,
    )
    return rule


# --- Employees -----------------------------------------------------------------------------------


@transaction.atomic
def employee_create(*, actor: Any, organization: Organization, employee_no: str, name: str, **fields: Any) -> Employee:
    """Put a person on a unit's roster."""
    _require(actor, organization, ROSTER_ROLES)
    group = Organization.objects.get_root(organization)
    employee_no = employee_no.strip()
    if Employee.objects.filter(group=group, employee_no=employee_no).exists():
        raise DomainError(
            _("Employee number %(no)s is already used in this group.") % {"no": employee_no},
            field="employee_no",
        )
    employee = Employee.objects.create(
        organization=organization, group=group, employee_no=employee_no, name=name, **fields
    )
    audit("orgs.employee.created", employee, Changes(after=snapshot(employee, EMPLOYEE_FIELDS)), actor=actor)
    if employee.is_active:
        roster_changed.send(sender=Employee, organization_ids={organization.pk})
    return employee


@transaction.atomic
def employee_update(*, actor: Any, employee: Employee, **fields: Any) -> Employee:
    """Change a person's roster entry (moving them to another unit needs both in scope)."""
    _require(actor, employee.organization, ROSTER_ROLES)
    new_org = fields.get("organization")
    if new_org is not None and new_org.pk != employee.organization_id:
        _require(actor, new_org, ROSTER_ROLES)
        if Organization.objects.get_root(new_org).pk != employee.group_id:
            raise DomainError(_("An employee can only move within the same group."), field="organization")
    emp = Employee.objects.select_for_update().get(pk=employee.pk)
    new_no = fields.get("employee_no")
    if new_no is not None:
        fields["employee_no"] = new_no = new_no.strip()
        taken = Employee.objects.filter(group_id=emp.group_id, employee_no=new_no)
        if taken.exclude(pk=emp.pk).exists():
            raise DomainError(
                _("Employee number %(no)s is already used in this group.") % {"no": new_no},
                field="employee_no",
            )
    before = snapshot(emp, EMPLOYEE_FIELDS)
    for name, value in fields.items():
        setattr(emp, name, value)
    emp.save()
    change = Changes.between(before, snapshot(emp, EMPLOYEE_FIELDS))
    audit("orgs.employee.updated", emp, change, actor=actor, if_changed=True)
    if {"organization_id", "is_active"} & set(change.after or {}):
        roster_changed.send(sender=Employee, organization_ids={before["organization_id"], emp.organization_id})
    return emp


# --- Leadership groups --------------------------------------------------------------------------------


@transaction.atomic
def leadership_group_set(
    *,
    actor: Any,
    organization: Organization,
    name: str = "",
    established_on: datetime.date | None = None,
) -> LeadershipGroup:
    """Create or rename the organisation's emergency leadership group."""
    _require(actor, organization, ADMIN_ROLES)
    group, created = LeadershipGroup.objects.get_or_create(
        organization=organization,
        defaults={"name": name, "established_on": established_on or timezone.localdate()},
    )
    if created:
        audit("orgs.leadership.created", group, Changes(after=snapshot(group, ["name", "established_on"])), actor=actor)
        return group
    before = snapshot(group, ["name", "established_on"])
    group.name = name
    if established_on:
        group.established_on = established_on
    group.save()
    change = Changes.between(before, snapshot(group, ["name", "established_on"]))
    audit("orgs.leadership.updated", group, change, actor=actor, if_changed=True)
    return group


@transaction.atomic
def leadership_member_add(
    *,
    actor: Any,
    group: LeadershipGroup,
    position: str,
    person_name: str,
    duty: str = "",
    title: str = "",
    employee: Employee | None = None,
    order: int | None = None,
) -> LeadershipMember:
    """Seat someone in a leadership group; a group has one leader."""
    _require(actor, group.organization, ADMIN_ROLES)
    if position not in LeadershipPosition.values:
        raise DomainError(_("Unknown position %(p)s.") % {"p": position}, field="position")
    if position == LeadershipPosition.LEADER and group.members.filter(position=position).exists():
        raise DomainError(_("This leadership group already has a leader."), field="position")
    if order is None:
        order = group.members.count()
    member = LeadershipMember.objects.create(
        group=group,
        position=position,
        person_name=person_name,
        duty=duty,
        title=title,
        employee=employee,
        order=order,
    )
    audit(
        "orgs.leadership.member_added",
        member,
        Changes(after=snapshot(member, ["position", "person_name", "title", "duty", "employee_id"])),
        actor=actor,
        organization=group.organization,
    )
    return member


@transaction.atomic
def leadership_member_remove(*, actor: Any, member: LeadershipMember) -> None:
    """Take someone off a leadership group."""
    organization = member.group.organization
    _require(actor, organization, ADMIN_ROLES)
    before = snapshot(member, ["position", "person_name", "title", "duty", "employee_id"])
    audit("orgs.leadership.member_removed", member, Changes(before=before), actor=actor, organization=organization)
    member.delete()
