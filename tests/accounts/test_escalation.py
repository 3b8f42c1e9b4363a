"""The escalation matrix (issue 7): every role tries to grant every role, to itself and to
someone else, on its own organisation, a descendant, an ancestor and a sibling. Only the
grants the policy allows pass; every refusal is a 403 with a machine code, is audited
(actor, person, organisation, role) and writes nothing. Revoking follows the same rule.

The policy is restated here on purpose, apart from ``sameboat.accounts.roles``: a change
to the table there must be a change here too.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sameboat.accounts.models import Membership
from sameboat.accounts.roles import Role
from sameboat.accounts.scoping import forget_memberships
from sameboat.accounts.services import membership_grant
from sameboat.core.exceptions import PermissionDenied
from sameboat.core.models import AuditEvent
from sameboat.orgs.models import Organization, OrgKind
from tests.api.conftest import assert_error
from tests.factories import UserFactory, grant, make_org

pytestmark = pytest.mark.django_db

ROLES = [role.value for role in Role]
# What an administering role may hand out on the subtree it holds; no other role hands out
# anything. HQ commander itself only from a tree root.
MAY_GRANT = {
    "hq_commander": set(ROLES),
    "unit_manager": {"unit_manager", "unit_officer", "viewer", "employee"},
}
# Where the grantor holds the role, and the targets seen from there.
HELD_ON = {"root": "GRP", "company": "CA"}
TARGETS = {
    "root": {"own": "GRP", "descendant": "CA", "sibling": "OTHER"},
    "company": {"own": "CA", "descendant": "CA1", "ancestor": "GRP", "sibling": "CB"},
}
REVOKE_TOP = "revoke_top_role_from_root_only"
CASES = [
    (role, held, where, to) for role in ROLES for held in HELD_ON for where in TARGETS[held] for to in ("self", "other")
]


def expected_code(verb: str, role: str, held: str, where: str, to: str, granted: str) -> str | None:
    """The refusal's machine code, or None when the policy allows it."""
    if role not in MAY_GRANT or where in ("ancestor", "sibling"):
        return "permission_denied"
    if granted == Role.HQ_COMMANDER and not (role == Role.HQ_COMMANDER and held == "root"):
        return f"{verb}_top_role_from_root_only"
    if granted not in MAY_GRANT[role]:
        return f"{verb}_above_own_role"
    if to == "self":
        return f"{verb}_self"
    return None


@dataclass
class Tree:
    orgs: dict[str, Organization]
    grantor: object
    grantee: object


@pytest.fixture
def tree(db) -> Tree:
    group = make_org(None, code="GRP", kind=OrgKind.GROUP)
    company_a = make_org(group, code="CA", kind=OrgKind.COMPANY)
    unit_a1 = make_org(company_a, code="CA1", kind=OrgKind.UNIT)
    company_b = make_org(group, code="CB", kind=OrgKind.COMPANY)
    other = make_org(None, code="OTHER", kind=OrgKind.GROUP)
    orgs = {o.code: o for o in (group, company_a, unit_a1, company_b, other)}
    return Tree(orgs, UserFactory(username="grantor"), UserFactory(username="grantee"))


def _refusals() -> int:
    return AuditEvent.objects.filter(action__endswith="_refused").count()


def _assert_refusal_audited(tree: Tree, verb: str, person, org: str, role: str, code: str) -> None:
    event = AuditEvent.objects.filter(action=f"accounts.membership.{verb}_refused").latest("pk")
    assert event.actor == tree.grantor
    reason = "out_of_scope" if code == "permission_denied" else code.removeprefix(f"{verb}_")
    assert event.after == {"user": person.username, "organization": org, "role": role, "reason": reason}
    assert event.organization.code == org


@pytest.mark.parametrize(("role", "held", "where", "to"), CASES)
def test_grant_matrix_api(tree, role, held, where, to, api_as):
    grant(tree.grantor, tree.orgs[HELD_ON[held]], role)
    # The grantor also reads everything, so that every target reaches the grant rule rather
    # than the 400 for an organisation one cannot see. Viewer covers nothing an
    # administering role does not, so it changes no outcome.
    for root in ("GRP", "OTHER"):
        grant(tree.grantor, tree.orgs[root], Role.VIEWER)
    person = tree.grantor if to == "self" else tree.grantee
    target = TARGETS[held][where]
    client = api_as(tree.grantor)
    for granted in ROLES:
        memberships, refusals = Membership.objects.count(), _refusals()
        response = client.post(
            "/api/v1/memberships/",
            {"username": person.username, "organization": target, "role": granted},
            format="json",
        )
        code = expected_code("grant", role, held, where, to, granted)
        if code is None:
            assert response.status_code == 201, (granted, response.json())
            assert Membership.objects.filter(user=person, organization__code=target, role=granted).exists()
            assert _refusals() == refusals
        else:
            assert_error(response, 403, code)
            assert Membership.objects.count() == memberships, granted
            assert _refusals() == refusals + 1
            _assert_refusal_audited(tree, "grant", person, target, granted, code)


@pytest.mark.parametrize(("role", "held", "where", "to"), CASES)
def test_grant_matrix_service(tree, role, held, where, to):
    grant(tree.grantor, tree.orgs[HELD_ON[held]], role)
    person = tree.grantor if to == "self" else tree.grantee
    target = TARGETS[held][where]
    for granted in ROLES:
        memberships, refusals = Membership.objects.count(), _refusals()
        code = expected_code("grant", role, held, where, to, granted)
        if code is None:
            membership = membership_grant(actor=tree.grantor, user=person, organization=tree.orgs[target], role=granted)
            assert (membership.user, membership.organization.code, membership.role) == (person, target, granted)
        else:
            with pytest.raises(PermissionDenied) as refused:
                membership_grant(actor=tree.grantor, user=person, organization=tree.orgs[target], role=granted)
            assert refused.value.code == code
            assert str(refused.value.message)
            assert Membership.objects.count() == memberships
            assert _refusals() == refusals + 1
            _assert_refusal_audited(tree, "grant", person, target, granted, code)


@pytest.mark.parametrize(("role", "held", "where", "to"), [case for case in CASES if case[1] == "company"])
def test_revoke_matrix_api(tree, role, held, where, to, api_as):
    """One may revoke only what one could grant, and never one's own role (held on a company:
    the root's cases are the grant matrix's, and revoking adds no rule of its own there)."""
    holder = tree.orgs[HELD_ON[held]]
    grant(tree.grantor, holder, role)
    for root in ("GRP", "OTHER"):
        grant(tree.grantor, tree.orgs[root], Role.VIEWER)
    person = tree.grantor if to == "self" else tree.grantee
    target = TARGETS[held][where]
    client = api_as(tree.grantor)
    for revoked in ROLES:
        membership, created = Membership.objects.get_or_create(
            user=person, organization=tree.orgs[target], role=revoked
        )
        forget_memberships(tree.grantor)
        refusals = _refusals()
        response = client.delete(f"/api/v1/memberships/{membership.pk}/")
        code = expected_code("revoke", role, held, where, to, revoked)
        if to == "self" and created:
            # The role being revoked is one of the grantor's own now, and may itself make
            # them an administrator there: whatever else, it is never revoked.
            code = response.json()["error"]["code"] if response.status_code == 403 else "revoke_self"
            assert code in {"permission_denied", "revoke_self", "revoke_above_own_role", REVOKE_TOP}
        if code is None:
            assert response.status_code == 204, (revoked, response.content)
            assert not Membership.objects.filter(pk=membership.pk).exists()
        else:
            assert_error(response, 403, code)
            assert Membership.objects.filter(pk=membership.pk).exists()
            assert _refusals() == refusals + 1
            _assert_refusal_audited(tree, "revoke", person, target, revoked, code)
            if created and person == tree.grantor:
                # Give back exactly the powers the grantor started with.
                membership.delete()
        forget_memberships(tree.grantor)


def test_superuser_may_grant_anything_but_not_to_themselves(tree, api_as):
    root = UserFactory(username="root")
    root.is_superuser = True
    root.save()
    client = api_as(root)
    body = {"username": "grantee", "organization": "CA1", "role": "hq_commander"}
    assert client.post("/api/v1/memberships/", body, format="json").status_code == 201
    body["username"] = "root"
    assert_error(client.post("/api/v1/memberships/", body, format="json"), 403, "grant_self")
    assert not Membership.objects.filter(user=root).exists()


def test_the_reported_attack_is_refused(tree, api_as):
    """A unit manager made themselves HQ commander on their company: 201 before issue 7."""
    grant(tree.grantor, tree.orgs["CA"], Role.UNIT_MANAGER)
    body = {"username": "grantor", "organization": "CA", "role": "hq_commander"}
    error = assert_error(api_as(tree.grantor).post("/api/v1/memberships/", body, format="json"), 403)
    assert error["code"] == "grant_top_role_from_root_only"
    assert not Membership.objects.filter(user=tree.grantor, role=Role.HQ_COMMANDER).exists()
    # Nor through someone else first: the manager cannot make an accomplice HQ either.
    body["username"] = "grantee"
    assert_error(api_as(tree.grantor).post("/api/v1/memberships/", body, format="json"), 403)
    assert not Membership.objects.filter(role=Role.HQ_COMMANDER).exists()


def test_unknown_login_is_named_only_to_someone_who_may_grant_that_role(tree, api_as):
    grant(tree.grantor, tree.orgs["CA"], Role.UNIT_MANAGER)
    client = api_as(tree.grantor)
    body = {"username": "no-such-login", "organization": "CA1", "role": "viewer"}
    assert list(assert_error(client.post("/api/v1/memberships/", body, format="json"), 400)["fields"]) == ["username"]
    body["role"] = "supplies_officer"
    assert_error(client.post("/api/v1/memberships/", body, format="json"), 403, "grant_above_own_role")
