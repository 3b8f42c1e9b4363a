"""The dashboard's trend charts: the rare events on their own charts, the same figures as
the tiles, a text alternative in the reader's language, and no query of their own."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from sameboat.health.exporters import counter_labels
from sameboat.health.models import CaseStatus, FollowUpCase
from sameboat.health.services.followup import case_set_status, quarantine_start
from sameboat.health.views.charts import MAIN_SERIES, RARE_SERIES, SERIES, trend_charts
from tests.health.test_views_dashboard import kpi, report

pytestmark = pytest.mark.django_db


def chart_data(html: str) -> dict:
    match = re.search(r'<script id="health-chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no chart data block"
    return json.loads(match.group(1))


def test_rare_events_get_their_own_charts_with_the_tiles_figures(
    client_as, hworld, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report(hworld, hworld.employee_a, temperature="38.6")
        report(hworld, hworld.employee_b)
        quarantine_start(actor=None, employee=hworld.employee_b, start=today, reason="contact")
    case = FollowUpCase.objects.get(employee=hworld.employee_a)
    with django_capture_on_commit_callbacks(execute=True):
        case_set_status(actor=hworld.officer_a, case=case, status=CaseStatus.CONFIRMED, note="lab")
    html = client_as(hworld.hq).get("/health/").content.decode()
    data = chart_data(html)
    assert data["charts"] == {"reporting": list(MAIN_SERIES), **{key: [key] for key in RARE_SERIES}}
    assert len(data["days"]) == 90 and data["days"][-1] == today.isoformat()
    # Today's point of each chart is the number on its tile.
    for key in ("reported", "missing", "on_site", "fever", "quarantined", "confirmed"):
        assert str(data["values"][key][-1]) == kpi(html, key), key
    assert (data["values"]["fever"][-1], data["values"]["confirmed"][-1]) == (1, 1)
    for key in ("reporting", *RARE_SERIES):
        assert f'data-testid="chart-{key}"' in html and f'aria-describedby="chart-summary-{key}"' in html
    # The numbers behind the charts, as a table: 90 days, newest first.
    table = html[html.index('data-testid="trend-table"') :]
    assert table.count('<th scope="row" class="nowrap">') == 90


def test_the_charts_speak_chinese(client_as, hworld):
    report(hworld, hworld.employee_a, temperature="38.2")
    client = client_as(hworld.hq)
    html = client.get("/health/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    data = chart_data(html)
    assert data["labels"]["fever"] == "发热" and data["axis"] == "人数"
    assert "趋势" in html and "查看数据表" in html
    month_day = timezone.localdate().strftime("%-m月%-d日")
    assert re.search(rf"发热：最新 1，最高 1（{month_day}）", html), "the fever chart's summary in Chinese"


def test_the_trend_section_costs_no_query(client_as, hworld, django_assert_num_queries):
    """The charts read the one 90-day trend the page already fetched (the same count as before
    the rare-event charts: test_query_count_does_not_grow_with_units_or_days pins the total)."""
    rows = [{"day": timezone.localdate(), **dict.fromkeys(SERIES, 0)}]
    with django_assert_num_queries(0), translation.override("en"):
        trend_charts(rows, counter_labels())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(*(st.integers(0, 5000) for _ in SERIES)), min_size=1, max_size=90))
def test_summary_and_table_hold_the_charted_numbers(values):
    """Whatever the days, the table and the data block carry the same numbers, and each
    chart's summary names its series' latest and highest values."""
    first = datetime.date(2026, 1, 1)
    rows = [
        {"day": first + datetime.timedelta(days=i), **dict(zip(SERIES, day, strict=True))}
        for i, day in enumerate(values)
    ]
    with translation.override("en"):
        trends = trend_charts(rows, counter_labels())
    assert [day for day, _ in trends.table] == [r["day"] for r in reversed(rows)]
    for column, key in enumerate(SERIES):
        assert trends.data["values"][key] == [r[key] for r in rows]
        assert [cells[column] for _, cells in reversed(trends.table)] == [r[key] for r in rows]
    for chart in trends.charts:
        for key in chart.series:
            highest = max(r[key] for r in rows)
            assert f"latest {rows[-1][key]}, highest {highest} (" in chart.summary
