"""Every tile on the site dashboard that links to a list shows the number of rows that list
shows (issue 9): the registered tiles carry the filter their figure counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from sameboat.core.models import Notification
from tests.factories import make_employee, make_org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reader", ["hq", "officer_a", "viewer_a"])
def test_every_linked_home_tile_equals_its_list(world, client_as, reader):
    user = getattr(world, reader)
    deep = make_org(make_org(world.unit_a1))
    make_employee(deep)
    make_employee(world.unit_b1, is_active=False)  # not on the roster's default list
    for n in range(3):
        Notification.objects.create(
            recipient=user,
            event="tests.views.hello",
            context={"name": "Ann"},
            url="/orgs/",
            read_at=timezone.now() if n == 0 else None,
        )
    client = client_as(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    linked = [tile for tile in response.context["tiles"] if tile.href]
    assert {"orgs", "people", "unread"} <= {tile.key for tile in linked}
    for tile in linked:
        listed = client.get(tile.href)
        assert listed.status_code == 200, tile.href
        assert listed.context["page"].paginator.count == tile.value, (tile.key, tile.href)


def test_unread_only_inbox_and_the_whole_inbox(world, client_as):
    Notification.objects.create(recipient=world.hq, event="tests.views.hello", context={}, read_at=timezone.now())
    Notification.objects.create(recipient=world.hq, event="tests.views.hello", context={})
    client = client_as(world.hq)
    assert client.get(reverse("core:inbox")).context["page"].paginator.count == 2
    assert client.get(reverse("core:inbox") + "?unread=1").context["page"].paginator.count == 1
