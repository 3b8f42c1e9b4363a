"""The employee's daily check-in (mobile-first, works offline) and their own history."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sameboat.core.exceptions import DomainError
from sameboat.health import selectors
from sameboat.health.forms import CheckInForm
from sameboat.health.models import CheckIn, Source
from sameboat.health.services.checkins import checkin_repeat_yesterday, checkin_submit, may_report_for
from sameboat.health.services.followup import in_quarantine
from sameboat.orgs.models import Employee, Region
from sameboat.orgs.selectors import employee_get


def _employee(request: HttpRequest) -> Employee | None:
    """The person checked in for: yourself, or ?employee= for an officer in scope."""
    pk = request.GET.get("employee") or request.POST.get("employee")
    if pk:
        employee = employee_get(user=request.user, pk=pk)
        if not may_report_for(request.user, employee):
            raise Http404
        return employee
    return selectors.employee_for_user(request.user)


def _initial(employee: Employee, yesterday: CheckIn | None, today: CheckIn | None) -> dict[str, Any]:
    source = today or yesterday
    if source is None:
        return {"region": employee.organization.region_id, "symptoms": ["none"]}
    return {
        "temperature": today.temperature if today else None,
        "region": source.region_id,
        "symptoms": (source.symptoms or ["none"]) if today else ["none"],
        "travelled": "yes" if source.travelled else "no",
        "contact": "yes" if today and today.contact else "no",
        "work_status": source.work_status,
        "commute_mode": source.commute_mode,
    }


@login_required
def checkin(request: HttpRequest) -> HttpResponse:
    """File (or correct) today's check-in."""
    employee = _employee(request)
    if employee is None:
        return render(request, "health/checkin_none.html")
    day = timezone.localdate()
    recent = {c.day: c for c in CheckIn.objects.filter(employee=employee, day__gte=day - datetime.timedelta(days=1))}
    today, yesterday = recent.get(day), recent.get(day - datetime.timedelta(days=1))
    quarantined = in_quarantine(employee=employee, day=day)
    form = CheckInForm(request.POST or None, initial=_initial(employee, yesterday, today), in_quarantine=quarantined)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checkin_submit(
                actor=request.user,
                employee=employee,
                day=day,
                temperature=data["temperature"],
                region=data["region"],
                work_status=data["work_status"],
                symptoms=data["symptoms"],
                travelled=data["travelled"],
                contact=data["contact"],
                commute_mode=data["commute_mode"],
                source=Source.WEB,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Thank you — today's check-in is saved."))
            url = reverse("health:checkin")
            return redirect(f"{url}?employee={employee.pk}" if employee.user_id != request.user.pk else url)
    regions = {r.pk: r.code for r in Region.objects.only("id", "code")}
    return render(
        request,
        "health/checkin.html",
        {
            "form": form,
            "employee": employee,
            "today": today,
            "day": day,
            "quarantined": quarantined,
            "for_someone_else": employee.user_id != request.user.pk,
            "can_repeat": today is None and yesterday is not None and not yesterday.needs_follow_up and not quarantined,
            "region_codes": regions,
        },
    )


@login_required
@require_POST
def checkin_repeat(request: HttpRequest) -> HttpResponse:
    """One click for healthy staff: today's answers are yesterday's."""
    employee = selectors.employee_for_user(request.user)
    if employee is None:
        raise Http404
    try:
        checkin_repeat_yesterday(actor=request.user, employee=employee)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Thank you — today's check-in is saved with yesterday's answers."))
    return redirect("health:checkin")


@login_required
def my_history(request: HttpRequest) -> HttpResponse:
    """The person's own last 30 days and their quarantines."""
    employee = selectors.employee_for_user(request.user)
    if employee is None:
        return render(request, "health/checkin_none.html")
    since = timezone.localdate() - datetime.timedelta(days=30)
    checkins = selectors.checkin_list(user=request.user, employee=employee, since=since)
    quarantines = selectors.quarantine_list(user=request.user).filter(employee=employee)
    return render(
        request,
        "health/my_history.html",
        {
            "employee": employee,
            "checkins": list(checkins),
            "quarantines": list(quarantines[:20]),
        },
    )


def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest that makes the check-in installable on a phone."""
    body = {
        "name": "Sameboat",
        "short_name": "Sameboat",
        "lang": request.LANGUAGE_CODE,
        "description": _("Daily health check-in"),
        "start_url": reverse("health:checkin"),
        "scope": "/health/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5fa8",
        "icons": [{"src": static("sameboat/health/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /health/ so it may control the check-in pages."""
    path = finders.find("sameboat/health/sw.js")
    if not path:
        raise Http404
    with open(path, encoding="utf-8") as fh:
        response = HttpResponse(fh.read(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/health/"
    return response
