"""Pages about another person tell browsers and the service worker not to keep them; only
the person's own check-in page may stay on the phone for offline use."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_an_officers_check_in_page_for_someone_else_is_no_store(client_as, hworld):
    client = client_as(hworld.officer_a)
    response = client.get(reverse("health:checkin"), {"employee": hworld.employee_a.pk})
    assert response.status_code == 200
    assert {"no-store", "private"} <= _cache_control(response)


@pytest.mark.parametrize(
    "name",
    ["orgs:person", "health:person_checkins"],
)
def test_other_pages_about_a_person_are_no_store(client_as, hworld, name):
    client = client_as(hworld.officer_a)
    response = client.get(reverse(name, args=[hworld.employee_a.pk]))
    assert response.status_code == 200
    assert {"no-store", "private"} <= _cache_control(response)


def test_lists_of_people_are_no_store(client_as, hworld):
    client = client_as(hworld.officer_a)
    for url in (reverse("orgs:people"), reverse("health:cases"), reverse("health:quarantines")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"no-store", "private"} <= _cache_control(response), url


def test_ones_own_check_in_page_may_be_kept_offline(client_as, hworld):
    client = client_as(hworld.employee_user)
    response = client.get(reverse("health:checkin"))
    assert response.status_code == 200
    control = _cache_control(response)
    assert "private" in control and "no-store" not in control


def test_the_service_worker_stores_nothing_marked_no_store_nor_pages_for_others():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    source = Path(finders.find("sameboat/health/sw.js")).read_text()
    assert "no-store" in source and "!url.search" in source
