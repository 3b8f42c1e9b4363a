"""The scoping helper: examples, and a property over random trees and memberships."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sameboat.accounts.roles import ROSTER_ROLES, Role
from sameboat.accounts.scoping import get_in_scope_or_404, minimal_paths, reach_sql, reaches, scope
from sameboat.orgs.models import Employee, Organization
from tests.factories import UserFactory, grant, make_org

pytestmark = pytest.mark.django_db


def test_officer_sees_own_subtree_only(world):
    visible = set(scope(Organization.objects.all(), world.officer_a, via=None).values_list("code", flat=True))
    assert visible == {"CA", "CA1"}


def test_hq_sees_whole_group(world):
    visible = set(scope(Organization.objects.all(), world.hq, via=None).values_list("code", flat=True))
    assert visible == {"GRP", "CA", "CA1", "CB", "CB1"}


def test_employee_role_reads_no_subtree_but_own_records(world):
    assert not scope(Employee.objects.all(), world.employee_user).exists()
    own = scope(Employee.objects.all(), world.employee_user, own="user")
    assert list(own) == [world.employee_a]


def test_nobody_and_anonymous_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not scope(Organization.objects.all(), world.nobody, via=None).exists()
    assert not scope(Organization.objects.all(), AnonymousUser(), via=None).exists()


def test_out_of_scope_is_404_like_missing(world):
    from django.http import Http404

    with pytest.raises(Http404):
        get_in_scope_or_404(Employee.objects.all(), world.officer_a, pk=world.employee_b.pk)
    with pytest.raises(Http404):
        get_in_scope_or_404(Employee.objects.all(), world.officer_a, pk=10**9)
    assert get_in_scope_or_404(Employee.objects.all(), world.officer_a, pk=world.employee_a.pk)


def test_roles_filter_limits_reach(world):
    only_hq = scope(Organization.objects.all(), world.officer_a, via=None, roles=[Role.HQ_COMMANDER])
    assert not only_hq.exists()


def test_minimal_paths_drops_nested():
    assert minimal_paths(["0001", "00010002", "0002", "00020003", "0003"]) == ["0001", "0002", "0003"]


# --- Property: on random trees and memberships, scope == the reference set of descendants ---

trees = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parents=trees, picks=st.lists(st.tuples(st.integers(0, 24), st.sampled_from(list(Role))), max_size=4))
def test_scope_equals_reference_descendants(parents, picks):
    from django.db import connection, transaction

    with transaction.atomic():
        sid = transaction.savepoint()
        nodes: list[Organization] = []
        parent_of: dict[int, int | None] = {}
        for i, raw in enumerate(parents):
            parent_index = None if i == 0 or raw % (i + 1) == i else raw % i
            parent = nodes[parent_index] if parent_index is not None else None
            nodes.append(make_org(parent))
            parent_of[nodes[-1].pk] = parent.pk if parent else None
        user = UserFactory()
        held: list[tuple[int, str]] = []
        for index, role in picks:
            org = nodes[index % len(nodes)]
            grant(user, org, role)
            held.append((org.pk, role))

        def descendants(pk: int) -> set[int]:
            out = {pk}
            changed = True
            while changed:
                changed = False
                for child, parent in parent_of.items():
                    if parent in out and child not in out:
                        out.add(child)
                        changed = True
            return out

        expected: set[int] = set()
        for pk, role in held:
            if role != Role.EMPLOYEE:
                expected |= descendants(pk)
        got = set(scope(Organization.objects.filter(pk__in=parent_of), user, via=None).values_list("pk", flat=True))
        assert got == expected
        # The SQL form the check-in API uses answers as reaches() does, for any roles.
        for roles in (None, ROSTER_ROLES, {Role.EMPLOYEE}):
            condition, params = reach_sql(user, "o.path", roles)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT o.id FROM orgs_organization o WHERE {condition}", params)
                in_sql = {pk for (pk,) in cursor.fetchall()} & set(parent_of)
            assert in_sql == {n.pk for n in nodes if reaches(user, n, roles)}
        transaction.savepoint_rollback(sid)


def test_within_narrows_to_a_reached_subtree_only(world):
    in_a = set(
        scope(Organization.objects.all(), world.hq, via=None, within=world.company_a).values_list("code", flat=True)
    )
    assert in_a == {"CA", "CA1"}
    # A subtree the user does not reach gives nothing, not the subtree.
    assert not scope(Organization.objects.all(), world.officer_a, via=None, within=world.company_b).exists()
    # A subtree wider than the user's reach is cut to what they reach.
    wide = set(
        scope(Organization.objects.all(), world.officer_a, via=None, within=world.group).values_list("code", flat=True)
    )
    assert wide == {"CA", "CA1"}
    emp = scope(Employee.objects.all(), world.officer_a, within=world.company_a)
    assert list(emp) == [world.employee_a]


def test_reach_sql_for_a_superuser_and_for_anonymous(world):
    from django.contrib.auth.models import AnonymousUser

    world.hq.is_superuser = True
    assert reach_sql(world.hq, "o.path") == ("1 = 1", [])
    assert reach_sql(AnonymousUser(), "o.path") == ("1 = 0", [])
