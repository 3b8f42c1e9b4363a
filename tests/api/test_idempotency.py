"""Idempotency keys are the API layer's: any write action opts in. Employee create does
(a client whose 201 was lost must not be told its employee number is taken); the check-in
endpoint's own tests are in tests/health/test_api.py."""

from __future__ import annotations

import pytest
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from sameboat.api.idempotency import idempotent
from sameboat.api.models import IdempotencyKey
from sameboat.api.viewsets import ApiViewSet
from sameboat.core.models import AuditEvent
from sameboat.orgs.models import Employee, Region
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/employees/"
BODY = {"employee_no": "A-100", "name": "王五", "unit": "CA1"}


def test_a_retried_create_gets_the_first_answer_and_makes_one_person(world, api_as):
    client = api_as(world.hq)
    first = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="roster-1")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    again = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="roster-1")
    assert (again.status_code, again.json(), again["Idempotent-Replayed"]) == (201, first.json(), "true")
    assert Employee.objects.filter(employee_no="A-100").count() == 1
    assert AuditEvent.objects.filter(action__startswith="orgs.employee").count() == 1
    assert IdempotencyKey.objects.get(key="roster-1").response == first.json()


def test_without_a_key_a_retry_is_refused_as_a_duplicate(world, api_as):
    client = api_as(world.hq)
    assert client.post(URL, BODY, format="json").status_code == 201
    assert_error(client.post(URL, BODY, format="json"), 422)
    assert not IdempotencyKey.objects.exists()


def test_the_same_key_for_another_body_is_refused(world, api_as):
    client = api_as(world.hq)
    client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="roster-2")
    error = assert_error(
        client.post(URL, {**BODY, "employee_no": "A-101"}, format="json", HTTP_IDEMPOTENCY_KEY="roster-2"),
        422,
        "idempotency_key_reused",
    )
    assert list(error["fields"]) == ["Idempotency-Key"]
    assert not Employee.objects.filter(employee_no="A-101").exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({**BODY, "unit": "NOPE"}, 400),  # refused by the input serializer
        ({**BODY, "employee_no": "A-001"}, 422),  # refused by the service: the number is taken
    ],
)
def test_a_refused_request_keeps_no_key_so_the_corrected_retry_goes_through(world, api_as, body, status):
    client = api_as(world.hq)
    assert_error(client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="roster-3"), status)
    assert not IdempotencyKey.objects.exists()
    fixed = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="roster-3")
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed


def test_keys_belong_to_their_user(world, api_as, manager_a):
    """Another user's identical key is another request: it does its own work."""
    assert api_as(world.hq).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    other = api_as(manager_a).post(URL, {**BODY, "employee_no": "A-102"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert other.status_code == 201 and "Idempotent-Replayed" not in other
    assert IdempotencyKey.objects.count() == 2


def test_a_bad_key_is_refused_naming_the_header(world, api_as):
    error = assert_error(
        api_as(world.hq).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="x" * 101), 422, "invalid_idempotency_key"
    )
    assert list(error["fields"]) == ["Idempotency-Key"]
    assert not Employee.objects.filter(employee_no="A-100").exists()


def test_an_action_that_did_not_opt_in_ignores_the_header(world, api_as):
    body = {"code": "CA9", "name_zh": "甲九", "name_en": "A9", "kind": "unit", "parent": "CA"}
    response = api_as(world.hq).post("/api/v1/organizations/", body, format="json", HTTP_IDEMPOTENCY_KEY="org-1")
    assert response.status_code == 201
    assert not IdempotencyKey.objects.exists()


class _Probe(ApiViewSet):
    """A write that answers an error without raising, when asked to."""

    @idempotent
    def create(self, request, *args, **kwargs):
        region = Region.objects.create(code=request.data["code"], name_zh="试", name_en="Probe")
        if request.data.get("refuse"):
            return Response({"error": "refused"}, status=409)
        return Response({"id": region.pk}, status=201)


def _probe(user, body, key):
    request = APIRequestFactory().post("/probe/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    force_authenticate(request, user=user)
    return _Probe.as_view({"post": "create"})(request)


def test_an_error_answered_without_raising_rolls_back_and_keeps_no_key(world):
    refused = _probe(world.hq, {"code": "P-1", "refuse": True}, "probe")
    assert refused.status_code == 409
    assert not Region.objects.filter(code="P-1").exists()
    assert not IdempotencyKey.objects.exists()
    done = _probe(world.hq, {"code": "P-1"}, "probe")
    assert done.status_code == 201 and Region.objects.filter(code="P-1").count() == 1
    replayed = _probe(world.hq, {"code": "P-1"}, "probe")
    assert (replayed.status_code, replayed.data, replayed["Idempotent-Replayed"]) == (201, done.data, "true")
    assert Region.objects.filter(code="P-1").count() == 1
