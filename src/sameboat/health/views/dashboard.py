"""The live health dashboard for a subtree (KPI tiles, breakdown, laggards, trends) and the
export of the day's returns. A fixed number of queries whatever the tree's size or history:
everything is read from the per-unit daily returns, never from the check-ins themselves."""

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

from sameboat.accounts.roles import HEALTH_VALUE_ROLES, READ_ROLES
from sameboat.accounts.scoping import has_role, reaches
from sameboat.core.throttle import page_throttle
from sameboat.health import exporters, selectors
from sameboat.health.figures import figure_links
from sameboat.health.read_audit import READ_DASHBOARD, health_read_audit
from sameboat.health.services.checkins import cutoff_time
from sameboat.health.views.charts import trend_charts
from sameboat.orgs.models import Organization
from sameboat.orgs.selectors import organization_breadcrumbs, organization_get, organization_roots

# The tiles, in reading order: who is there, where they work, who is unwell.
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
ALERT_KPIS = frozenset({"missing", "fever", "suspected", "confirmed"})
LAGGING_SHOWN = 10
LIST_SHOWN = 20
REFRESH_SECONDS = 120


def _target(request: HttpRequest) -> tuple[Organization, datetime.date]:
    """The organisation (?org=, else the user's top one) and the day (?day=, never future)."""
    org_id = request.GET.get("org")
    found = organization_get(user=request.user, pk=org_id) if org_id else organization_roots(user=request.user).first()
    if found is None:
        raise Http404
    today = timezone.localdate()
    day = today
    if request.GET.get("day"):
        try:
            day = min(datetime.date.fromisoformat(request.GET["day"]), today)
        except ValueError:
            messages.warning(request, _("That is not a date; showing today."))
    return found, day


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _kpis(
    request: HttpRequest, totals: dict[str, int], org: Organization, day: datetime.date, officer: bool
) -> list[dict[str, Any]]:
    """The tiles, each with where a click on it leads (the list behind the number); the
    lists of people with a fever, a case or a quarantine only for those who may read them.
    A tile that opens a list shows the count of that very list (``health.figures``), so the
    number and the rows it leads to cannot disagree."""
    labels = exporters.counter_labels()
    linked = figure_links(user=request.user, organization=org, day=day, officer=officer)
    values = totals | {key: count for key, (count, _href) in linked.items()}
    tiles = [
        {
            "key": key,
            "label": labels[key],
            "value": values[key],
            "suffix": "",
            "href": linked[key][1] if key in linked else "",
            "alert": key in ALERT_KPIS and values[key] > 0,
        }
        for key in KPIS
    ]
    cutoff = cutoff_time().strftime("%H:%M")
    tiles.append(
        {
            "key": "rate",
            "label": _("Reporting rate"),
            "value": totals["rate"],
            "suffix": "%",
            "href": "",
            "alert": False,
        }
    )
    tiles.append(
        {
            "key": "on_time",
            "label": _("On time (by %(time)s): %(n)s people") % {"time": cutoff, "n": totals["on_time"]},
            "value": _percent(totals["on_time"], totals["headcount"]),
            "suffix": "%",
            "href": "",
            "alert": False,
        }
    )
    return tiles


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Today (or ?day=) for the user's top organisation (or ?org=), with drill-down."""
    if not has_role(request.user, *READ_ROLES):
        return redirect("health:checkin")
    org, day = _target(request)
    today = timezone.localdate()
    totals = selectors.returns_subtree(user=request.user, organization=org, day=day)
    labels = exporters.counter_labels()
    # Names with temperatures and quarantines only for a role that reads health values here;
    # the other roles see the counts and rates.
    officer = reaches(request.user, org, HEALTH_VALUE_ROLES)
    lagging = selectors.units_not_reported(user=request.user, organization=org, day=day, limit=LAGGING_SHOWN)
    # One query for 90 days; the 30-day view is its tail.
    trend = selectors.returns_trend(user=request.user, organization=org, days=90, end=day)
    context: dict[str, Any] = {
        "org": org,
        "day": day,
        "today": today,
        "is_today": day == today,
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1) if day < today else None,
        "now": timezone.localtime(),
        "refresh_seconds": REFRESH_SECONDS,
        "totals": totals,
        "kpis": _kpis(request, totals, org, day, officer),
        "lines": selectors.returns_breakdown(user=request.user, organization=org, day=day),
        "lagging": lagging,
        "lagging_count": selectors.units_not_reported_count(user=request.user, organization=org, day=day),
        "ancestors": organization_breadcrumbs(user=request.user, organizations=[org])[org.pk],
        "officer": officer,
        "trends": trend_charts(trend, labels),
    }
    if officer:
        context["fevers"] = list(selectors.fever_list(user=request.user, organization=org, day=day)[:LIST_SHOWN])
        context["quarantines"] = list(
            selectors.quarantine_list(user=request.user, organization=org, active_on=day)[:LIST_SHOWN]
        )
        health_read_audit(
            actor=request.user,
            action=READ_DASHBOARD,
            records=[*context["fevers"], *context["quarantines"]],
            filters={"org": org.pk, "day": day.isoformat()},
            organization=org,
        )
    return render(request, "health/dashboard.html", context)


@login_required
@page_throttle("export", methods=("GET",))
def returns_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The day's breakdown as CSV or Excel: one line per child subtree and the own staff."""
    if fmt not in {"csv", "xlsx"} or not has_role(request.user, *READ_ROLES):
        raise Http404
    org, day = _target(request)
    lines = selectors.returns_breakdown(user=request.user, organization=org, day=day)
    return exporters.returns_export(organization=org, day=day, lines=lines, fmt=fmt)
