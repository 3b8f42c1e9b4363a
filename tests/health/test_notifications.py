"""Health's notifications are sent as codes and read in each officer's own language."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from sameboat.core.models import Notification
from sameboat.core.selectors import notifications_rendered
from sameboat.health.services.chase import chase_run
from tests.health.test_checkins import submit

pytestmark = pytest.mark.django_db


def _read(user, event: str) -> tuple[str, str]:
    item = notifications_rendered(Notification.objects.filter(recipient=user, event=event))[0]
    return item.title, item.body


def test_a_case_opened_in_chinese_reads_in_english_for_an_english_reader(hworld, django_capture_on_commit_callbacks):
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        submit(hworld, temperature="38.6", symptoms=["cough"])
    with translation.override("en"):
        assert _read(hworld.officer_a, "health.case.opened") == (
            "Follow-up needed: 张三 (Unit A1)",
            "temperature 38.6 °C; symptoms reported",
        )
    with translation.override("zh-hans"):
        assert _read(hworld.officer_a, "health.case.opened") == (
            "需要随访：张三（甲一单位）",
            "体温 38.6 °C；报告有症状",
        )


def test_an_arrival_proposal_names_the_region_and_risk_in_the_readers_language(
    hworld, today, django_capture_on_commit_callbacks
):
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        submit(hworld, day=today - datetime.timedelta(days=1), region=hworld.regions["hot"], work_status="leave")
        submit(hworld, work_status="cloud")
    with translation.override("en"):
        title, body = _read(hworld.officer_a, "health.quarantine.proposed")
    assert title == "Quarantine proposed: 张三 (Unit A1)"
    assert body == f"Arrived from Hubei (High risk) on or before {today.isoformat()}"
    with translation.override("zh-hans"):
        title, body = _read(hworld.officer_a, "health.quarantine.proposed")
    assert title == "建议隔离：张三（甲一单位）"
    assert body == f"{today.isoformat()} 或之前从湖北（高风险）抵达"


def test_a_chase_sent_in_chinese_names_the_unit_in_english(hworld, today, django_capture_on_commit_callbacks):
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        chase_run(actor=hworld.officer_a, organization=hworld.company_a, day=today)
    with translation.override("en"):
        title, _body = _read(hworld.officer_a, "health.checkin.missing")
    assert title == f"1 people in Unit A1 have not reported for {today.isoformat()}"
    with translation.override("en"):
        title, _body = _read(hworld.employee_user, "health.checkin.reminder")
    assert title == f"Please file your health check-in for {today.isoformat()}"


def test_an_officer_who_left_the_unit_no_longer_sees_its_names(hworld, django_capture_on_commit_callbacks):
    from sameboat.accounts.models import Membership
    from sameboat.accounts.scoping import forget_memberships

    with django_capture_on_commit_callbacks(execute=True):
        submit(hworld, temperature="38.6")
    Membership.objects.filter(user=hworld.officer_a).delete()
    forget_memberships(hworld.officer_a)
    with translation.override("en"):
        title, _body = _read(hworld.officer_a, "health.case.opened")
    assert title == "Follow-up needed: someone (a unit)" and "张三" not in title
