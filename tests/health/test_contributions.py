"""What health registers for the next issues: the returns-rate readiness check and the situation
report's returns section, run through the registries as work resumption and reports will."""

from __future__ import annotations

import pytest
from django.utils import translation

from sameboat.core.contributions import Readiness, readiness_checks, readiness_run, sitrep_for, sitrep_sections
from sameboat.health.models import DailyReturn

pytestmark = pytest.mark.django_db


def returns(org, day, headcount: int, reported: int) -> None:
    DailyReturn.objects.update_or_create(
        organization=org, day=day, defaults={"headcount": headcount, "reported": reported}
    )


@pytest.mark.parametrize(
    ("reported", "status"),
    [(19, Readiness.PASS), (18, Readiness.PASS), (16, Readiness.WARN), (14, Readiness.FAIL)],
)
def test_the_returns_rate_check_judges_the_whole_subtree(hworld, today, reported, status):
    # Company A's own staff and unit A1 together: 20 people.
    returns(hworld.company_a, today, 10, 10)
    returns(hworld.unit_a1, today, 10, reported - 10)
    returns(hworld.unit_b1, today, 100, 0)  # another subtree: not counted
    results = dict(readiness_run(organization=hworld.company_a, day=today))
    result = results[readiness_checks["health.returns_rate"]]
    assert result.status == status
    with translation.override("en"):
        assert str(result.label) == "Daily health returns"
        assert f"({reported} of 20)" in str(result.detail)


def test_the_returns_rate_check_cannot_judge_an_empty_roster(hworld, today):
    DailyReturn.objects.all().delete()
    result = readiness_checks["health.returns_rate"].check(hworld.company_b, today)
    assert result.status == Readiness.UNKNOWN


def test_the_returns_section_is_within_the_readers_scope(hworld, today):
    returns(hworld.unit_a1, today, 10, 7)
    returns(hworld.unit_b1, today, 4, 4)
    sections = dict(sitrep_for(user=hworld.officer_a, day=today))
    context = sections[sitrep_sections["health.returns"]]
    assert context["day"] == today
    assert [(line["organization"], line["reported"], line["headcount"]) for line in context["lines"]] == [
        (hworld.company_a, 7, 10)
    ]
    group = dict(sitrep_for(user=hworld.hq, day=today))[sitrep_sections["health.returns"]]
    assert [(line["reported"], line["headcount"], line["rate"]) for line in group["lines"]] == [(11, 14, 79)]
    # An employee reads no subtree: the section is not theirs.
    assert sitrep_sections["health.returns"] not in dict(sitrep_for(user=hworld.employee_user, day=today))
