"""The live health dashboard for a subtree (KPI tiles, breakdown, laggards, trends) and the
export of the day's returns. A fixed number of queries whatever the tree's size or history."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.accounts.roles import READ_ROLES, ROSTER_ROLES
from sameboat.core.scoping import has_role, reaches
from sameboat.core.spreadsheets import csv_response, xlsx_response
from sameboat.health import selectors
from sameboat.orgs.models import Organization
from sameboat.orgs.selectors import organization_get, organization_roots

KPIS = (
    "headcount",
    "reported",
    "missing",
    "on_site",
    "cloud_office",
    "leave",
    "quarantined",
    "fever",
    "suspected",
    "confirmed",
)


def _counter_labels() -> dict[str, str]:
    return {
        "headcount": _("Headcount"),
        "reported": _("Reported"),
        "missing": _("Not reported"),
        "on_time": _("Reported by the cut-off"),
        "rate": _("Reporting rate (%)"),
        "on_site": _("On site"),
        "cloud_office": _("Cloud office"),
        "leave": _("Leave"),
        "quarantined": _("In quarantine"),
        "fever": _("Fever"),
        "symptomatic": _("With symptoms"),
        "exposed": _("Exposed"),
        "suspected": _("Suspected"),
        "confirmed": _("Confirmed"),
    }


def _target(request: HttpRequest) -> tuple[Organization, datetime.date]:
    org_id = request.GET.get("org")
    found = organization_get(user=request.user, pk=org_id) if org_id else organization_roots(user=request.user).first()
    if found is None:
        raise Http404
    org = found
    today = timezone.localdate()
    day = today
    if request.GET.get("day"):
        try:
            day = min(datetime.date.fromisoformat(request.GET["day"]), today)
        except ValueError:
            messages.warning(request, _("That is not a date; showing today."))
    return org, day


def _visible_ancestors(request: HttpRequest, org: Organization) -> list[Organization]:
    ancestors = list(Organization.objects.get_ancestors(org))
    return [a for a in ancestors if reaches(request.user, a)]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Today (or ?day=) for the user's top organisation (or ?org=), with drill-down."""
    if not has_role(request.user, *READ_ROLES):
        return redirect("health:checkin")
    org, day = _target(request)
    totals = selectors.returns_subtree(user=request.user, organization=org, day=day)
    labels = _counter_labels()
    trend30 = selectors.returns_trend(user=request.user, organization=org, days=30, end=day)
    trend90 = selectors.returns_trend(user=request.user, organization=org, days=90, end=day)
    series = ("reported", "on_site", "quarantined", "fever", "missing")
    officer = has_role(request.user, *ROSTER_ROLES)
    context: dict[str, Any] = {
        "org": org,
        "day": day,
        "today": timezone.localdate(),
        "totals": totals,
        "kpis": [(key, labels[key], totals[key]) for key in KPIS],
        "lines": selectors.returns_breakdown(user=request.user, organization=org, day=day),
        "lagging": selectors.units_not_reported(user=request.user, organization=org, day=day, limit=50),
        "lagging_count": selectors.units_not_reported_count(user=request.user, organization=org, day=day),
        "ancestors": _visible_ancestors(request, org),
        "officer": officer,
        "chart": {
            "labels": {key: labels[key] for key in series},
            "series": list(series),
            "trend30": _chart(trend30, series),
            "trend90": _chart(trend90, series),
        },
    }
    if officer:
        context["fevers"] = list(selectors.fever_list(user=request.user, organization=org, day=day)[:20])
        quarantines = selectors.quarantine_list(
            user=request.user, organization=org, active_on=day, include_proposed=False
        )
        context["quarantines"] = list(quarantines[:20])
    return render(request, "health/dashboard.html", context)


def _chart(rows: list[dict[str, Any]], series: tuple[str, ...]) -> dict[str, Any]:
    return {"days": [r["day"].isoformat() for r in rows], **{k: [r[k] for r in rows] for k in series}}


@login_required
def returns_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The day's breakdown as CSV or Excel: one line per child subtree and the own staff."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    if not has_role(request.user, *READ_ROLES):
        raise Http404
    org, day = _target(request)
    labels = _counter_labels()
    counters = (
        "headcount",
        "reported",
        "missing",
        "rate",
        "on_time",
        "on_site",
        "cloud_office",
        "leave",
        "quarantined",
        "fever",
        "symptomatic",
        "exposed",
        "suspected",
        "confirmed",
    )
    header = [_("Code"), _("Organisation"), _("Lines"), *(labels[c] for c in counters)]
    lines = selectors.returns_breakdown(user=request.user, organization=org, day=day)
    rows = [
        [
            line["organization"].code,
            line["organization"].name,
            _("own staff") if line["own_staff"] else _("whole subtree"),
            *(line[c] for c in counters),
        ]
        for line in lines
    ]
    filename = f"returns-{org.code}-{day.isoformat()}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, header, rows, sheet_title=day.isoformat())
