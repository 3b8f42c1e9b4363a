"""The unit officer's follow-up pages: cases, quarantines, who has not reported."""

from __future__ import annotations

import datetime
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
from django.views.decorators.http import require_POST

from sameboat.accounts.roles import READ_ROLES, ROSTER_ROLES
from sameboat.core.exceptions import DomainError
from sameboat.core.exceptions import PermissionDenied as DomainPermissionDenied
from sameboat.core.scoping import has_role, reaches
from sameboat.health import selectors
from sameboat.health.forms_officer import (
    CaseNoteForm,
    CaseStatusForm,
    DismissForm,
    QuarantineForm,
    ReleaseForm,
    apply_domain_error,
)
from sameboat.health.models import CaseStatus
from sameboat.health.services import followup
from sameboat.health.services.chase import chase_run
from sameboat.orgs.models import Organization
from sameboat.orgs.selectors import employee_get, employee_list, organization_get, organization_roots

PAGE = 50


def _require_reader(request: HttpRequest) -> None:
    if not has_role(request.user, *READ_ROLES):
        raise Http404


def _may_write(request: HttpRequest, organization: Organization) -> bool:
    return reaches(request.user, organization, ROSTER_ROLES)


def _org(request: HttpRequest) -> Organization | None:
    pk = request.GET.get("org") or request.POST.get("org")
    return organization_get(user=request.user, pk=pk) if pk else None


def _day(request: HttpRequest) -> datetime.date:
    text = request.GET.get("day") or request.POST.get("day")
    try:
        return datetime.date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """Open follow-up cases in scope (filters: status, unit, include closed)."""
    _require_reader(request)
    org = _org(request)
    include_closed = request.GET.get("closed") == "1"
    qs = selectors.case_list(user=request.user, organization=org, open_only=not include_closed)
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "health/cases.html",
        {
            "page": page,
            "org": org,
            "status": status,
            "statuses": CaseStatus.choices,
            "include_closed": include_closed,
        },
    )


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    """One case: the person's recent check-ins, the notes, and the officer's actions."""
    _require_reader(request)
    item = selectors.case_get(user=request.user, pk=pk)
    may_write = _may_write(request, item.organization)
    status_form = CaseStatusForm(initial={"status": item.status})
    note_form = CaseNoteForm()
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        try:
            if "status" in request.POST:
                status_form = CaseStatusForm(request.POST)
                if status_form.is_valid():
                    followup.case_set_status(
                        actor=request.user,
                        case=item,
                        status=status_form.cleaned_data["status"],
                        note=status_form.cleaned_data["note"],
                    )
                    messages.success(request, _("The case status was changed."))
                    return redirect("health:case", pk=item.pk)
            else:
                note_form = CaseNoteForm(request.POST)
                if note_form.is_valid():
                    followup.case_add_note(actor=request.user, case=item, text=note_form.cleaned_data["text"])
                    messages.success(request, _("The note was added."))
                    return redirect("health:case", pk=item.pk)
        except DomainPermissionDenied as exc:
            raise PermissionDenied from exc
        except DomainError as exc:
            apply_domain_error(status_form if "status" in request.POST else note_form, exc)
    return render(
        request,
        "health/case.html",
        {
            "case": item,
            "may_write": may_write,
            "status_form": status_form,
            "note_form": note_form,
            "checkins": list(selectors.checkin_history_for(user=request.user, employee=item.employee, days=14)),
            "notes": item.notes.select_related("author"),
        },
    )


@login_required
def quarantines(request: HttpRequest) -> HttpResponse:
    """Active and proposed quarantines in scope."""
    _require_reader(request)
    org = _org(request)
    qs = selectors.quarantine_list(user=request.user, organization=org, active_on=timezone.localdate())
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "health/quarantines.html",
        {
            "page": page,
            "org": org,
            "may_write": has_role(request.user, *ROSTER_ROLES),
        },
    )


@login_required
def quarantine(request: HttpRequest, pk: int) -> HttpResponse:
    """One quarantine, with confirm / dismiss (proposals) and release."""
    item = selectors.quarantine_get(user=request.user, pk=pk)
    may_write = _may_write(request, item.organization)
    release_form, dismiss_form = ReleaseForm(), DismissForm()
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "confirm":
                followup.quarantine_confirm(actor=request.user, quarantine=item)
                messages.success(request, _("The quarantine is confirmed."))
                return redirect("health:quarantine", pk=item.pk)
            if action == "dismiss":
                dismiss_form = DismissForm(request.POST)
                if dismiss_form.is_valid():
                    followup.quarantine_dismiss(
                        actor=request.user, quarantine=item, reason=dismiss_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("The proposal was dismissed."))
                    return redirect("health:quarantines")
            if action == "release":
                release_form = ReleaseForm(request.POST)
                if release_form.is_valid():
                    followup.quarantine_release(
                        actor=request.user, quarantine=item, released_on=release_form.cleaned_data["released_on"]
                    )
                    messages.success(request, _("The quarantine has ended."))
                    return redirect("health:quarantine", pk=item.pk)
        except DomainPermissionDenied as exc:
            raise PermissionDenied from exc
        except DomainError as exc:
            apply_domain_error(release_form if action == "release" else dismiss_form, exc)
    return render(
        request,
        "health/quarantine.html",
        {
            "q": item,
            "may_write": may_write,
            "release_form": release_form,
            "dismiss_form": dismiss_form,
            "active": item.active_on(timezone.localdate()),
        },
    )


@login_required
def quarantine_new(request: HttpRequest) -> HttpResponse:
    """Put someone in the officer's scope in quarantine."""
    if not has_role(request.user, *ROSTER_ROLES):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if request.GET.get("employee"):
        initial["employee_no"] = employee_get(user=request.user, pk=request.GET["employee"]).employee_no
    form = QuarantineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        employee = employee_list(user=request.user).filter(employee_no=data["employee_no"]).first()
        if employee is None:
            form.add_error("employee_no", _("No employee with this number in your scope."))
        else:
            try:
                q = followup.quarantine_start(
                    actor=request.user,
                    employee=employee,
                    start=data["start"],
                    reason=data["reason"],
                    place=data["place"],
                    planned_end=data["planned_end"],
                )
            except DomainPermissionDenied:
                form.add_error("employee_no", _("You may not manage this person's quarantine."))
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The quarantine was recorded."))
                return redirect("health:quarantine", pk=q.pk)
    return render(request, "health/quarantine_new.html", {"form": form})


@login_required
def missing(request: HttpRequest) -> HttpResponse:
    """Who in a subtree has not reported on a day, with a button to remind them again."""
    _require_reader(request)
    org = _org(request) or organization_roots(user=request.user).first()
    if org is None:
        raise Http404
    day = _day(request)
    people = selectors.missing_people(user=request.user, organization=org, day=day).order_by(
        "organization__path", "employee_no"
    )
    page = Paginator(people, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "health/missing.html",
        {
            "page": page,
            "org": org,
            "day": day,
            "may_remind": _may_write(request, org),
        },
    )


@login_required
@require_POST
def remind(request: HttpRequest) -> HttpResponse:
    """Remind again: everyone missing in the subtree, and their officers."""
    org = _org(request)
    if org is None:
        raise Http404
    if not _may_write(request, org):
        raise PermissionDenied
    day = _day(request)
    summary = chase_run(actor=request.user, organization=org, day=day)
    messages.success(
        request,
        _("%(n)d people were reminded (%(missing)d have not reported).")
        % {"n": summary["reminded"], "missing": summary["missing"]},
    )
    return redirect(f"{reverse('health:missing')}?org={org.pk}&day={day.isoformat()}")


@login_required
def person_checkins(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer's view of one person's last 30 days (the read is recorded in the trail)."""
    _require_reader(request)
    employee = employee_get(user=request.user, pk=pk)
    checkins = list(selectors.checkin_history_for(user=request.user, employee=employee, days=30))
    return render(request, "health/person_checkins.html", {"employee": employee, "checkins": checkins})
