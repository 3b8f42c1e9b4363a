"""Group dashboard time for 500 units and 200,000 employees with 90 days of history,
divided by the same with 1 day of history (goal <= 1.2: cost independent of history).
The server-side time for all units at 90 days is reported beside it (goal < 50 ms).

Two groups of the same shape are built side by side, one with 90 days of returns and one
with today's only, so the two pages can be measured in alternating rounds on the same
tables. Today is opened as in production (``health_open_day`` after the reports were
counted), and 90 % of each group has reported. The dashboard reads only the per-unit-per-day
returns; raw check-ins are never scanned.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterator
from typing import Any

from bench.timing import alternate, judged, median_seconds

COMPANIES = 50
UNITS_PER_COMPANY = 10
PER_UNIT = 400
PAGES_PER_ROUND = 3
GOAL = 1.2


def _build(code: str) -> tuple[Any, list[int]]:
    from sameboat.accounts.models import Membership, User
    from sameboat.accounts.roles import Role
    from sameboat.orgs.models import Employee, Organization

    add_child = Organization.objects.add_child
    group = Organization.objects.add_root(
        create_kwargs={"code": code, "name_zh": f"集团{code}", "name_en": f"Group {code}", "kind": "group"}
    )
    unit_ids: list[int] = []
    for c in range(COMPANIES):
        group.refresh_from_db()
        company = add_child(
            group,
            create_kwargs={
                "code": f"{code}C{c:02d}",
                "name_zh": f"公司{c}",
                "name_en": f"Company {c}",
                "kind": "company",
            },
        )
        for u in range(UNITS_PER_COMPANY):
            company.refresh_from_db()
            unit = add_child(
                company,
                create_kwargs={
                    "code": f"{code}C{c:02d}U{u}",
                    "name_zh": f"单位{c}-{u}",
                    "name_en": f"Unit {c}-{u}",
                    "kind": "unit",
                },
            )
            unit_ids.append(unit.pk)
    batch: list[Employee] = []
    n = 0
    for unit_id in unit_ids:
        for _ in range(PER_UNIT):
            n += 1
            batch.append(Employee(organization_id=unit_id, group=group, employee_no=f"{code}{n:07d}", name=f"员工{n}"))
        if len(batch) >= 20000:
            Employee.objects.bulk_create(batch)
            batch = []
    Employee.objects.bulk_create(batch)
    hq = User.objects.create(username=f"bench-dash-hq-{code}")
    Membership.objects.create(user=hq, organization=group, role=Role.HQ_COMMANDER)
    return hq, unit_ids


def _report_today(unit_ids: list[int], day: datetime.date) -> None:
    """Nine in ten report today, in one statement (the check-in path is not measured here)."""
    from django.db import connection
    from django.utils import timezone

    from sameboat.health.models import CheckIn
    from sameboat.orgs.models import Employee, Region

    region = Region.objects.get_or_create(code="CN-SC", defaults={"name_zh": "四川", "name_en": "Sichuan"})[0]
    now = timezone.now()
    empty = "CAST('[]' AS jsonb)" if connection.vendor == "postgresql" else "'[]'"
    marks = ", ".join(["%s"] * len(unit_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CheckIn._meta.db_table} (employee_id, organization_id, day, temperature, symptoms,"
            " region_id, travelled, contact, work_status, commute_mode, source, on_time, created_at, updated_at)"
            f" SELECT id, organization_id, %s, 36.6, {empty}, %s, %s, %s, 'on_site', '', 'web', %s, %s, %s"
            f" FROM {Employee._meta.db_table} WHERE id %% 10 <> 0 AND organization_id IN ({marks}) ORDER BY id",
            [day, region.pk, False, False, True, now, now, *unit_ids],
        )


def _history(unit_ids: list[int], days: list[datetime.date]) -> None:
    from sameboat.health.models import DailyReturn

    rng = random.Random(7)
    rows = []
    for day in days:
        for unit_id in unit_ids:
            reported = rng.randint(300, PER_UNIT)
            on_site = rng.randint(0, reported)
            rows.append(
                DailyReturn(
                    organization_id=unit_id,
                    day=day,
                    headcount=PER_UNIT,
                    reported=reported,
                    on_time=reported - rng.randint(0, 20),
                    on_site=on_site,
                    cloud_office=reported - on_site,
                    quarantined=rng.randint(0, 5),
                    fever=rng.randint(0, 2),
                )
            )
    DailyReturn.objects.bulk_create(rows, batch_size=10000)


def run() -> Iterator[dict[str, Any]]:
    """Time the dashboard page of a group with one day of returns against one with ninety."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from sameboat.health.models import OpenedDay
    from sameboat.health.selectors import returns_breakdown, returns_subtree, returns_trend, units_not_reported
    from sameboat.health.services.rollup import returns_open_day, returns_recount
    from sameboat.orgs.selectors import organization_roots

    began = time.perf_counter()
    today = timezone.localdate()
    with transaction.atomic():  # one commit, not one per unit
        hq1, units1 = _build("DA")
        hq90, units90 = _build("DB")
        _report_today(units1 + units90, today)
    returns_recount((unit, today) for unit in units1 + units90)
    returns_open_day(today)
    assert OpenedDay.objects.get(day=today).exact
    _history(units90, [today - datetime.timedelta(days=i) for i in range(1, 90)])
    if connection.vendor == "postgresql":
        # Fresh planner statistics: without them the pages plan badly after the bulk loads.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def page_of(hq: Any) -> Any:
        client = Client()
        client.force_login(hq)

        def page() -> None:
            response = client.get("/health/")
            assert response.status_code == 200, response.status_code

        return page

    def server_side_of(hq: Any) -> Any:
        def server_side() -> None:
            org = organization_roots(user=hq).first()
            returns_subtree(user=hq, organization=org, day=today)
            returns_breakdown(user=hq, organization=org, day=today)
            units_not_reported(user=hq, organization=org, day=today, limit=50)
            returns_trend(user=hq, organization=org, days=90)  # the page's 30-day chart is its tail

        return server_side

    page1, page90 = page_of(hq1), page_of(hq90)
    pages = alternate(
        lambda: median_seconds(page90, repeat=PAGES_PER_ROUND, warmup=0),
        lambda: median_seconds(page1, repeat=PAGES_PER_ROUND, warmup=0),
    )
    server = alternate(
        lambda: median_seconds(server_side_of(hq90), repeat=PAGES_PER_ROUND, warmup=0),
        lambda: median_seconds(server_side_of(hq1), repeat=PAGES_PER_ROUND, warmup=0),
    )
    with CaptureQueriesContext(connection) as queries:
        page90()

    def ms(values: list[float]) -> float:
        return round(sorted(values)[len(values) // 2] * 1000, 1)

    yield {
        **judged([t90 / t1 for t90, t1 in pages], goal=GOAL, at_least=False),
        "detail": {
            "units": len(units90),
            "employees": len(units90) * PER_UNIT,
            "page_ms_1_day": ms([t1 for _t90, t1 in pages]),
            "page_ms_90_days": ms([t90 for t90, _t1 in pages]),
            "queries_ms_1_day": ms([s1 for _s90, s1 in server]),
            "queries_ms_90_days": ms([s90 for s90, _s1 in server]),
            "queries_ratio": round(sorted(s90 / s1 for s90, s1 in server)[len(server) // 2], 3),
            "queries_per_page": len(queries.captured_queries),
            "pages_per_round": PAGES_PER_ROUND,
            "database": connection.vendor,
            "seconds": round(time.perf_counter() - began, 1),
            "goal": f"ratio <= {GOAL}; queries_ms_90_days < 50",
        },
    }
