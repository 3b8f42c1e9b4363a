"""Quarantines for officers: the list (active and proposed), one quarantine with its
actions (confirm or dismiss a proposal, release), and a new quarantine."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sameboat.accounts.roles import HEALTH_VALUE_ROLES, ROSTER_ROLES
from sameboat.accounts.scoping import has_role
from sameboat.core.forms import domain_errors
from sameboat.health import selectors
from sameboat.health.forms_officer import DismissForm, QuarantineForm, ReleaseForm
from sameboat.health.read_audit import READ_QUARANTINES, health_read_audit
from sameboat.health.services import followup
from sameboat.health.views.common import PAGE, day_param, may_write, require_health_reader, unit_filters
from sameboat.orgs.models import Employee
from sameboat.orgs.selectors import employee_get, employee_list

SHOW_CHOICES = ("current", "proposed", "confirmed", "all")


@login_required
@require_GET
def quarantines(request: HttpRequest) -> HttpResponse:
    """Quarantines in scope: current and proposed (default), proposed only, or all. The
    page shown is recorded as read."""
    require_health_reader(request)
    filters, org = unit_filters(request)
    show = request.GET.get("show", "current")
    if show not in SHOW_CHOICES:
        show = "current"
    today = timezone.localdate()
    # The dashboard's "quarantined" tile opens ?show=confirmed&day=: confirmed quarantines
    # open on that day, the rows it counts (health.figures).
    day = day_param(request)
    if show == "all":
        qs = selectors.quarantine_list(user=request.user, organization=org)
    elif show == "confirmed":
        qs = selectors.quarantine_list(user=request.user, organization=org, active_on=day, include_proposed=False)
    else:
        qs = selectors.quarantine_list(user=request.user, organization=org, active_on=today)
        if show == "proposed":
            qs = qs.filter(proposed=True)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    health_read_audit(actor=request.user, action=READ_QUARANTINES, records=page, filters=request.GET, organization=org)
    for q in page:
        q.is_current = q.active_on(today)  # type: ignore[attr-defined]
        q.may_write = may_write(request, q.organization)  # type: ignore[attr-defined]
    return render(
        request,
        "health/quarantines.html",
        {
            "page": page,
            "org": org,
            "show": show,
            "filters": filters,
            "may_write": has_role(request.user, *ROSTER_ROLES),
            "today": today,
            "day": day,
        },
    )


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    """After an action: back to the list when it was taken there, else to the quarantine."""
    if request.POST.get("next") == "list":
        return redirect(reverse("health:quarantines") + "?show=" + request.POST.get("show", "current"))
    return redirect("health:quarantine", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def quarantine(request: HttpRequest, pk: int) -> HttpResponse:
    """One quarantine, with confirm / dismiss (proposals) and release. The person may open
    their own (read-only); anyone else's read is recorded."""
    item = selectors.quarantine_get(user=request.user, pk=pk)
    writable = may_write(request, item.organization)
    release_form, dismiss_form = ReleaseForm(), DismissForm()
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        action = request.POST.get("action")
        form: Any = None
        if action == "dismiss":
            form = dismiss_form = DismissForm(request.POST)
        elif action == "release":
            form = release_form = ReleaseForm(request.POST)
        with domain_errors(form, request=request):
            if action == "confirm":
                followup.quarantine_confirm(actor=request.user, quarantine=item)
                messages.success(request, _("The quarantine of %(name)s is confirmed.") % {"name": item.employee.name})
                return _back(request, item.pk)
            if action == "dismiss":
                if form.is_valid():
                    followup.quarantine_dismiss(actor=request.user, quarantine=item, reason=form.cleaned_data["reason"])
                    messages.success(request, _("The proposal was dismissed."))
                    return redirect("health:quarantines")
            elif action == "release":
                if form.is_valid():
                    followup.quarantine_release(
                        actor=request.user, quarantine=item, released_on=form.cleaned_data["released_on"]
                    )
                    messages.success(request, _("The quarantine has ended."))
                    return redirect("health:quarantine", pk=item.pk)
            elif action != "confirm":
                messages.error(request, _("Unknown action."))
    health_read_audit(actor=request.user, action=READ_QUARANTINES, records=[item], organization=item.organization)
    return render(
        request,
        "health/quarantine.html",
        {
            "q": item,
            "may_write": writable,
            "officer_view": has_role(request.user, *HEALTH_VALUE_ROLES),
            "release_form": release_form,
            "dismiss_form": dismiss_form,
            "active": item.active_on(timezone.localdate()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def quarantine_new(request: HttpRequest) -> HttpResponse:
    """Put someone in the officer's scope in quarantine (picked by employee number)."""
    if not has_role(request.user, *ROSTER_ROLES):
        # Like every page of individual health records: absent for the other roles.
        raise Http404
    initial: dict[str, Any] = {}
    person: Employee | None = None
    if request.GET.get("employee"):
        person = employee_get(user=request.user, pk=request.GET["employee"])
        initial["employee_no"] = person.employee_no
    form = QuarantineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        employee = employee_list(user=request.user).filter(employee_no=data["employee_no"]).first()
        if employee is None:
            form.add_error("employee_no", _("No employee with this number in your scope."))
        else:
            with domain_errors(
                form,
                on_denied=lambda _exc: form.add_error("employee_no", _("You may not manage this person's quarantine.")),
            ) as outcome:
                q = followup.quarantine_start(
                    actor=request.user,
                    employee=employee,
                    start=data["start"],
                    reason=data["reason"],
                    place=data["place"],
                    planned_end=data["planned_end"],
                )
            if not outcome.failed:
                messages.success(request, _("The quarantine was recorded."))
                return redirect("health:quarantine", pk=q.pk)
    return render(
        request,
        "health/quarantine_new.html",
        {
            "form": form,
            "person": person,
            "default_days": selectors.default_quarantine_days(person) if person else None,
        },
    )
