"""The check-in API: filing, idempotency, scope and errors."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from sameboat.health.models import CheckIn, IdempotencyKey

pytestmark = pytest.mark.django_db

URL = "/api/v1/checkins/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(**kw):
    return {"temperature": "36.6", "region": "CN-SC", "work_status": "on_site", "commute_mode": "car", **kw}


def test_employee_files_own_checkin(hworld):
    response = client_for(hworld.employee_user).post(URL, body(), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["employee"] == hworld.employee_a.pk
    again = client_for(hworld.employee_user).post(URL, body(temperature="36.9"), format="json")
    assert again.status_code == 200
    assert CheckIn.objects.count() == 1


def test_same_key_replays_first_response(hworld):
    client = client_for(hworld.employee_user)
    first = client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert CheckIn.objects.count() == 1


def test_same_key_different_body_is_422(hworld):
    client = client_for(hworld.employee_user)
    client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = client.post(URL, body(temperature="38.0"), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert str(CheckIn.objects.get().temperature) == "36.6"


def test_failed_request_does_not_burn_the_key(hworld):
    client = client_for(hworld.employee_user)
    bad = client.post(URL, body(temperature="45.0"), format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == {"temperature": [bad.json()["error"]["message"]]}
    assert not IdempotencyKey.objects.exists()
    assert not CheckIn.objects.exists()


def test_officer_cannot_file_for_sibling_unit(hworld):
    response = client_for(hworld.officer_a).post(URL, body(employee=hworld.employee_b.pk), format="json")
    assert response.status_code == 422
    assert "employee" in response.json()["error"]["fields"]
    assert not CheckIn.objects.exists()


def test_unknown_region_names_the_field(hworld):
    response = client_for(hworld.employee_user).post(URL, body(region="XX-NOPE"), format="json")
    assert response.status_code == 400
    assert "region" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("who", "sees_a", "sees_b"),
    [
        ("employee_user", True, False),
        ("officer_a", True, False),
        ("officer_b", False, True),
        ("hq", True, True),
        ("nobody", False, False),
    ],
)
def test_list_and_detail_scope(hworld, who, sees_a, sees_b):
    a = client_for(hworld.employee_user).post(URL, body(), format="json").json()["id"]
    b = client_for(hworld.officer_b).post(URL, body(employee=hworld.employee_b.pk), format="json").json()["id"]
    client = client_for(getattr(hworld, who))
    listed = {row["id"] for row in client.get(URL).json()["results"]}
    assert (a in listed, b in listed) == (sees_a, sees_b)
    assert client.get(f"{URL}{a}/").status_code == (200 if sees_a else 404)
    assert client.get(f"{URL}{b}/").status_code == (200 if sees_b else 404)


def test_anonymous_gets_401(hworld):
    response = APIClient().post(URL, body(), format="json")
    assert response.status_code == 401
    assert "error" in response.json()


def test_returns_endpoint_scoped(hworld):
    client_for(hworld.employee_user).post(URL, body(temperature="37.8"), format="json")
    data = client_for(hworld.hq).get("/api/v1/health/returns/?org=GRP").json()
    assert data["totals"]["reported"] == 1 and data["totals"]["fever"] == 1
    assert client_for(hworld.officer_b).get("/api/v1/health/returns/?org=CA").status_code == 404
