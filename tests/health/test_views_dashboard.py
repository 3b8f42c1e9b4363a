"""The health dashboard and the export of the day's returns."""

from __future__ import annotations

import datetime
import io
import re

import pytest

from sameboat.health.models import DailyReturn
from sameboat.health.services.checkins import checkin_submit
from tests.factories import make_org

pytestmark = pytest.mark.django_db


def report(w, employee, temperature="36.5", status="on_site"):
    from django.utils import timezone

    checkin_submit(
        actor=None,
        employee=employee,
        day=timezone.localdate(),
        temperature=temperature,
        region=w.regions["home"],
        work_status=status,
    )


def test_hq_sees_group_totals_and_drills_down(client, hworld):
    report(hworld, hworld.employee_a, temperature="38.0")
    report(hworld, hworld.employee_b, status="cloud")
    client.force_login(hworld.hq)
    page = client.get("/health/").content.decode()
    assert 'data-testid="kpi-reported"' in page
    assert re.search(r'data-testid="kpi-reported">\s*<span class="kpi-value">2<', page)
    assert re.search(r'data-testid="kpi-fever">\s*<span class="kpi-value">1<', page)
    assert 'data-testid="drill-CA"' in page and 'data-testid="drill-CB"' in page
    page = client.get(f"/health/?org={hworld.company_a.pk}").content.decode()
    assert re.search(r'data-testid="kpi-reported">\s*<span class="kpi-value">1<', page)
    assert 'data-testid="up-GRP"' in page  # the way back up


def test_scope_and_roles(client, hworld):
    client.force_login(hworld.officer_a)
    assert client.get("/health/").status_code == 200
    assert client.get(f"/health/?org={hworld.company_b.pk}").status_code == 404
    assert client.get(f"/health/export/returns.csv?org={hworld.company_b.pk}").status_code == 404
    client.force_login(hworld.employee_user)
    response = client.get("/health/")
    assert response.status_code == 302 and response["Location"] == "/health/checkin/"
    client.logout()
    assert client.get("/health/").status_code == 302


def test_export_csv_and_xlsx(client, hworld):
    from openpyxl import load_workbook

    report(hworld, hworld.employee_a)
    client.force_login(hworld.hq)
    text = b"".join(client.get("/health/export/returns.csv").streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Code,Organisation")
    assert any(line.startswith("CA,") for line in lines[1:]) and any(line.startswith("CB,") for line in lines[1:])
    response = client.get("/health/export/returns.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active.max_row == 3
    assert client.get("/health/export/returns.pdf").status_code == 404


def test_no_inline_script_or_style(client, hworld):
    client.force_login(hworld.hq)
    html = client.get("/health/").content.decode()
    assert not re.search(r"<script(?![^>]*application/json)[^>]*>\s*[^<\s]", html)
    assert " style=" not in html
    assert 'id="health-chart-data"' in html


@pytest.mark.parametrize(("units", "days"), [(3, 1), (30, 90)])
def test_query_count_does_not_grow_with_units_or_days(client, hworld, django_assert_max_num_queries, units, days):
    from django.utils import timezone

    today = timezone.localdate()
    orgs = [make_org(hworld.company_a) for _ in range(units)]
    DailyReturn.objects.bulk_create(
        DailyReturn(organization=o, day=today - datetime.timedelta(days=d), headcount=10, reported=d % 10)
        for o in orgs
        for d in range(days)
    )
    client.force_login(hworld.hq)
    client.get("/health/")  # warm the per-process caches (content types, sessions)
    with django_assert_max_num_queries(17):  # the same 17 for 3 units x 1 day and 30 x 90
        assert client.get(f"/health/?org={hworld.company_a.pk}").status_code == 200
