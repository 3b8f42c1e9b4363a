"""Organisation pages: the tree, one organisation, its roles and leadership group."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sameboat.accounts.models import Membership
from sameboat.accounts.roles import Role
from sameboat.core.audit import audit_record
from sameboat.orgs.models import LeadershipMember, Organization
from sameboat.orgs.services import leadership_group_set, leadership_member_add
from tests.factories import RegionFactory, RegionRuleFactory, UserFactory, grant, make_org

pytestmark = pytest.mark.django_db


# --- the tree -----------------------------------------------------------------------------------


def test_tree_needs_login(client, world):
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_tree_starts_at_the_users_topmost_organisations(client_as, world):
    html = client_as(world.officer_a).get(reverse("orgs:tree")).content.decode()
    assert 'data-testid="org-tree"' in html
    assert 'data-testid="org-node-CA"' in html and 'data-testid="org-toggle-CA"' in html
    assert "org-node-GRP" not in html and "org-node-CB" not in html


def test_tree_children_partial_for_htmx(client_as, world):
    response = client_as(world.hq).get(reverse("orgs:tree_children", args=[world.group.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # a fragment, not a page
    assert 'data-testid="org-node-CA"' in html and 'data-testid="org-node-CB"' in html
    assert "org-node-CA1" not in html  # only direct children


def test_tree_children_page_without_js(client_as, world):
    response = client_as(world.hq).get(reverse("orgs:tree_children", args=[world.group.pk]))
    html = response.content.decode()
    assert "<html" in html and 'data-testid="org-node-CB"' in html and 'data-testid="breadcrumb"' in html


def test_tree_children_out_of_scope_is_404(client_as, world):
    response = client_as(world.officer_b).get(
        reverse("orgs:tree_children", args=[world.company_a.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404


def test_tree_search_lists_matches_with_their_path(client_as, world):
    response = client_as(world.hq).get(reverse("orgs:tree"), {"q": "Unit"})
    html = response.content.decode()
    assert 'data-testid="org-result-CA1"' in html and 'data-testid="org-result-CB1"' in html
    crumbs = dict((org.code, [a.code for a in path]) for org, path in response.context["results"])
    assert crumbs["CA1"] == ["GRP", "CA"]


def test_tree_search_stays_in_scope(client_as, world):
    response = client_as(world.officer_b).get(reverse("orgs:tree"), {"q": "Unit"})
    codes = [org.code for org, _path in response.context["results"]]
    assert codes == ["CB1"]
    # The breadcrumb stops where the officer's view starts: the group is not theirs.
    assert [a.code for a in response.context["results"][0][1]] == ["CB"]


def test_tree_query_count_does_not_grow_with_rows(client_as, world, django_assert_max_num_queries):
    for i in range(30):
        make_org(world.group, code=f"EXTRA{i:02d}", kind="company")
    client = client_as(world.hq)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("orgs:tree_children", args=[world.group.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().count('class="tree-node"') == 32
    with django_assert_max_num_queries(10):
        tree = client.get(reverse("orgs:tree"))
    assert tree.status_code == 200 and 'data-testid="org-node-GRP"' in tree.content.decode()
    with django_assert_max_num_queries(10):
        found = client.get(reverse("orgs:tree"), {"q": "EXTRA"})
    assert found.status_code == 200 and len(found.context["results"]) == 30


def test_employee_role_has_no_tree(client_as, world):
    html = client_as(world.employee_user).get(reverse("orgs:tree")).content.decode()
    assert "org-node-" not in html


# --- one organisation ---------------------------------------------------------------------------


def test_detail_shows_the_organisation(client_as, world):
    region = RegionFactory(code="HB", name_en="Hubei")
    RegionRuleFactory(region=region, effective_from="2020-01-01", risk_level="high")
    Organization.objects.filter(pk=world.company_a.pk).update(region=region)
    response = client_as(world.viewer_a).get(reverse("orgs:detail", args=[world.company_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="org-detail-title"' in html and "Company A" in html and "甲公司" in html
    assert 'data-testid="risk-high"' in html and "Hubei" in html
    assert 'data-testid="child-CA1"' in html
    assert response.context["summary"]["employees"] == 1
    # A viewer sees no write buttons.
    assert "org-edit-link" not in html and "member-grant-form" not in html and "leader-add-form" not in html


def test_detail_shows_write_forms_to_admins(client_as, world):
    html = client_as(world.hq).get(reverse("orgs:detail", args=[world.company_a.pk])).content.decode()
    assert 'data-testid="org-edit-link"' in html
    assert 'data-testid="member-grant-form"' in html and 'data-testid="leader-add-form"' in html
    assert "data-confirm=" in html  # revoking asks first


def test_detail_out_of_scope_is_404(client_as, world):
    assert client_as(world.officer_b).get(reverse("orgs:detail", args=[world.company_a.pk])).status_code == 404
    assert client_as(world.officer_b).get(reverse("orgs:detail", args=[999999])).status_code == 404


def test_detail_breadcrumb_stays_in_scope(client_as, world):
    response = client_as(world.officer_a).get(reverse("orgs:detail", args=[world.unit_a1.pk]))
    assert [a.code for a in response.context["ancestors"]] == ["CA"]


def test_detail_history_shown_to_admins_only(client_as, world):
    audit_record(
        actor=world.hq,
        action="orgs.organization.updated",
        obj=world.company_a,
        before={"name_en": "Old name"},
        after={"name_en": "Company A"},
    )
    hq_html = client_as(world.hq).get(reverse("orgs:detail", args=[world.company_a.pk])).content.decode()
    assert 'data-testid="history"' in hq_html and "Old name" in hq_html
    viewer_html = client_as(world.viewer_a).get(reverse("orgs:detail", args=[world.company_a.pk])).content.decode()
    assert "Old name" not in viewer_html


def test_edit_saves_through_the_service(hq_client, world):
    client = hq_client
    url = reverse("orgs:edit", args=[world.company_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": "CA",
            "name_zh": "甲公司",
            "name_en": "Company A Ltd",
            "kind": "company",
            "country": "CN",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    world.company_a.refresh_from_db()
    assert world.company_a.name_en == "Company A Ltd"
    history = client.get(reverse("orgs:detail", args=[world.company_a.pk])).context["history"]
    assert history[0][0].action == "orgs.organization.updated"


def test_edit_refuses_a_duplicate_code_with_a_field_error(client_as, world):
    response = client_as(world.hq).post(
        reverse("orgs:edit", args=[world.company_a.pk]),
        {"code": "CB", "name_zh": "甲", "name_en": "A", "kind": "company", "country": "CN"},
    )
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    world.company_a.refresh_from_db()
    assert world.company_a.code == "CA"


@pytest.mark.parametrize("user_attr", ["viewer_a", "officer_a"])
def test_edit_is_forbidden_to_read_only_roles(client_as, world, user_attr):
    url = reverse("orgs:edit", args=[world.company_a.pk])
    client = client_as(getattr(world, user_attr))
    assert client.get(url).status_code == 403
    response = client.post(url, {"code": "CA", "name_zh": "x", "name_en": "Hacked", "kind": "company", "country": "CN"})
    assert response.status_code == 403
    world.company_a.refresh_from_db()
    assert world.company_a.name_en == "Company A"


def test_edit_out_of_scope_is_404(client_as, world):
    manager_b = UserFactory(username="manager_b")
    grant(manager_b, world.company_b, Role.UNIT_MANAGER)
    url = reverse("orgs:edit", args=[world.company_a.pk])
    client = client_as(manager_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"code": "CA", "name_zh": "x", "name_en": "x", "kind": "company"}).status_code == 404


def test_add_child(hq_client, world):
    client = hq_client
    url = reverse("orgs:add_child", args=[world.company_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": "CA2",
            "name_zh": "甲二",
            "name_en": "Unit A2",
            "kind": "unit",
            "country": "CN",
            "is_active": "on",
        },
    )
    child = Organization.objects.get(code="CA2")
    assert response.status_code == 302 and response.url == reverse("orgs:detail", args=[child.pk])
    assert Organization.objects.get_parent(child) == world.company_a


def test_add_child_forbidden_to_viewer(client_as, world):
    response = client_as(world.viewer_a).post(
        reverse("orgs:add_child", args=[world.company_a.pk]),
        {"code": "CA9", "name_zh": "x", "name_en": "x", "kind": "unit", "country": "CN"},
    )
    assert response.status_code == 403
    assert not Organization.objects.filter(code="CA9").exists()


def test_move(client_as, world):
    response = client_as(world.hq).post(reverse("orgs:move", args=[world.unit_a1.pk]), {"new_parent": "CB"})
    assert response.status_code == 302
    world.unit_a1.refresh_from_db()
    assert Organization.objects.get_parent(world.unit_a1) == world.company_b


def test_move_under_itself_is_a_form_error(client_as, world):
    response = client_as(world.hq).post(reverse("orgs:move", args=[world.company_a.pk]), {"new_parent": "CA1"})
    assert response.status_code == 400
    assert response.context["move_form"].errors["new_parent"]


# --- roles and leadership group -----------------------------------------------------------------


def test_grant_and_revoke_a_role(client_as, world):
    newcomer = UserFactory(username="newcomer")
    client = client_as(world.hq)
    response = client.post(
        reverse("orgs:member_grant", args=[world.company_a.pk]),
        {"username": "newcomer", "role": Role.VIEWER},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer, organization=world.company_a)
    html = client.get(reverse("orgs:detail", args=[world.company_a.pk])).content.decode()
    assert f'data-testid="member-revoke-{membership.pk}"' in html
    response = client.post(reverse("orgs:member_revoke", args=[world.company_a.pk, membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_grant_to_an_unknown_login_is_a_message(client_as, world):
    response = client_as(world.hq).post(
        reverse("orgs:member_grant", args=[world.company_a.pk]),
        {"username": "ghost", "role": Role.VIEWER},
        follow=True,
    )
    assert "ghost" in response.content.decode()
    assert not Membership.objects.filter(user__username="ghost").exists()


def test_viewer_cannot_grant_or_revoke(client_as, world):
    membership = Membership.objects.get(user=world.officer_a, organization=world.company_a)
    client = client_as(world.viewer_a)
    response = client.post(
        reverse("orgs:member_grant", args=[world.company_a.pk]),
        {"username": "viewer_a", "role": Role.HQ_COMMANDER},
    )
    assert response.status_code == 403
    assert client.post(reverse("orgs:member_revoke", args=[world.company_a.pk, membership.pk])).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not Membership.objects.filter(user=world.viewer_a, role=Role.HQ_COMMANDER).exists()


def test_revoke_of_a_membership_of_another_org_is_404(client_as, world):
    membership = Membership.objects.get(user=world.officer_b, organization=world.company_b)
    response = client_as(world.hq).post(reverse("orgs:member_revoke", args=[world.company_a.pk, membership.pk]))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_leadership_group_set_add_and_remove(client_as, world):
    client = client_as(world.hq)
    url = reverse("orgs:detail", args=[world.company_a.pk])
    client.post(reverse("orgs:leadership_set", args=[world.company_a.pk]), {"name": "Epidemic group A"})
    client.post(
        reverse("orgs:leader_add", args=[world.company_a.pk]),
        {"position": "leader", "person_name": "王五", "duty": "overall command"},
    )
    html = client.get(url).content.decode()
    assert "Epidemic group A" in html and "王五" in html
    member = LeadershipMember.objects.get(person_name="王五")
    response = client.post(reverse("orgs:leader_remove", args=[world.company_a.pk, member.pk]))
    assert response.status_code == 302
    assert not LeadershipMember.objects.filter(pk=member.pk).exists()


def test_leader_add_creates_the_group_when_missing(client_as, world):
    client_as(world.hq).post(
        reverse("orgs:leader_add", args=[world.company_a.pk]),
        {"position": "member", "person_name": "赵六"},
    )
    assert LeadershipMember.objects.filter(group__organization=world.company_a, person_name="赵六").exists()


def test_second_leader_is_refused_with_a_message(client_as, world):
    group = leadership_group_set(actor=world.hq, organization=world.company_a)
    leadership_member_add(actor=world.hq, group=group, position="leader", person_name="First")
    response = client_as(world.hq).post(
        reverse("orgs:leader_add", args=[world.company_a.pk]),
        {"position": "leader", "person_name": "Second"},
        follow=True,
    )
    assert response.status_code == 200
    assert "already has a leader" in response.content.decode()
    assert group.members.count() == 1


def test_viewer_cannot_change_the_leadership_group(client_as, world):
    group = leadership_group_set(actor=world.hq, organization=world.company_a)
    seat = leadership_member_add(actor=world.hq, group=group, position="member", person_name="Seat")
    client = client_as(world.viewer_a)
    assert (
        client.post(
            reverse("orgs:leader_add", args=[world.company_a.pk]),
            {"position": "member", "person_name": "X"},
        ).status_code
        == 403
    )
    assert client.post(reverse("orgs:leader_remove", args=[world.company_a.pk, seat.pk])).status_code == 403
    assert client.post(reverse("orgs:leadership_set", args=[world.company_a.pk]), {"name": "x"}).status_code == 403
    assert group.members.count() == 1


def test_sibling_cannot_reach_the_leadership_group(client_as, world):
    group = leadership_group_set(actor=world.hq, organization=world.company_a)
    seat = leadership_member_add(actor=world.hq, group=group, position="member", person_name="Seat")
    manager_b = UserFactory(username="manager_b")
    grant(manager_b, world.company_b, Role.UNIT_MANAGER)
    response = client_as(manager_b).post(reverse("orgs:leader_remove", args=[world.company_b.pk, seat.pk]))
    assert response.status_code == 404
    assert LeadershipMember.objects.filter(pk=seat.pk).exists()
