"""Edits of an existing check-in are throttled per user (API and page: 429 with
Retry-After); first reports never are."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from sameboat.health.models import CheckIn, CheckInRevision
from tests.core.test_throttles import _assert_throttled_api, _assert_throttled_page, _rates
from tests.factories import make_employee

pytestmark = pytest.mark.django_db

CHECKINS = "/api/v1/checkins/"


def _body(**kw):
    return {"temperature": "36.6", "region": "CN-SC", "work_status": "on_site", "commute_mode": "car", **kw}


def test_checkin_edits_are_throttled_in_the_api(api_as, hworld, settings):
    _rates(settings, checkin_edit="3/min")
    client = api_as(hworld.employee_user)
    assert client.post(CHECKINS, _body(), format="json").status_code == 201
    for n in range(3):
        assert client.post(CHECKINS, _body(temperature=f"36.{n + 1}"), format="json").status_code == 200
    _assert_throttled_api(client.post(CHECKINS, _body(temperature="37.0"), format="json"))
    # The refused edit wrote nothing.
    assert CheckInRevision.objects.count() == 3
    assert str(CheckIn.objects.get().temperature) == "36.3"
    # A retry of an edit already answered is still replayed from its key.
    key = {"HTTP_IDEMPOTENCY_KEY": "edit-1"}
    cache.clear()
    assert client.post(CHECKINS, _body(temperature="36.8"), format="json", **key).status_code == 200
    for _ in range(3):
        client.post(CHECKINS, _body(temperature="36.4"), format="json")
    replay = client.post(CHECKINS, _body(temperature="36.8"), format="json", **key)
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"


def test_first_reports_are_never_throttled(api_as, hworld, settings):
    """An officer filing first reports for many people is not slowed down."""
    _rates(settings, checkin_edit="1/min")
    people = [make_employee(hworld.unit_a1) for _ in range(4)]
    client = api_as(hworld.officer_a)
    for person in [hworld.employee_a, *people]:
        assert client.post(CHECKINS, _body(employee=person.pk), format="json").status_code == 201


def test_checkin_edits_are_throttled_on_the_page(client_as, hworld, settings):
    _rates(settings, checkin_edit="2/min")
    client = client_as(hworld.employee_user)
    answers = {
        "temperature": "36.6",
        "symptoms": ["none"],
        "region": hworld.regions["home"].pk,
        "travelled": "no",
        "contact": "no",
        "work_status": "on_site",
        "commute_mode": "car",
    }
    assert client.post("/health/checkin/", answers).status_code == 302
    for temperature in ("36.7", "36.8"):
        assert client.post("/health/checkin/", {**answers, "temperature": temperature}).status_code == 302
    _assert_throttled_page(client.post("/health/checkin/", {**answers, "temperature": "36.9"}))
    assert str(CheckIn.objects.get().temperature) == "36.8"
