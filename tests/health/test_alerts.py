"""Alerts for the epidemic-prevention office (issue 9, "HQ hears nothing"): who hears of a
confirmed case, a fever and a unit under the reporting rate, who does not, and that the
same alert reaches a person once a day."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sameboat.accounts.roles import Role
from sameboat.core.models import Notification
from sameboat.core.selectors import notifications_rendered
from sameboat.health.models import CaseStatus, FollowUpCase
from sameboat.health.services.chase import chase_run
from sameboat.health.services.followup import case_set_status
from sameboat.orgs.models import LeadershipGroup, LeadershipMember
from tests.factories import UserFactory, grant, make_employee
from tests.health.test_checkins import submit
from tests.health.test_import import HEADER, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerted(hworld):
    """hworld plus: company managers, an HQ commander of company B only, and a leadership
    group for each company whose seat names a person with a login."""
    w = hworld
    w.manager_a = UserFactory(username="manager_a")
    grant(w.manager_a, w.company_a, Role.UNIT_MANAGER)
    w.manager_b = UserFactory(username="manager_b")
    grant(w.manager_b, w.company_b, Role.UNIT_MANAGER)
    w.hq_b = UserFactory(username="hq_b")
    grant(w.hq_b, w.company_b, Role.HQ_COMMANDER)
    w.leader_a = UserFactory(username="leader_a")
    w.leader_b = UserFactory(username="leader_b")
    for company, leader, no in ((w.company_a, w.leader_a, "LA"), (w.company_b, w.leader_b, "LB")):
        seat_holder = make_employee(company, employee_no=no, user=leader)
        group = LeadershipGroup.objects.create(organization=company, name="")
        LeadershipMember.objects.create(group=group, position="leader", person_name=no, employee=seat_holder)
    return w


def _to(event: str) -> set[str]:
    return set(Notification.objects.filter(event=event).values_list("recipient__username", flat=True))


def _read(user, event: str, **where) -> tuple[str, str]:
    item = notifications_rendered(Notification.objects.filter(recipient=user, event=event, **where))[0]
    return item.title, item.body


def _confirm(w, capture) -> FollowUpCase:
    with capture(execute=True):
        submit(w, temperature="38.6")
    case = FollowUpCase.objects.get(employee=w.employee_a)
    with capture(execute=True):
        case_set_status(actor=w.officer_a, case=case, status=CaseStatus.CONFIRMED, note="lab")
    return case


# --- A confirmed case ------------------------------------------------------------------------


def test_a_confirmed_case_reaches_hq_and_the_companys_leadership_group(alerted, django_capture_on_commit_callbacks):
    _confirm(alerted, django_capture_on_commit_callbacks)
    # Not the sibling company's HQ or leadership, not the officers (they confirmed it).
    assert _to("health.case.confirmed") == {"hq", "leader_a"}


def test_a_case_confirmed_twice_alerts_once(alerted, django_capture_on_commit_callbacks):
    case = _confirm(alerted, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        case_set_status(actor=alerted.officer_a, case=case, status=CaseStatus.ISOLATED, note="")
        case_set_status(actor=alerted.officer_a, case=case, status=CaseStatus.CONFIRMED, note="again")
    assert Notification.objects.filter(event="health.case.confirmed", recipient=alerted.hq).count() == 1


def test_other_statuses_alert_nobody_upstairs(alerted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(alerted, temperature="38.6")
        case = FollowUpCase.objects.get(employee=alerted.employee_a)
        case_set_status(actor=alerted.officer_a, case=case, status=CaseStatus.SUSPECTED, note="")
    assert not Notification.objects.filter(recipient__in=[alerted.hq, alerted.leader_a]).exists()


def test_a_confirmed_case_reads_in_english_and_chinese(alerted, today, django_capture_on_commit_callbacks):
    with translation.override("zh-hans"):
        _confirm(alerted, django_capture_on_commit_callbacks)
    with translation.override("en"):
        assert _read(alerted.hq, "health.case.confirmed") == (
            "Confirmed case: 张三 (Unit A1)",
            f"A follow-up case was confirmed on {today.isoformat()}. Open it for its history.",
        )
    with translation.override("zh-hans"):
        assert _read(alerted.hq, "health.case.confirmed") == (
            "确诊病例：张三（甲一单位）",
            f"一个随访病例已于 {today.isoformat()} 确诊。打开可查看其经过。",
        )


# --- A fever -----------------------------------------------------------------------------------


def test_a_fever_on_an_open_case_reaches_the_units_officers_once_a_day(
    alerted, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(alerted, day=today - datetime.timedelta(days=1), temperature="38.6")  # opens the case
    assert _to("health.case.opened") == {"officer_a", "manager_a"}
    assert not _to("health.fever.reported")  # the case's notice already carries the fever
    with django_capture_on_commit_callbacks(execute=True):
        submit(alerted, temperature="38.9")
        submit(alerted, temperature="39.1")  # refiled the same day: merged
    assert _to("health.fever.reported") == {"officer_a", "manager_a"}  # not officer_b, manager_b, hq
    assert Notification.objects.filter(event="health.fever.reported").count() == 2
    with translation.override("en"):
        title, _body = _read(alerted.officer_a, "health.fever.reported")
    assert title == "Fever: 张三 (Unit A1), 38.9 °C"
    with translation.override("zh-hans"):
        title, _body = _read(alerted.officer_a, "health.fever.reported")
    assert title == "发热：张三（甲一单位），38.9 °C"


def test_no_fever_no_alert(alerted, today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(alerted, day=today - datetime.timedelta(days=1), temperature="38.6")
        submit(alerted, temperature="36.6", symptoms=["cough"])
    assert not _to("health.fever.reported")


def test_an_upload_of_many_fevers_sends_one_insert_per_unit(
    tmp_path, alerted, today, django_capture_on_commit_callbacks
):
    people_a = [make_employee(alerted.unit_a1, employee_no=f"A-{i:03}") for i in range(2, 32)]
    people_b = [make_employee(alerted.unit_b1, employee_no=f"B-{i:03}") for i in range(2, 22)]
    yesterday = today - datetime.timedelta(days=1)

    def rows(day, t):
        return "".join(f"{p.employee_no},{day},{t},,CN-SC,no,no,cloud,\n" for p in people_a + people_b)

    with django_capture_on_commit_callbacks(execute=True):
        assert run(tmp_path, alerted, HEADER + rows(yesterday, "38.4"))["cases_opened"] == 50
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        result = run(tmp_path, alerted, HEADER + rows(today, "38.7"))
    assert result["cases_opened"] == 0
    inserts = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"] and "core_notification" in q["sql"]]
    assert len(inserts) == 2  # one per unit, not one per fever or per officer
    fevers = Notification.objects.filter(event="health.fevers.reported")
    assert {(n.recipient.username, n.params["n"]) for n in fevers} == {
        ("officer_a", 30),
        ("manager_a", 30),
        ("officer_b", 20),
        ("manager_b", 20),
    }
    with translation.override("zh-hans"):
        title, _body = _read(alerted.officer_a, "health.fevers.reported")
    assert title == "甲一单位报告发热：30 人"


# --- The reporting rate at the cut-off -----------------------------------------------------------


def test_a_unit_under_the_rate_at_the_cut_off_reaches_its_companys_managers(
    alerted, today, django_capture_on_commit_callbacks
):
    yesterday = today - datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        for person in (alerted.employee_b, alerted.leader_b.employee):
            submit(alerted, employee=person, actor=alerted.officer_b, day=yesterday)
        summary = chase_run(day=yesterday)
    # Unit A1 and company A's own staff: nobody reported (0%); company B reported in full.
    assert summary["under_rate"] == 2
    assert _to("health.rate.low") == {"manager_a"}
    with translation.override("en"):
        assert _read(alerted.manager_a, "health.rate.low", organization=alerted.unit_a1) == (
            f"Reporting rate in Unit A1: 0% at the cut-off on {yesterday.isoformat()}",
            "Below the target of 90%: 1 people have not reported.",
        )
    with translation.override("zh-hans"):
        title, _body = _read(alerted.manager_a, "health.rate.low", organization=alerted.unit_a1)
    assert title == f"甲一单位 {yesterday.isoformat()} 截止时填报率：0%"


def test_before_the_cut_off_no_rate_alert(alerted, today, django_capture_on_commit_callbacks):
    # The frozen clock stands at 08:30, before the 10:00 cut-off.
    with django_capture_on_commit_callbacks(execute=True):
        assert chase_run(day=today)["under_rate"] == 0
    assert not _to("health.rate.low")


def test_the_rate_target_is_a_setting(alerted, today, settings, django_capture_on_commit_callbacks):
    settings.SAMEBOAT_CHECKIN_RATE_ALERT = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert chase_run(day=today - datetime.timedelta(days=1))["under_rate"] == 0
    assert not _to("health.rate.low")


def test_chasing_twice_a_day_reminds_each_person_once(alerted, today, django_capture_on_commit_callbacks):
    yesterday = today - datetime.timedelta(days=1)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            chase_run(day=yesterday)
    for event in ("health.checkin.reminder", "health.checkin.missing", "health.rate.low"):
        rows = Notification.objects.filter(event=event)
        # One per person and unit: company A's own staff and unit A1 are two subjects.
        assert rows.count() == len(set(rows.values_list("recipient_id", "organization_id"))) > 0, event
    with django_capture_on_commit_callbacks(execute=True):
        chase_run(day=today)
    assert Notification.objects.filter(event="health.checkin.reminder", recipient=alerted.employee_user).count() == 2
