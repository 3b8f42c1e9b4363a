"""Writes to the organisation tree, rosters, leadership groups and region rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sameboat.core.exceptions import DomainError, PermissionDenied
from sameboat.core.models import AuditEvent
from sameboat.orgs import services
from sameboat.orgs.models import Employee, LeadershipMember, Organization, RegionRule
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# --- organisations ------------------------------------------------------------------------------


def test_organization_create_under_parent_is_audited(world):
    org = services.organization_create(
        actor=world.hq,
        parent=world.company_a,
        code=" CA2 ",
        name_zh="甲二",
        name_en="Unit A2",
        kind="unit",
    )
    assert org.code == "CA2"
    assert Organization.objects.get_parent(org) == world.company_a
    [event] = _events("orgs.organization.created")
    assert event.actor == world.hq and event.object_id == str(org.pk)
    assert event.after["parent"] == "CA" and event.after["name_en"] == "Unit A2"


def test_organization_create_root_needs_a_superuser(world):
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=world.hq, parent=None, code="NEW", name_zh="新", name_en="New", kind="association"
        )
    assert not Organization.objects.filter(code="NEW").exists()


def test_organization_create_out_of_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=world.officer_b,
            parent=world.company_a,
            code="X1",
            name_zh="x",
            name_en="x",
            kind="unit",
        )
    assert not _events("orgs.organization.created")


def test_organization_create_duplicate_code(world):
    with pytest.raises(DomainError) as err:
        services.organization_create(
            actor=world.hq, parent=world.group, code="CB", name_zh="x", name_en="x", kind="company"
        )
    assert err.value.field == "code"


def test_organization_update_records_only_what_changed(world):
    services.organization_update(
        actor=world.hq, organization=world.company_a, name_en="Company A Ltd", name_zh="甲公司"
    )
    [event] = _events("orgs.organization.updated")
    assert event.before == {"name_en": "Company A"} and event.after == {"name_en": "Company A Ltd"}


def test_organization_update_without_change_is_not_audited(world):
    services.organization_update(actor=world.hq, organization=world.company_a, name_en="Company A")
    assert not _events("orgs.organization.updated")


@pytest.mark.parametrize("user_attr", ["viewer_a", "officer_a", "officer_b"])
def test_organization_update_refused_to_non_admins(world, user_attr):
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=getattr(world, user_attr), organization=world.company_a, name_en="Hacked")
    world.company_a.refresh_from_db()
    assert world.company_a.name_en == "Company A"


def test_organization_move_is_audited_and_moves_the_subtree(world):
    services.organization_move(actor=world.hq, organization=world.company_a, new_parent=world.company_b)
    world.unit_a1.refresh_from_db()
    world.company_b.refresh_from_db()
    assert world.unit_a1.path.startswith(world.company_b.path)
    [event] = _events("orgs.organization.moved")
    assert event.before == {"parent": "GRP"} and event.after == {"parent": "CB"}


def test_organization_move_under_itself_is_refused(world):
    with pytest.raises(DomainError):
        services.organization_move(actor=world.hq, organization=world.company_a, new_parent=world.unit_a1)


def test_organization_move_needs_both_ends_in_scope(world):
    from sameboat.accounts.roles import Role
    from tests.factories import UserFactory, grant

    manager_a = UserFactory(username="manager_a")
    grant(manager_a, world.company_a, Role.UNIT_MANAGER)
    with pytest.raises(PermissionDenied):
        services.organization_move(actor=manager_a, organization=world.unit_a1, new_parent=world.company_b)
    assert not _events("orgs.organization.moved")


# --- employees ----------------------------------------------------------------------------------


def test_employee_create_sets_the_group_and_audits(world):
    emp = services.employee_create(
        actor=world.officer_a, organization=world.unit_a1, employee_no=" A-009 ", name="新人"
    )
    assert emp.group == world.group and emp.employee_no == "A-009"
    [event] = _events("orgs.employee.created")
    assert event.organization_id == world.unit_a1.pk


def test_employee_create_number_unique_in_group(world):
    with pytest.raises(DomainError) as err:
        services.employee_create(actor=world.hq, organization=world.unit_a1, employee_no="B-001", name="Dup")
    assert err.value.field == "employee_no"


def test_employee_create_refused_out_of_scope_and_to_viewer(world):
    for actor in (world.officer_b, world.viewer_a):
        with pytest.raises(PermissionDenied):
            services.employee_create(actor=actor, organization=world.unit_a1, employee_no="Z-1", name="Z")
    assert not Employee.objects.filter(employee_no="Z-1").exists()


def test_employee_update_audits_the_change(world):
    services.employee_update(actor=world.officer_a, employee=world.employee_a, title="Engineer")
    [event] = _events("orgs.employee.updated")
    assert event.before == {"title": ""} and event.after == {"title": "Engineer"}


def test_employee_update_refuses_a_number_used_in_the_group(world):
    with pytest.raises(DomainError) as err:
        services.employee_update(actor=world.hq, employee=world.employee_a, employee_no="B-001")
    assert err.value.field == "employee_no"
    world.employee_a.refresh_from_db()
    assert world.employee_a.employee_no == "A-001"


def test_employee_update_move_needs_the_target_in_scope(world):
    with pytest.raises(PermissionDenied):
        services.employee_update(actor=world.officer_a, employee=world.employee_a, organization=world.unit_b1)
    services.employee_update(actor=world.hq, employee=world.employee_a, organization=world.unit_b1)
    world.employee_a.refresh_from_db()
    assert world.employee_a.organization == world.unit_b1


def test_employee_update_refused_out_of_scope(world):
    with pytest.raises(PermissionDenied):
        services.employee_update(actor=world.officer_b, employee=world.employee_a, name="Hacked")


# --- leadership groups --------------------------------------------------------------------------


def test_leadership_group_set_creates_then_renames(world):
    group = services.leadership_group_set(actor=world.hq, organization=world.company_a, name="Group A")
    services.leadership_group_set(actor=world.hq, organization=world.company_a, name="Group A (2)")
    group.refresh_from_db()
    assert group.name == "Group A (2)"
    assert len(_events("orgs.leadership.created")) == 1
    [renamed] = _events("orgs.leadership.updated")
    assert renamed.before == {"name": "Group A"}


def test_one_leader_only(world):
    group = services.leadership_group_set(actor=world.hq, organization=world.company_a)
    services.leadership_member_add(actor=world.hq, group=group, position="leader", person_name="First")
    with pytest.raises(DomainError) as err:
        services.leadership_member_add(actor=world.hq, group=group, position="leader", person_name="Second")
    assert err.value.field == "position"
    services.leadership_member_add(actor=world.hq, group=group, position="deputy", person_name="Deputy")
    assert sorted(group.members.values_list("position", flat=True)) == ["deputy", "leader"]


def test_leadership_member_add_and_remove_are_audited(world):
    group = services.leadership_group_set(actor=world.hq, organization=world.company_a)
    seat = services.leadership_member_add(
        actor=world.hq, group=group, position="member", person_name="Seat", duty="logistics"
    )
    services.leadership_member_remove(actor=world.hq, member=seat)
    assert not LeadershipMember.objects.filter(pk=seat.pk).exists()
    [added] = _events("orgs.leadership.member_added")
    [removed] = _events("orgs.leadership.member_removed")
    assert added.after["duty"] == "logistics" and removed.before["person_name"] == "Seat"
    assert removed.organization_id == world.company_a.pk


def test_leadership_refused_out_of_scope(world):
    group = services.leadership_group_set(actor=world.hq, organization=world.company_a)
    with pytest.raises(PermissionDenied):
        services.leadership_member_add(actor=world.officer_b, group=group, position="member", person_name="X")
    with pytest.raises(PermissionDenied):
        services.leadership_group_set(actor=world.viewer_a, organization=world.company_a, name="x")


# --- region rules -------------------------------------------------------------------------------


def test_region_rule_set_keeps_history(world):
    region = RegionFactory()
    services.region_rule_set(
        actor=world.hq,
        region=region,
        risk_level="high",
        max_onsite_ratio="0.2",
        quarantine_days=14,
        effective_from=datetime.date(2020, 2, 1),
    )
    services.region_rule_set(
        actor=world.hq,
        region=region,
        risk_level="low",
        max_onsite_ratio="0.9",
        quarantine_days=0,
        effective_from=datetime.date(2020, 5, 1),
    )
    rules = list(RegionRule.objects.filter(region=region).order_by("effective_from"))
    assert [r.risk_level for r in rules] == ["high", "low"]
    assert rules[0].max_onsite_ratio == Decimal("0.200")
    assert len(_events("orgs.region.rules_set")) == 2


def test_region_rule_same_day_replaces_and_the_trail_keeps_the_old(world):
    region = RegionFactory()
    day = datetime.date(2020, 3, 1)
    services.region_rule_set(
        actor=world.hq,
        region=region,
        risk_level="high",
        max_onsite_ratio="0.2",
        quarantine_days=14,
        effective_from=day,
    )
    services.region_rule_set(
        actor=world.hq,
        region=region,
        risk_level="medium",
        max_onsite_ratio="0.5",
        quarantine_days=7,
        effective_from=day,
    )
    assert RegionRule.objects.get(region=region, effective_from=day).risk_level == "medium"
    last = _events("orgs.region.rules_set")[-1]
    assert last.before["risk_level"] == "high" and last.after["risk_level"] == "medium"


@pytest.mark.parametrize(
    "field,value", [("risk_level", "extreme"), ("max_onsite_ratio", "1.2"), ("quarantine_days", 90)]
)
def test_region_rule_bad_values_name_the_field(world, field, value):
    values = {"risk_level": "low", "max_onsite_ratio": "0.5", "quarantine_days": 7}
    values[field] = value
    with pytest.raises(DomainError) as err:
        services.region_rule_set(actor=world.hq, region=RegionFactory(), **values)
    assert err.value.field == field


def test_region_rule_set_is_for_hq_only(world):
    region = RegionFactory()
    for actor in (world.officer_a, world.viewer_a):
        with pytest.raises(PermissionDenied):
            services.region_rule_set(
                actor=actor,
                region=region,
                risk_level="low",
                max_onsite_ratio="0.5",
                quarantine_days=7,
            )
    assert not region.rules.exists()
