"""The check-in API: filing, idempotency, scope and errors."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from sameboat.api.models import IdempotencyKey
from sameboat.health.models import CheckIn

pytestmark = pytest.mark.django_db

URL = "/api/v1/checkins/"


def body(**kw):
    return {"temperature": "36.6", "region": "CN-SC", "work_status": "on_site", "commute_mode": "car", **kw}


def test_employee_files_own_checkin(hworld, api_as):
    response = api_as(hworld.employee_user).post(URL, body(), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["employee"] == hworld.employee_a.pk
    again = api_as(hworld.employee_user).post(URL, body(temperature="36.9"), format="json")
    assert again.status_code == 200
    assert CheckIn.objects.count() == 1


def test_same_key_replays_first_response(hworld, api_as):
    client = api_as(hworld.employee_user)
    first = client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert CheckIn.objects.count() == 1


def test_same_key_different_body_is_422(hworld, api_as):
    client = api_as(hworld.employee_user)
    client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = client.post(URL, body(temperature="38.0"), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert str(CheckIn.objects.get().temperature) == "36.6"


def test_failed_request_does_not_burn_the_key(hworld, api_as):
    client = api_as(hworld.employee_user)
    bad = client.post(URL, body(temperature="45.0"), format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == {"temperature": [bad.json()["error"]["message"]]}
    assert not IdempotencyKey.objects.exists()
    assert not CheckIn.objects.exists()


def test_officer_cannot_file_for_sibling_unit(hworld, api_as):
    response = api_as(hworld.officer_a).post(URL, body(employee=hworld.employee_b.pk), format="json")
    assert response.status_code == 422
    assert "employee" in response.json()["error"]["fields"]
    assert not CheckIn.objects.exists()


def test_unknown_region_names_the_field(hworld, api_as):
    response = api_as(hworld.employee_user).post(URL, body(region="XX-NOPE"), format="json")
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
def test_list_and_detail_scope(hworld, who, sees_a, sees_b, api_as):
    a = api_as(hworld.employee_user).post(URL, body(), format="json").json()["id"]
    b = api_as(hworld.officer_b).post(URL, body(employee=hworld.employee_b.pk), format="json").json()["id"]
    client = api_as(getattr(hworld, who))
    listed = {row["id"] for row in client.get(URL).json()["results"]}
    assert (a in listed, b in listed) == (sees_a, sees_b)
    assert client.get(f"{URL}{a}/").status_code == (200 if sees_a else 404)
    assert client.get(f"{URL}{b}/").status_code == (200 if sees_b else 404)


def test_anonymous_gets_401(hworld):
    response = APIClient().post(URL, body(), format="json")
    assert response.status_code == 401
    assert "error" in response.json()


def test_returns_endpoint_scoped(hworld, api_as):
    api_as(hworld.employee_user).post(URL, body(temperature="37.8"), format="json")
    data = api_as(hworld.hq).get("/api/v1/health/returns/?org=GRP").json()
    assert data["totals"]["reported"] == 1 and data["totals"]["fever"] == 1
    assert api_as(hworld.officer_b).get("/api/v1/health/returns/?org=CA").status_code == 404


# --- The one-statement path (PostgreSQL) and the transactional one give the same results ---


@pytest.fixture
def day_open(hworld, today):
    """The morning job has opened today's returns, as in production."""
    from sameboat.health.services.rollup import returns_open_day

    returns_open_day(today)


@pytest.fixture
def checkin_inserts():
    """The statements that insert a check-in, as the database received them (in order)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    table = CheckIn._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        yield lambda: [q["sql"] for q in queries.captured_queries if re.search(rf'INSERT INTO "?{table}"?\s', q["sql"])]


def in_one_statement(sql: str) -> bool:
    """The statement files the report, counts it in its return and appends its audit row:
    PostgreSQL's path for a quiet first report. The transactional path inserts the report
    on its own, then counts and audits it in statements of their own."""
    from sameboat.core.models import AuditEvent
    from sameboat.health.models import DailyReturn

    return AuditEvent._meta.db_table in sql and DailyReturn._meta.db_table in sql


def test_a_quiet_first_report_is_filed_counted_audited_and_keyed(hworld, day_open, checkin_inserts, api_as):
    from django.db import connection

    from sameboat.core.models import AuditEvent
    from sameboat.health.models import DailyReturn

    client = api_as(hworld.employee_user)
    first = client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="quiet-1")
    assert first.status_code == 201, first.content
    checkin = CheckIn.objects.get()
    assert first.json()["id"] == checkin.pk
    row = DailyReturn.objects.get(organization=hworld.unit_a1)
    assert (row.reported, row.on_site) == (1, 1)
    event = AuditEvent.objects.get(action="health.checkin.submitted")
    assert (event.object_id, event.actor_id, event.organization_id) == (
        str(checkin.pk),
        hworld.employee_user.pk,
        hworld.unit_a1.pk,
    )
    assert IdempotencyKey.objects.get(key="quiet-1").response == first.json()
    # On PostgreSQL all of that was one statement; SQLite has no such path.
    [filed] = checkin_inserts()
    assert in_one_statement(filed) == (connection.vendor == "postgresql")

    again = client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="quiet-1")
    assert (again.status_code, again.json(), again["Idempotent-Replayed"]) == (201, first.json(), "true")
    reused = client.post(URL, body(employee=hworld.employee_a.pk), format="json", HTTP_IDEMPOTENCY_KEY="quiet-1")
    assert reused.status_code == 422
    assert CheckIn.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    assert DailyReturn.objects.get(organization=hworld.unit_a1).reported == 1


def test_a_key_reused_on_another_person_writes_nothing(hworld, day_open, api_as):
    """The key conflict fails the whole statement: no check-in, count or audit row for B."""
    from sameboat.core.models import AuditEvent
    from sameboat.health.models import DailyReturn

    hq = api_as(hworld.hq)
    assert hq.post(URL, body(employee=hworld.employee_a.pk), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    response = hq.post(URL, body(employee=hworld.employee_b.pk), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert not CheckIn.objects.filter(employee=hworld.employee_b).exists()
    assert DailyReturn.objects.get(organization=hworld.unit_b1).reported == 0
    assert AuditEvent.objects.filter(action="health.checkin.submitted").count() == 1


def test_a_fever_takes_the_transactional_path_and_opens_a_case(hworld, day_open, checkin_inserts, api_as):
    from sameboat.health.models import FollowUpCase

    response = api_as(hworld.employee_user).post(
        URL, body(temperature="38.2"), format="json", HTTP_IDEMPOTENCY_KEY="fever-1"
    )
    assert response.status_code == 201
    [filed] = checkin_inserts()
    assert not in_one_statement(filed)
    assert FollowUpCase.objects.get(employee=hworld.employee_a).opened_by_checkin_id == response.json()["id"]
    assert IdempotencyKey.objects.get(key="fever-1").response == response.json()


def test_the_first_report_of_a_day_not_yet_opened_opens_it(hworld, checkin_inserts, api_as):
    from sameboat.health.models import DailyReturn

    assert not DailyReturn.objects.exists()
    response = api_as(hworld.employee_user).post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="early")
    assert response.status_code == 201
    # On PostgreSQL the one statement went first and wrote nothing (no return row to count
    # in); the transactional path filed it.
    assert not in_one_statement(checkin_inserts()[-1])
    row = DailyReturn.objects.get(organization=hworld.unit_a1)
    assert (row.headcount, row.reported) == (1, 1)


@pytest.mark.parametrize("opened", [False, True])
def test_the_answer_is_what_the_serializer_says(hworld, today, opened, api_as):
    """checkin_body, built by hand for speed, equals CheckInSerializer's answer."""
    from sameboat.health.api.serializers import CheckInSerializer

    if opened:
        from sameboat.health.services.rollup import returns_open_day

        returns_open_day(today)
    client = api_as(hworld.employee_user)
    created = client.post(URL, body(symptoms=["cough"], travelled=True), format="json").json()
    assert created == dict(CheckInSerializer(CheckIn.objects.get()).data)
    edited = client.post(URL, body(temperature="37.0", commute_mode="walk"), format="json").json()
    assert edited == dict(CheckInSerializer(CheckIn.objects.get()).data)
    assert edited["temperature"] == "37.0"


def test_bad_fields_are_named_and_a_body_that_is_not_an_object_is_refused(hworld, api_as):
    client = api_as(hworld.employee_user)
    response = client.post(URL, body(temperature="warm", work_status="sleeping", day="yesterday"), format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"temperature", "work_status", "day"}
    listed = client.post(URL, [body()], format="json")
    assert listed.status_code == 400 and "error" in listed.json()
    assert not CheckIn.objects.exists()


# --- Query parameters: validated like the other domains' (400 in the error shape) ---


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/checkins/?day=yesterday", "day"),
        ("/api/v1/checkins/?day=2020-02-30", "day"),
        ("/api/v1/cases/?all=maybe", "all"),
        ("/api/v1/health/returns/?day=2020-13-01", "day"),
        ("/api/v1/quarantines/?page=0", "page"),
    ],
)
def test_a_bad_query_parameter_is_a_400_naming_it(hworld, api_as, path, param):
    response = api_as(hworld.hq).get(path)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert (error["code"], list(error["fields"])) == ("invalid", [param])


def test_the_health_filters_still_filter(hworld, today, api_as):
    import datetime

    from sameboat.health.models import FollowUpCase

    api_as(hworld.employee_user).post(URL, body(temperature="38.1"), format="json")
    hq = api_as(hworld.hq)
    assert len(hq.get(URL, {"day": today.isoformat()}).json()["results"]) == 1
    assert hq.get(URL, {"day": (today - datetime.timedelta(days=1)).isoformat()}).json()["results"] == []
    assert hq.get(URL, {"day": ""}).status_code == 200
    FollowUpCase.objects.update(status="cleared")
    assert hq.get("/api/v1/cases/").json()["results"] == []
    assert len(hq.get("/api/v1/cases/", {"all": "1"}).json()["results"]) == 1
    returns = hq.get("/api/v1/health/returns/", {"day": today.isoformat()}).json()
    assert (returns["organization"], returns["day"]) == ("GRP", today.isoformat())
