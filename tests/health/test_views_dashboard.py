"""The health dashboard and the export of the day's returns."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sameboat.accounts.roles import Role
from sameboat.health.models import DailyReturn
from sameboat.health.services.checkins import checkin_submit
from sameboat.health.services.followup import quarantine_start
from sameboat.health.services.rollup import returns_open_day
from tests.factories import UserFactory, grant, make_employee, make_org

pytestmark = pytest.mark.django_db


def report(w, employee, temperature="36.5", status="on_site"):
    checkin_submit(
        actor=None,
        employee=employee,
        day=timezone.localdate(),
        temperature=temperature,
        region=w.regions["home"],
        work_status=status,
    )


def kpi(html: str, key: str) -> str:
    """The value shown on one KPI tile."""
    match = re.search(rf'data-testid="kpi-{key}">\s*<span class="kpi-value">([^<]*)<', html)
    assert match, f"no tile kpi-{key}"
    return match.group(1)


def test_hq_sees_group_totals_and_drills_down(client_as, hworld):
    report(hworld, hworld.employee_a, temperature="38.0")
    report(hworld, hworld.employee_b, status="cloud")
    client = client_as(hworld.hq)
    page = client.get("/health/").content.decode()
    assert (kpi(page, "headcount"), kpi(page, "reported"), kpi(page, "missing")) == ("2", "2", "0")
    assert (kpi(page, "fever"), kpi(page, "on_site"), kpi(page, "cloud_office")) == ("1", "1", "1")
    assert kpi(page, "rate") == "100%"
    for key in ("leave", "quarantined", "suspected", "confirmed", "on_time"):
        kpi(page, key)  # every tile is there
    assert 'data-testid="drill-CA"' in page and 'data-testid="drill-CB"' in page
    assert 'data-testid="breakdown-table"' in page
    for chart in ("reporting", "fever", "quarantined", "confirmed"):
        assert f'data-testid="chart-{chart}"' in page
    # Drill down to company A: only its person, and the breadcrumb leads back up.
    page = client.get(f"/health/?org={hworld.company_a.pk}").content.decode()
    assert (kpi(page, "headcount"), kpi(page, "reported"), kpi(page, "fever")) == ("1", "1", "1")
    assert 'data-testid="up-GRP"' in page
    assert f'href="?org={hworld.group.pk}&amp;day=' in page
    assert 'data-testid="drill-CA1"' in page and "drill-CB1" not in page


def test_tiles_link_to_the_lists_behind_them(client_as, hworld, today):
    client = client_as(hworld.officer_a)
    page = client.get(f"/health/?org={hworld.company_a.pk}").content.decode()
    org = hworld.company_a.pk
    day = today.isoformat()
    assert f'href="/health/missing/?org={org}&amp;day={day}" class="kpi' in page
    # Each link carries the filter its tile counts (health.figures).
    assert f'href="/health/quarantines/?org={org}&amp;day={day}&amp;show=confirmed" class="kpi' in page
    assert f'href="/health/fevers/?org={org}&amp;day={day}" class="kpi' in page
    assert f'href="/health/followup/?org={org}&amp;status=suspected&amp;status=isolated" class="kpi' in page
    assert f'href="/health/followup/?org={org}&amp;status=confirmed" class="kpi' in page


def test_missing_units_are_listed_with_their_officers(client_as, hworld, today):
    make_employee(hworld.unit_a1)
    returns_open_day(today)
    report(hworld, hworld.employee_b)  # unit B1 has reported in full
    report(hworld, hworld.employee_a)  # one of two in unit A1 reported: A1 still lags
    client = client_as(hworld.hq)
    page = client.get("/health/").content.decode()
    lagging = re.search(r'data-testid="lagging-units">.*?</section>', page, re.S).group(0)
    assert 'data-testid="lagging-CA1"' in lagging and "lagging-CB1" not in lagging
    assert "officer_a" in lagging  # company A's officer follows up unit A1
    assert "officer_b" not in lagging and "hq" not in lagging
    assert "1 of 2" in lagging


def test_officer_lists_do_not_leak_the_sibling_company(client_as, hworld, today):
    report(hworld, hworld.employee_a, temperature="38.1")
    report(hworld, hworld.employee_b, temperature="38.9")
    quarantine_start(actor=None, employee=hworld.employee_b, start=today, reason="sibling-reason")
    client = client_as(hworld.officer_a)
    page = client.get("/health/").content.decode()
    assert "38.1" in page and "38.9" not in page
    assert hworld.employee_b.name not in page and "drill-CB" not in page
    client = client_as(hworld.hq)
    page = client.get("/health/").content.decode()
    assert "38.9" in page and hworld.employee_b.name in page


def test_scope_and_roles(client_as, hworld):
    client = client_as(hworld.officer_a)
    assert client.get("/health/").status_code == 200
    assert client.get(f"/health/?org={hworld.company_b.pk}").status_code == 404
    assert client.get(f"/health/export/returns.csv?org={hworld.company_b.pk}").status_code == 404
    client = client_as(hworld.viewer_a)
    page = client.get("/health/")
    assert page.status_code == 200 and b'data-testid="fever-list"' not in page.content  # no names for viewers
    client = client_as(hworld.employee_user)
    response = client.get("/health/")
    assert response.status_code == 302 and response["Location"] == "/health/checkin/"
    assert client.get("/health/export/returns.csv").status_code == 404
    client.logout()
    for url in ("/health/", "/health/export/returns.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_past_day_and_a_bad_day(client_as, hworld, today):
    yesterday = today - datetime.timedelta(days=1)
    DailyReturn.objects.create(organization=hworld.unit_a1, day=yesterday, headcount=7, reported=5, fever=2)
    # A reader of the returns only: the figures without a list behind them are the day's
    # return; "missing" opens its list, so it counts the people on it (both had no report).
    reader = UserFactory()
    grant(reader, hworld.group, Role.VIEWER)
    client = client_as(reader)
    page = client.get(f"/health/?day={yesterday.isoformat()}").content.decode()
    assert (kpi(page, "headcount"), kpi(page, "missing"), kpi(page, "fever")) == ("7", "2", "2")
    assert "hx-trigger" not in page  # only today refreshes itself
    assert 'data-testid="day-next"' in page
    page = client.get("/health/?day=nonsense").content.decode()
    assert "That is not a date" in page and "hx-trigger" in page


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_export_csv_has_every_counter_and_a_total(client_as, hworld, today):
    returns_open_day(today)  # the morning job: every unit's row, with its headcount
    report(hworld, hworld.employee_a, temperature="38.0")
    client = client_as(hworld.hq)
    response = client.get("/health/export/returns.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f"returns-GRP-{today.isoformat()}.csv" in response["Content-Disposition"]
    rows = read_csv(response)
    header = rows[0]
    assert header[:4] == ["Day", "Code", "Organisation", "Line"]
    for name in ("Headcount", "Reported", "Not reported", "On site", "In quarantine", "Fever", "Confirmed"):
        assert name in header
    by_code = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_code) == {"CA", "CB", "GRP"}
    assert (by_code["CA"]["Reported"], by_code["CA"]["Fever"], by_code["CA"]["Not reported"]) == ("1", "1", "0")
    assert (by_code["CB"]["Reported"], by_code["CB"]["Not reported"]) == ("0", "1")
    total = by_code["GRP"]
    assert (total["Line"], total["Headcount"], total["Reported"], total["Not reported"]) == ("total", "2", "1", "1")
    assert all(row[0] == today.isoformat() for row in rows[1:])


def test_export_xlsx(client_as, hworld):
    from openpyxl import load_workbook

    report(hworld, hworld.employee_a)
    client = client_as(hworld.officer_a)
    response = client.get(f"/health/export/returns.xlsx?org={hworld.company_a.pk}")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Day", "Code", "Organisation")
    assert [r[1] for r in rows[1:]] == ["CA1", "CA"]  # the unit, then company A's total; no CB
    assert client.get("/health/export/returns.pdf").status_code == 404


def test_export_neutralises_formulas(client_as, hworld):
    from openpyxl import load_workbook

    hworld.company_b.name_en = '=HYPERLINK("http://evil.example","x")'
    hworld.company_b.code = "+CB"
    hworld.company_b.save()
    client = client_as(hworld.hq)
    rows = read_csv(client.get("/health/export/returns.csv"))
    evil = next(row for row in rows if "HYPERLINK" in row[2])
    assert evil[1] == "'+CB" and evil[2].startswith("'=HYPERLINK")
    book = load_workbook(io.BytesIO(b"".join(client.get("/health/export/returns.xlsx").streaming_content)))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "'+CB" in cells and not any(c.startswith(("=", "+")) for c in cells)
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


def test_no_inline_script_or_style(client_as, hworld):
    client = client_as(hworld.hq)
    html = client.get("/health/").content.decode()
    assert not re.search(r"<script(?![^>]*application/json)[^>]*>\s*[^<\s]", html)
    assert not re.search(r"\sstyle=", html) and not re.search(r"\son[a-z]+=", html)
    assert '<script id="health-chart-data" type="application/json">' in html
    assert 'src="/static/vendor/echarts/echarts.min.js"' in html


def _dashboard_queries(client, hworld, units: int, days: int) -> int:
    today = timezone.localdate()
    parent = make_org(hworld.company_a)
    orgs = [make_org(parent) for _ in range(units)]
    DailyReturn.objects.bulk_create(
        DailyReturn(organization=o, day=today - datetime.timedelta(days=d), headcount=10, reported=d % 10)
        for o in orgs
        for d in range(days)
    )
    client.get(f"/health/?org={parent.pk}")  # warm the per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/health/?org={parent.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="drill-') == units
    return len(queries)


def test_query_count_does_not_grow_with_units_or_days(client_as, hworld, django_assert_max_num_queries):
    """3 units with 1 day of returns and 30 units with 90 days cost the same queries."""
    client = client_as(hworld.hq)
    small = _dashboard_queries(client, hworld, units=3, days=1)
    big = _dashboard_queries(client, hworld, units=30, days=90)
    assert small == big
    # 16 for the page, and one count per tile that opens a list (the tile shows that count).
    with django_assert_max_num_queries(21):
        assert client.get(f"/health/?org={hworld.company_a.pk}").status_code == 200
