"""The employee's daily check-in (mobile-first, works offline) and their own history.

Online, the form is a plain POST (checkin.js sends the same POST with fetch so that a
failed network can keep the answers). Offline, checkin.js queues the answers in the
phone's storage with an idempotency key and sends them to POST /api/v1/checkins/ when the
connection returns; the service worker (sw.js) keeps the page and its static files.
"""

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
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sameboat.core.forms import domain_errors
from sameboat.core.throttle import Throttled, throttled_response
from sameboat.health import selectors
from sameboat.health.forms import NO_SYMPTOMS, CheckInForm
from sameboat.health.models import (
    TEMPERATURE_MAX,
    TEMPERATURE_MIN,
    CheckIn,
    Quarantine,
    Source,
)
from sameboat.health.read_audit import READ_CHECKINS, health_read_audit
from sameboat.health.services.checkins import checkin_file, checkin_repeat_yesterday, may_report_for
from sameboat.health.views.common import symptom_labels
from sameboat.orgs.models import Employee
from sameboat.orgs.selectors import employee_get

HISTORY_DAYS = 30
THEME_COLOUR = "#0b5cad"  # app.css --brand
BACKGROUND_COLOUR = "#f5f7fa"  # app.css --bg


def _employee(request: HttpRequest) -> Employee | None:
    """The person checked in for: yourself, or ?employee= for an officer in scope (else 404)."""
    pk = request.GET.get("employee") or request.POST.get("employee")
    if pk:
        employee = employee_get(user=request.user, pk=pk)
        if not may_report_for(request.user, employee):
            # Readable but not reportable (a viewer): the same answer as out of scope.
            raise Http404
        return employee
    return selectors.employee_for_user(request.user)


def _initial(employee: Employee, yesterday: CheckIn | None, today: CheckIn | None) -> dict[str, Any]:
    """Today's answers when editing; otherwise yesterday's region, status and commute."""
    if today is not None:
        return {
            "temperature": today.temperature,
            "symptoms": today.symptoms or [NO_SYMPTOMS],
            "region": today.region_id,
            "travelled": "yes" if today.travelled else "no",
            "contact": "yes" if today.contact else "no",
            "work_status": today.work_status,
            "commute_mode": today.commute_mode,
        }
    if yesterday is not None:
        return {
            "symptoms": [NO_SYMPTOMS],
            "region": yesterday.region_id,
            # Travel is asked over 14 days, so yesterday's "yes" usually still holds.
            "travelled": "yes" if yesterday.travelled else "no",
            "work_status": yesterday.work_status,
            "commute_mode": yesterday.commute_mode,
        }
    return {
        "symptoms": [NO_SYMPTOMS],
        "region": employee.organization.region_id or employee.home_region_id,
    }


def _day_start_ms(day: datetime.date) -> int:
    """Epoch milliseconds of the day's local midnight: a page served from the offline cache
    on a later day works out the current day from it."""
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return int(midnight.timestamp() * 1000)


def _current_quarantine(request: HttpRequest, employee: Employee, day: datetime.date) -> Quarantine | None:
    return (
        selectors.quarantine_list(user=request.user, active_on=day, include_proposed=False)
        .filter(employee=employee)
        .first()
    )


def _checkin_url(employee: Employee, request: HttpRequest) -> str:
    url = reverse("health:checkin")
    return url if employee.user_id == request.user.pk else f"{url}?employee={employee.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest) -> HttpResponse:
    """File (or correct) today's check-in for yourself, or for someone in an officer's scope."""
    employee = _employee(request)
    if employee is None:
        return render(request, "health/checkin_none.html")
    day = timezone.localdate()
    yesterday_day = day - datetime.timedelta(days=1)
    recent = {c.day: c for c in selectors.checkin_list(user=request.user, employee=employee, since=yesterday_day)}
    today, yesterday = recent.get(day), recent.get(yesterday_day)
    quarantined = selectors.in_quarantine(employee=employee, day=day)
    for_someone_else = employee.user_id != request.user.pk
    form = CheckInForm(
        request.POST if request.method == "POST" else None,
        initial=_initial(employee, yesterday, today),
        in_quarantine=quarantined,
        person=employee.display_name if for_someone_else else "",
    )
    if request.method == "POST" and form.is_valid():
        try:
            # A refusal, permission included, is said beside the answers the person typed.
            with domain_errors(form, on_denied=lambda exc: form.add_error(None, str(exc.message))) as outcome:
                checkin_file(
                    actor=request.user, employee=employee, day=day, answers=form.cleaned_data, source=Source.WEB
                )
        except Throttled as exc:
            return throttled_response(request, exc)
        if not outcome.failed:
            if today is None:
                messages.success(request, _("Thank you — today's check-in is saved."))
            else:
                messages.success(request, _("Today's check-in is corrected."))
            return redirect(_checkin_url(employee, request))
    current_quarantine = _current_quarantine(request, employee, day) if quarantined else None
    # An officer filing for someone sees their answers of today and yesterday in the form.
    health_read_audit(
        actor=request.user,
        action=READ_CHECKINS,
        records=[*recent.values(), *([current_quarantine] if current_quarantine else [])],
        filters={"employee": employee.pk, "since": yesterday_day.isoformat()},
        organization=employee.organization,
    )
    can_repeat = not for_someone_else and selectors.repeat_allowed(
        today=today, yesterday=yesterday, quarantined=quarantined
    )
    response = render(
        request,
        "health/checkin.html",
        {
            "form": form,
            "employee": employee,
            "today": today,
            "today_symptoms": symptom_labels(today.symptoms) if today else [],
            "day": day,
            "day_start_ms": _day_start_ms(day),
            "quarantined": quarantined,
            "quarantine": current_quarantine,
            "for_someone_else": for_someone_else,
            "can_repeat": can_repeat,
            "temperature_min": TEMPERATURE_MIN,
            "temperature_max": TEMPERATURE_MAX,
        },
    )
    # Only one's own page may stay on the phone (the service worker keeps it for offline
    # use); a page about someone else is never stored, by the browser or by sw.js.
    if for_someone_else:
        add_never_cache_headers(response)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_POST
def checkin_repeat(request: HttpRequest) -> HttpResponse:
    """One click for healthy staff: today's answers are yesterday's."""
    employee = selectors.employee_for_user(request.user)
    if employee is None:
        raise Http404
    with domain_errors(request=request, on_denied=lambda exc: messages.error(request, str(exc.message))) as outcome:
        checkin_repeat_yesterday(actor=request.user, employee=employee)
    if not outcome.failed:
        messages.success(request, _("Thank you — today's check-in is saved with yesterday's answers."))
    return redirect("health:checkin")


@login_required
@require_GET
def my_history(request: HttpRequest) -> HttpResponse:
    """The person's own check-ins of the last 30 days and their quarantines."""
    employee = selectors.employee_for_user(request.user)
    if employee is None:
        return render(request, "health/checkin_none.html")
    day = timezone.localdate()
    since = day - datetime.timedelta(days=HISTORY_DAYS - 1)
    checkins = list(selectors.checkin_list(user=request.user, employee=employee, since=since))
    for c in checkins:
        c.symptom_labels = symptom_labels(c.symptoms)  # type: ignore[attr-defined]
    quarantines = list(selectors.quarantine_list(user=request.user).filter(employee=employee)[:20])
    for q in quarantines:
        q.is_current = not q.proposed and q.start <= day and (q.released_on is None or q.released_on > day)  # type: ignore[attr-defined]
    return render(
        request,
        "health/my_history.html",
        {"employee": employee, "checkins": checkins, "quarantines": quarantines, "days": HISTORY_DAYS},
    )


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest that makes the check-in installable on a phone."""
    body = {
        "id": reverse("health:checkin"),
        "name": _("Sameboat daily check-in"),
        "short_name": _("Check-in"),
        "description": _("Daily health check-in, also without a connection."),
        "lang": getattr(request, "LANGUAGE_CODE", "en"),
        "start_url": reverse("health:checkin"),
        "scope": "/health/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOUR,
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("sameboat/health/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}
        ],
    }
    return JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@never_cache
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /health/ so that it may control the check-in pages."""
    path = finders.find("sameboat/health/sw.js")
    if not path:
        raise Http404
    with open(path, encoding="utf-8") as fh:
        response = HttpResponse(fh.read(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/health/"
    return response
