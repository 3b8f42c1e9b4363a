"""The audit trail speaks people's language: labels for actions and fields, values in words."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from sameboat.core.audit import audit_record
from sameboat.core.audit_display import audit_changes_shown

pytestmark = pytest.mark.django_db


def _shown(event, reader, language="zh-hans"):
    with translation.override(language):
        return {c.field: (c.label, c.before, c.after) for c in audit_changes_shown([event], reader=reader)[0][1]}


def test_fields_by_their_labels_and_values_in_words(world):
    event = audit_record(
        actor=world.hq,
        action="orgs.employee.updated",
        obj=world.employee_a,
        before={"is_active": True, "organization_id": world.unit_a1.pk, "day": "2026-03-01"},
        after={"is_active": False, "organization_id": world.company_b.pk, "day": None},
    )
    shown = _shown(event, world.hq)
    assert shown["is_active"][1:] == ("是", "否")
    assert shown["organization_id"][1:] == ("甲一单位", "乙公司")  # by name, in the reader's language
    assert shown["day"][1:] == ("2026年3月1日", "—")
    assert [label for label, _b, _a in shown.values()] == ["在册", "单位", "日期"]
    english = _shown(event, world.hq, "en")
    assert english["organization_id"][1:] == ("Unit A1", "Company B")


def test_a_record_out_of_the_readers_scope_is_not_named(world):
    event = audit_record(
        actor=world.hq,
        action="orgs.employee.updated",
        obj=world.employee_a,
        before={"organization_id": world.unit_a1.pk},
        after={"organization_id": world.unit_b1.pk},
    )
    before, after = _shown(event, world.officer_a)["organization_id"][1:]
    assert before == "甲一单位" and "乙" not in after


def test_choices_lists_and_keys_that_are_no_field(world):
    event = audit_record(
        actor=world.hq,
        action="accounts.membership.granted",
        obj=world.hq.memberships.first(),
        after={"role": "hq_commander", "read": {"cases": [3, 1]}, "mystery": "x"},
    )
    shown = _shown(event, world.hq)
    assert shown["role"][2] == "总部指挥"
    assert shown["read"] == ("查看的记录", "—", "随访案例: 3、1")
    assert shown["mystery"][0] == "其他值"


def test_the_audit_page_shows_labels_not_codes_lists_or_booleans(world, client_as):
    audit_record(
        actor=world.hq,
        action="orgs.employee.updated",
        obj=world.employee_a,
        before={"is_active": True, "tags": ["a", "b"]},
        after={"is_active": False, "tags": []},
    )
    html = client_as(world.hq, HTTP_ACCEPT_LANGUAGE="zh-hans").get("/audit/").content.decode()
    assert "花名册条目已修改" in html or 'data-action="orgs.employee.updated"' in html
    assert ">orgs.employee.updated<" not in html and ">is_active<" not in html
    assert ">True<" not in html and "['a', 'b']" not in html
    assert ">是<" in html and ">否<" in html and "a、b" in html


def test_an_event_about_a_kind_of_record_no_app_has_any_more_still_shows(world):
    event = audit_record(actor=None, action="core.job.queued", after={"when": datetime.date(2026, 1, 2)})
    event.object_type = "gone.model"
    assert _shown(event, world.hq)["when"] == ("其他值", "—", "2026年1月2日")
