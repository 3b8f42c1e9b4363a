"""A follow-up case's reasons are stored as codes and read in the reader's language."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.utils import translation

from sameboat.health.models import CaseNote, FollowUpCase
from tests.health.test_checkins import submit

pytestmark = pytest.mark.django_db

migration = importlib.import_module("sameboat.health.migrations.0006_case_reason_codes")


def test_a_case_opened_in_english_reads_in_chinese(hworld, client_as):
    with translation.override("en"):
        submit(hworld, temperature="37.6", symptoms=["cough"])
    case = FollowUpCase.objects.get(employee=hworld.employee_a)
    assert case.reasons == [{"code": "fever", "t": "37.6"}, {"code": "symptoms"}]
    assert case.reason == ""  # no sentence in the filer's language
    with translation.override("zh-hans"):
        assert case.reason_shown == "体温 37.6 °C；报告有症状"
    with translation.override("en"):
        assert case.reason_shown == "temperature 37.6 °C; symptoms reported"
    client = client_as(hworld.officer_a, HTTP_ACCEPT_LANGUAGE="zh-hans")
    for url in ("/health/followup/", f"/health/followup/{case.pk}/"):
        html = client.get(url).content.decode()
        assert "体温 37.6 °C；报告有症状" in html and "symptoms reported" not in html, url


def test_a_new_signal_on_an_open_case_is_a_note_read_in_the_readers_language(hworld, today):
    with translation.override("zh-hans"):
        submit(hworld, day=today - datetime.timedelta(days=1), temperature="38.1")
        submit(hworld, temperature="37.5", contact=True)
    note = CaseNote.objects.get(case__employee=hworld.employee_a)
    assert note.text == "" and note.params == {
        "day": today.isoformat(),
        "reasons": [{"code": "fever", "t": "37.5"}, {"code": "contact"}],
    }
    with translation.override("en"):
        assert note.text_shown.endswith(": temperature 37.5 °C; contact with a case")
    with translation.override("zh-hans"):
        assert note.text_shown == f"{today.year}年{today.month}月{today.day}日：体温 37.5 °C；有病例接触史"


def test_a_person_s_own_words_are_kept_as_they_are(hworld):
    case = FollowUpCase.objects.create(
        employee=hworld.employee_a, organization=hworld.unit_a1, reason="电话随访", opened_on=datetime.date(2026, 1, 2)
    )
    assert case.reason_shown == "电话随访"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("temperature 37.6 °C", [{"code": "fever", "t": "37.6"}]),
        ("体温 38.2 °C；报告有症状", [{"code": "fever", "t": "38.2"}, {"code": "symptoms"}]),
        (
            "体温 37.6 °C · temperature 37.6 °C; 自述症状 · symptoms reported",
            [{"code": "fever", "t": "37.6"}, {"code": "symptoms"}],
        ),
        ("密切接触病例 · contact with a case", [{"code": "contact"}]),
        ("发热门诊就诊", None),  # someone's own words: kept as text
        ("temperature 37.6 °C; called the family", None),  # partly own words: kept whole
    ],
)
def test_the_migration_reads_the_reasons_check_ins_wrote_in_either_language(text, codes):
    assert migration.parse(text) == codes
