"""Small helpers shared by the officer's health pages (filters, permissions, labels)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone

from sameboat.accounts.roles import HEALTH_VALUE_ROLES, READ_ROLES, ROSTER_ROLES
from sameboat.accounts.scoping import has_role, reaches
from sameboat.health.forms_officer import UnitDayFilterForm, UnitFilterForm
from sameboat.health.models import CaseStatus, Symptom
from sameboat.orgs.models import Organization
from sameboat.orgs.selectors import organization_get

PAGE = 50

SYMPTOM_LABELS = dict(Symptom.choices)
CASE_STATUS_LABELS = dict(CaseStatus.choices)


def require_reader(request: HttpRequest) -> None:
    """Officer pages answer 404 to people who read no subtree (employees, nobodies)."""
    if not has_role(request.user, *READ_ROLES):
        raise Http404


def require_health_reader(request: HttpRequest) -> None:
    """Pages of individual health values answer 404 to roles that see the returns' counts
    only (supplies, logistics, desk, members, viewers), as to people with no role at all."""
    if not has_role(request.user, *HEALTH_VALUE_ROLES):
        raise Http404


def may_read_values(request: HttpRequest, employee: Any) -> bool:
    """Whether the user may read this person's health values: they are the person, or
    hold a role that reads them on the person's unit or above."""
    if employee.user_id is not None and employee.user_id == request.user.pk:
        return True
    return reaches(request.user, employee.organization, HEALTH_VALUE_ROLES)


def may_write(request: HttpRequest, organization: Organization) -> bool:
    """Whether the user may act (not just read) on the organisation's health records."""
    return reaches(request.user, organization, ROSTER_ROLES)


def org_param(request: HttpRequest) -> Organization | None:
    """The ?org= (or posted org) in scope, or None; out of scope is a 404."""
    pk = request.GET.get("org") or request.POST.get("org")
    if not pk:
        return None
    if not str(pk).isdigit():
        raise Http404
    return organization_get(user=request.user, pk=pk)


def unit_filters(request: HttpRequest) -> tuple[UnitFilterForm, Organization | None]:
    """The unit filter of a list: a bad one is a message beside the field, not a 404, and
    the list shows what it shows without the filter."""
    form = UnitFilterForm(request.GET, user=request.user)
    return form, form.values()["org"]


def unit_day_filters(request: HttpRequest) -> tuple[UnitDayFilterForm, Organization | None, datetime.date]:
    """The unit and day filters of a day's list; the day is never in the future and is
    today when missing or malformed (then with a message beside it)."""
    form = UnitDayFilterForm(request.GET, user=request.user)
    values = form.values()
    today = timezone.localdate()
    return form, values["org"], min(values["day"] or today, today)


def day_param(request: HttpRequest) -> datetime.date:
    """The ?day= (or posted day), never in the future; today when missing or malformed."""
    text = request.GET.get("day") or request.POST.get("day")
    today = timezone.localdate()
    try:
        return min(datetime.date.fromisoformat(text), today) if text else today
    except ValueError:
        return today


def symptom_labels(codes: list[str] | None) -> list[str]:
    """The symptoms' names in the reader's language (unknown codes as they are)."""
    return [str(SYMPTOM_LABELS.get(code, code)) for code in codes or []]


def label_checkins(checkins: list[Any]) -> list[Any]:
    """Attach readable symptom names to each check-in for the tables."""
    for c in checkins:
        c.symptom_labels = symptom_labels(c.symptoms)
    return checkins
