"""The organisation picker: what typed text means (within scope), its search endpoint, and
list filters that answer a bad value with a message beside the field instead of a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from sameboat.accounts.roles import Role
from sameboat.core.contributions import scope_matrix
from sameboat.orgs.forms import PeopleFilterForm
from sameboat.orgs.selectors import organization_pick, organization_search


def test_pick_by_code_id_and_name_in_either_language(world):
    for text in ("CA1", "ca1", str(world.unit_a1.pk), "甲一单位", "Unit A1", "unit a1", "甲一"):
        assert organization_pick(user=world.hq, text=text) == [world.unit_a1], text


def test_pick_never_reaches_outside_scope(world):
    for text in ("CB1", str(world.unit_b1.pk), "乙一单位", "Unit B1", "乙"):
        assert organization_pick(user=world.officer_a, text=text) == [], text
    assert organization_pick(user=world.nobody, text="CA") == []


def test_pick_of_a_shared_word_lists_the_candidates(world):
    found = organization_pick(user=world.hq, text="Company")
    assert set(found) == {world.company_a, world.company_b}


def test_search_puts_the_exact_code_first(world):
    assert organization_search(user=world.hq, text="CA1")[0] == world.unit_a1
    assert organization_search(user=world.hq, text="") == []


def test_search_and_pick_answer_only_with_what_the_person_sees(world):
    visible = {world.company_a.pk, world.unit_a1.pk}
    officer = world.officer_a

    @settings(max_examples=40, deadline=None)
    @given(text=st.text(alphabet="甲乙一单位公司CABUnit 1", max_size=6) | st.sampled_from(["CB", "CB1", "GRP"]))
    def check(text: str) -> None:
        assert {o.pk for o in organization_search(user=officer, text=text)} <= visible
        assert {o.pk for o in organization_pick(user=officer, text=text)} <= visible

    check()


def test_search_endpoint_is_scoped_and_in_the_scope_matrix(world, client_as):
    url = reverse("orgs:org_search")
    assert "orgs:org_search" in scope_matrix
    answer = client_as(world.officer_a).get(url, {"q": "单位"}).json()
    assert [r["value"] for r in answer["results"]] == ["CA1"]
    assert answer["results"][0]["detail"] in ("Unit A1 · CA1", "甲一单位 · CA1")
    assert client_as(world.officer_b).get(url, {"q": "甲"}).json() == {"results": []}
    assert client_as(world.hq).get(url, {"q": "Unit"}).json()["results"][0]["value"] in ("CA1", "CB1")


def test_search_endpoint_needs_a_login(client):
    response = client.get(reverse("orgs:org_search"), {"q": "CA"})
    assert response.status_code == 302


@pytest.mark.parametrize("text", ["NOPE", "乙一单位"])
def test_people_filter_with_a_bad_organisation_keeps_the_form(world, client_as, text):
    """Unknown and out of scope read the same: a message beside the field, the list kept."""
    response = client_as(world.officer_a).get(reverse("orgs:people"), {"org": text, "q": "张", "active": "all"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "org" in form.errors and text in form.errors["org"][0]
    assert "CB1" not in form.errors["org"][0] and "乙一单位 (" not in form.errors["org"][0]
    # The other filters still apply.
    assert [e.employee_no for e in response.context["page"]] == ["A-001"]
    assert 'value="张"' in response.content.decode()


def test_people_filter_by_name_in_chinese(world, client_as):
    response = client_as(world.hq).get(reverse("orgs:people"), {"org": "乙一单位"})
    assert response.status_code == 200
    assert response.context["org"] == world.unit_b1
    assert [e.employee_no for e in response.context["page"]] == ["B-001"]
    assert 'data-picker-label="乙一单位"' in response.content.decode() or "Unit B1" in response.content.decode()


def test_people_filter_with_a_bad_choice_is_a_field_error(world, client_as):
    response = client_as(world.hq).get(reverse("orgs:people"), {"active": "maybe"})
    assert response.status_code == 200
    assert "active" in response.context["form"].errors
    # The default (on the roster) applies meanwhile.
    assert {e.employee_no for e in response.context["page"]} == {"A-001", "B-001"}


def test_ambiguous_text_names_a_few_candidates(world):
    form = PeopleFilterForm({"org": "Company"}, user=world.hq)
    values = form.selector_filters()
    assert values["organization"] is None
    message = form.errors["org"][0]
    assert "(CA)" in message and "(CB)" in message


def test_health_list_filters_answer_bad_values_beside_the_field(world, client_as):
    client = client_as(world.officer_a)
    response = client.get(reverse("health:missing"), {"org": "CB1", "day": "2026-13-45"})
    assert response.status_code == 200
    assert set(response.context["filters"].errors) == {"org", "day"}
    assert response.context["org"] == world.company_a
    for name in ("health:cases", "health:quarantines", "health:fevers"):
        response = client.get(reverse(name), {"org": "no such unit"})
        assert response.status_code == 200, name
        assert "org" in response.context["filters"].errors


def test_move_form_picks_the_new_parent_by_name(world, client_as):
    response = client_as(world.hq).post(reverse("orgs:move", args=[world.unit_a1.pk]), {"new_parent": "乙公司"})
    assert response.status_code == 302
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.path.startswith(world.company_b.path)


def test_roles_constant_for_the_matrix():
    assert Role.HQ_COMMANDER in scope_matrix["orgs:org_search"].roles
