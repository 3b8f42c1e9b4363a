"""The demo world tells the seeds' story: the facts DOMAIN.md lists hold after a build."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import authenticate
from django.db.models import Count
from django.test import RequestFactory

from sameboat.accounts.models import Membership, User
from sameboat.demo.data import COUNCIL_CODE, GROUP_CODE, IMPORT_COMPANY_CODE, INTL_COMPANY_CODE
from sameboat.demo.data_outside import (
    ALLIANCE_CODE,
    DIPLOMATIC_CODE,
    DONORS_CODE,
    HOSPITALS_CODE,
    SUPPLIERS_CODE,
)
from sameboat.demo.logins import DEMO_PASSWORD, LOGINS
from sameboat.orgs.models import (
    Employee,
    LeadershipGroup,
    LeadershipPosition,
    Organization,
    OrgKind,
    RegionRule,
)

pytestmark = pytest.mark.usefixtures("small_world")


def children(code: str):
    return Organization.objects.get_children(Organization.objects.get(code=code))


def descendants(code: str):
    return Organization.objects.get_descendants(Organization.objects.get(code=code))


def test_the_international_company_has_offices_in_the_four_seed_countries(db):
    offices = children(INTL_COMPANY_CODE).filter(kind=OrgKind.OVERSEAS_OFFICE)
    assert sorted(o.country.code for o in offices) == ["BT", "LK", "MM", "PK"]


def test_the_city_council_has_offices_in_sri_lanka_pakistan_and_bhutan(db):
    offices = children(COUNCIL_CODE).filter(kind=OrgKind.OVERSEAS_OFFICE)
    assert sorted(o.country.code for o in offices) == ["BT", "LK", "PK"]
    seats = LeadershipGroup.objects.get(organization__code=COUNCIL_CODE).members.all()
    assert [(s.position, s.title) for s in seats[:3]] == [
        (LeadershipPosition.LEADER, "秘书长"),
        (LeadershipPosition.DEPUTY, "副秘书长"),
        (LeadershipPosition.DEPUTY, "副秘书长"),
    ]
    assert all(s.title.endswith(("部长", "主任")) for s in seats[3:])


def test_the_group_has_member_companies_and_units_across_regions(db):
    companies = children(GROUP_CODE).filter(kind=OrgKind.COMPANY)
    assert companies.count() >= 8
    assert {IMPORT_COMPANY_CODE, INTL_COMPANY_CODE} <= {c.code for c in companies}
    units = descendants(GROUP_CODE).filter(kind=OrgKind.UNIT)
    assert units.count() > 30  # the import company supplied over 30 sister units (seed 000)
    assert units.values("region").distinct().count() >= 6


def test_the_alliance_has_sixteen_associations_each_with_members(db):
    associations = children(ALLIANCE_CODE)
    assert associations.count() == 16
    assert {a.kind for a in associations} == {OrgKind.ASSOCIATION}
    assert {"AS-CEC", "AS-CISA", "AS-CNCA", "AS-CNTAC", "AS-CNIA"} <= {a.code for a in associations}
    for association in associations:
        members = Organization.objects.get_children(association)
        assert members.count() >= 3
        assert {m.kind for m in members} == {OrgKind.ENTERPRISE}


def test_suppliers_come_from_more_than_ten_countries(db):
    suppliers = children(SUPPLIERS_CODE)
    assert 45 <= suppliers.count() <= 55
    countries = {s.country.code for s in suppliers}
    assert len(countries) >= 12
    assert {"LK", "IN", "PK", "US", "FR", "ZA", "CO", "PL", "CZ", "IL", "FI", "TH"} <= countries


def test_seventy_three_embassies_and_international_organisations(db):
    missions = children(DIPLOMATIC_CODE)
    assert missions.count() == 73
    assert {m.kind for m in missions} == {OrgKind.EMBASSY, OrgKind.INTL_ORG}
    seed_countries = {"LU", "DM", "SO", "JO", "RW", "TL", "PK", "KE", "UG", "CH"}
    embassy_countries = {m.country.code for m in missions.filter(kind=OrgKind.EMBASSY)}
    assert seed_countries <= embassy_countries


def test_donors_hospitals_and_government_bodies(db):
    assert children(DONORS_CODE).filter(country="TR", name_en__contains="K Group").exists()
    hospitals = children(HOSPITALS_CODE)
    assert {h.country.code for h in hospitals} == {"LK"}
    assert hospitals.filter(name_en__contains="Infectious Diseases").exists()
    assert Organization.objects.filter(kind=OrgKind.GOVERNMENT, name_en__contains="SASAC").exists()


def test_every_member_company_and_unit_has_a_full_leadership_group(db):
    staffed = descendants(GROUP_CODE).filter(kind__in=[OrgKind.COMPANY, OrgKind.UNIT])
    groups = LeadershipGroup.objects.filter(organization__in=staffed).prefetch_related("members")
    assert groups.count() == staffed.count()
    for group in groups:
        positions = [m.position for m in group.members.all()]
        assert positions.count(LeadershipPosition.LEADER) == 1
        assert positions.count(LeadershipPosition.DEPUTY) >= 1
        assert positions.count(LeadershipPosition.MEMBER) >= 4
        for member in group.members.all():
            assert member.duty
            # Seat holders are on the roster of the organisation they lead.
            assert member.employee is not None
            assert member.employee.organization_id == group.organization_id
    duties = " ".join(LeadershipGroup.objects.get(organization__code="TZ02-U1").members.values_list("duty", flat=True))
    for duty in (
        "Quarantine before work",
        "Commuting",
        "Information reporting",
        "Meal delivery",
        "Disinfection",
        "supplies",
    ):
        assert duty in duties


def test_regions_carry_a_rule_history_over_the_last_ninety_days(db, small_world):
    hubei = list(RegionRule.objects.filter(region__code="CN-HB").order_by("effective_from"))
    assert [r.risk_level for r in hubei] == ["high", "medium", "low"]
    assert hubei[0].effective_from >= small_world.today - datetime.timedelta(days=90)
    assert hubei[0].max_onsite_ratio < hubei[-1].max_onsite_ratio
    current = {}
    for rule in RegionRule.objects.order_by("effective_from"):
        current[rule.region_id] = rule.risk_level
    assert set(current.values()) == {"low", "medium", "high"}


def test_rosters_are_numbered_within_their_group(db):
    employees = Employee.objects.all()
    assert 300 <= employees.count() <= 800  # "a few hundred" in the small world
    group = Organization.objects.get(code=GROUP_CODE)
    in_group = employees.filter(organization__path__startswith=group.path)
    assert in_group.exclude(group=group).count() == 0
    assert in_group.filter(employee_no__startswith="TZ").count() == in_group.count()
    assert not employees.values("group", "employee_no").annotate(n=Count("id")).filter(n__gt=1)
    assert employees.filter(name_en="").count() == 0


@pytest.mark.parametrize("spec", LOGINS, ids=lambda spec: spec.username)
def test_every_demo_login_signs_in_with_its_role(db, spec):
    request = RequestFactory().post("/accounts/login/")
    user = authenticate(request, username=spec.username, password=DEMO_PASSWORD)
    assert user is not None
    assert user.language == ""
    if spec.superuser:
        assert user.is_superuser and user.is_staff
        return
    assert not user.is_superuser
    assert list(Membership.objects.filter(user=user).values_list("organization__code", "role")) == [
        (spec.org_code, spec.role)
    ]
    if spec.on_roster:
        assert user.employee.organization.code == spec.org_code
        assert not user.employee.leadership_seats.exists()


def test_only_the_demo_logins_exist(db):
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(s.username for s in LOGINS)
