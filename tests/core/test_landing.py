"""Each role lands on its own work: the landings registry and the home page that follows it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sameboat.accounts.roles import Role
from sameboat.core.contributions import Landing, landing_for, landings, navigation
from tests.factories import UserFactory, grant

# Supplies officers land on the stock page since the supplies app arrived (issue 10).
PENDING = [Role.LOGISTICS_OFFICER, Role.DESK_AGENT, Role.ALLIANCE_MEMBER]


def test_every_role_but_the_employee_has_a_landing():
    for role in Role:
        landing = landing_for([role])
        assert (landing is None) == (role == Role.EMPLOYEE), role


def test_lowest_order_wins_for_several_roles():
    assert landing_for([Role.SUPPLIES_OFFICER, Role.HQ_COMMANDER]).key == "dashboard"


@pytest.mark.parametrize("role", PENDING)
def test_pending_roles_land_on_a_plain_page_without_figures(world, client_as, role):
    user = UserFactory(username=f"u_{role}")
    grant(user, world.company_a, role)
    response = client_as(user).get(reverse("core:home"))
    assert response.status_code == 200
    assert response.templates[0].name == "core/landing_pending.html"
    body = response.content.decode()
    assert f'data-testid="landing-pending.{role}"' in body
    assert 'class="kpi' not in body


def test_a_domain_landing_wins_over_the_pending_page(world, client_as):
    """What a future domain does: register a page for its roles; the home page sends them there."""
    user = UserFactory(username="desk_x")
    grant(user, world.company_a, Role.DESK_AGENT)
    landings.register(Landing("example", frozenset({Role.DESK_AGENT}), url_name="orgs:regions", order=50))
    try:
        response = client_as(user).get(reverse("core:home"))
        assert response.status_code == 302 and response["Location"] == reverse("orgs:regions")
    finally:
        landings.unregister("example")


def test_supplies_officers_land_on_the_stock(world, client_as):
    user = UserFactory(username="supplies_x")
    grant(user, world.company_a, Role.SUPPLIES_OFFICER)
    response = client_as(user).get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse("supplies:stock_overview")


def test_dashboard_roles_keep_the_dashboard(world, client_as):
    response = client_as(world.hq).get(reverse("core:home"))
    assert response.templates[0].name == "core/home.html"
    response = client_as(world.employee_user).get(reverse("core:home"))
    assert response.templates[0].name == "core/home_personal.html"


@pytest.mark.parametrize("role", [Role.DESK_AGENT, Role.ALLIANCE_MEMBER])
def test_health_menu_is_not_offered_to_the_alliance(world, role):
    user = UserFactory(username=f"a_{role}")
    grant(user, world.company_a, role)
    assert not navigation["health"].visible(user)
    assert navigation["health"].visible(world.viewer_a)
