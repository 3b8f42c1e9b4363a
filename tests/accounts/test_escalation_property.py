"""Properties of the grant rule (issue 7): whatever roles people start with and whatever
grants they then try, in any order and through each other, nobody ends up holding a role
on a subtree that the people at the start could not hold there, and nobody ever grows their
own powers."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sameboat.accounts.models import Membership
from sameboat.accounts.roles import ADMIN_ROLES, ROLE_COVERS, TOP_ROLES, Role
from sameboat.accounts.scoping import forget_memberships
from sameboat.accounts.services import grantable_roles, membership_grant
from sameboat.core.exceptions import PermissionDenied
from sameboat.core.models import AuditEvent
from sameboat.orgs.models import Organization, OrgKind
from tests.factories import UserFactory, make_org

pytestmark = pytest.mark.django_db

ROLES = [role.value for role in Role]
ORGS = ["GRP", "CA", "CA1", "CB", "OTHER"]
PEOPLE = 4


def covered(held: Iterable[tuple[str, str]], path: str, role: str) -> bool:
    """Whether someone holding ``held`` (path, role) could hold ``role`` at ``path``."""
    for held_path, held_role in held:
        if not path.startswith(held_path) or role not in ROLE_COVERS[held_role]:
            continue
        if role in TOP_ROLES and not (held_role == role and len(held_path) == Organization.steplen):
            continue
        return True
    return False


def test_the_role_table_is_a_lattice_with_hq_on_top():
    """Reflexive and transitive, so a chain of grants can never reach beyond its start;
    only HQ covers HQ, and everyone covers the employee."""
    assert set(ROLE_COVERS) == set(ROLES)
    for role, below in ROLE_COVERS.items():
        assert role in below and Role.EMPLOYEE in below
        for lower in below:
            assert ROLE_COVERS[lower] <= below, (role, lower)
    assert {role for role, below in ROLE_COVERS.items() if Role.HQ_COMMANDER in below} == {Role.HQ_COMMANDER}
    # Different functions are not each other's: a manager makes no supply-chain officers.
    assert Role.SUPPLIES_OFFICER not in ROLE_COVERS[Role.UNIT_MANAGER]
    assert Role.UNIT_OFFICER not in ROLE_COVERS[Role.SUPPLIES_OFFICER]
    assert Role.HQ_COMMANDER in TOP_ROLES and TOP_ROLES.issubset(ADMIN_ROLES)


@pytest.fixture
def people(db):
    group = make_org(None, code="GRP", kind=OrgKind.GROUP)
    company_a = make_org(group, code="CA", kind=OrgKind.COMPANY)
    make_org(company_a, code="CA1", kind=OrgKind.UNIT)
    make_org(group, code="CB", kind=OrgKind.COMPANY)
    make_org(None, code="OTHER", kind=OrgKind.GROUP)
    orgs = {o.code: o for o in Organization.objects.all()}
    return orgs, [UserFactory(username=f"p{i}") for i in range(PEOPLE)]


holding = st.tuples(st.integers(0, PEOPLE - 1), st.sampled_from(ORGS), st.sampled_from(ROLES))
attempt = st.tuples(
    st.integers(0, PEOPLE - 1), st.integers(0, PEOPLE - 1), st.sampled_from(ORGS), st.sampled_from(ROLES)
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(start=st.lists(holding, max_size=6), attempts=st.lists(attempt, min_size=1, max_size=12))
def test_no_grant_yields_a_role_the_grantors_could_not_hold(people, start, attempts):
    orgs, users = people
    with transaction.atomic():
        sid = transaction.savepoint()
        for who, org, role in start:
            Membership.objects.get_or_create(user=users[who], organization=orgs[org], role=role)
        initial = {(m.user_id, m.organization.path, m.role) for m in Membership.objects.select_related("organization")}
        for actor, grantee, org, role in attempts:
            for user in users:
                forget_memberships(user)
            before = {(m.organization.path, m.role) for m in users[actor].memberships.select_related("organization")}
            refusals = AuditEvent.objects.filter(action="accounts.membership.grant_refused").count()
            offered = role in grantable_roles(actor=users[actor], organization=orgs[org])
            count = Membership.objects.count()
            try:
                membership_grant(actor=users[actor], user=users[grantee], organization=orgs[org], role=role)
            except PermissionDenied:
                assert not (offered and actor != grantee)  # what the form offers passes
                assert Membership.objects.count() == count
                assert AuditEvent.objects.filter(action="accounts.membership.grant_refused").count() == refusals + 1
            else:
                # The grantor could hold this role here, administers it, and it went to
                # someone else.
                assert actor != grantee and offered
                assert covered(before, orgs[org].path, role)
                assert any(orgs[org].path.startswith(path) and held in ADMIN_ROLES for path, held in before), (
                    "granted without administering the subtree"
                )
            after = {(m.organization.path, m.role) for m in users[actor].memberships.select_related("organization")}
            assert after == before  # nobody grows their own powers
        # Through any chain of grants: every role now held was within reach of the start.
        held_at_start = {(path, role) for _user, path, role in initial}
        for m in Membership.objects.select_related("organization"):
            if (m.user_id, m.organization.path, m.role) not in initial:
                assert covered(held_at_start, m.organization.path, m.role), (m.organization.code, m.role)
        transaction.savepoint_rollback(sid)
