"""Concurrency on PostgreSQL: real connections racing for the same rows."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from sameboat.api.models import IdempotencyKey
from sameboat.health.models import CheckIn, DailyReturn

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n: int, fn) -> list:
    results: list = [None] * n
    barrier = threading.Barrier(n)

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results[i] = fn(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("day_opened", [False, True], ids=["transactional-path", "one-statement-path"])
def test_twenty_identical_submissions_make_one_row(hworld, day_opened, api_as):
    assert connection.vendor == "postgresql"
    if day_opened:
        from django.utils import timezone

        from sameboat.health.services.rollup import returns_open_day

        returns_open_day(timezone.localdate())
    user = hworld.employee_user
    payload = {"temperature": "36.7", "region": "CN-SC", "work_status": "on_site"}

    def submit(_i: int):
        client = api_as(user)
        response = client.post("/api/v1/checkins/", payload, format="json", HTTP_IDEMPOTENCY_KEY="same-key")
        return response.status_code, response.json()

    results = _race(20, submit)
    assert {code for code, _ in results} == {201}
    assert len({body["id"] for _, body in results}) == 1
    assert CheckIn.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
    assert DailyReturn.objects.get(organization=hworld.unit_a1).reported == 1


def test_racing_submissions_without_key_still_make_one_row_and_count_once(hworld, api_as):
    user = hworld.employee_user

    def submit(i: int):
        client = api_as(user)
        return client.post(
            "/api/v1/checkins/",
            {"temperature": f"36.{i % 10}", "region": "CN-SC", "work_status": "cloud"},
            format="json",
        ).status_code

    codes = _race(10, submit)
    assert sorted(set(codes)) in ([200, 201], [201])
    assert codes.count(201) == 1
    assert CheckIn.objects.count() == 1
    row = DailyReturn.objects.get(organization=hworld.unit_a1)
    assert (row.reported, row.cloud_office) == (1, 1)
