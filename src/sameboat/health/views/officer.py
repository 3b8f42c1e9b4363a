"""The unit officer's follow-up pages: cases, who has not reported, one person's check-ins.
(Quarantines are in quarantines.py.)"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sameboat.core.forms import domain_errors
from sameboat.health import selectors
from sameboat.health.forms_officer import CaseNoteForm, CaseStatusForm
from sameboat.health.models import OPEN_CASE_STATUSES, CaseStatus
from sameboat.health.read_audit import READ_CASES, READ_CHECKINS, health_read_audit
from sameboat.health.services import followup
from sameboat.health.services.chase import chase_run
from sameboat.health.views.common import (
    CASE_STATUS_LABELS,
    PAGE,
    day_param,
    label_checkins,
    may_read_values,
    may_write,
    org_param,
    require_health_reader,
    require_reader,
    unit_day_filters,
    unit_filters,
)
from sameboat.orgs.selectors import employee_get, organization_roots

CASE_HISTORY_DAYS = 14
PERSON_HISTORY_DAYS = 30


@login_required
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    """Open follow-up cases in scope, newest first (filters: status, unit, include closed).
    The page shown is recorded as read."""
    require_health_reader(request)
    filters, org = unit_filters(request)
    # One status from the filter, or several from a dashboard tile (health.figures: the
    # "suspected" figure is suspected and isolated cases).
    statuses = [s for s in request.GET.getlist("status") if s in CaseStatus.values]
    status = statuses[0] if len(statuses) == 1 else ""
    # Cleared cases are closed: asking for them means asking for closed ones too.
    include_closed = request.GET.get("closed") == "1" or any(s not in OPEN_CASE_STATUSES for s in statuses)
    qs = selectors.case_list(user=request.user, organization=org, open_only=not include_closed)
    if statuses:
        qs = qs.filter(status__in=statuses)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    health_read_audit(actor=request.user, action=READ_CASES, records=page, filters=request.GET, organization=org)
    return render(
        request,
        "health/cases.html",
        {
            "page": page,
            "org": org,
            "status": status,
            "chosen": statuses,
            "statuses": CaseStatus.choices,
            "include_closed": include_closed,
            "filters": filters,
            "filtered": bool(org or statuses or include_closed),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case(request: HttpRequest, pk: int) -> HttpResponse:
    """One case: the person's recent check-ins (the read is audited), the notes, and the
    officer's actions (change the status with a note, add a note)."""
    require_health_reader(request)
    item = selectors.case_get(user=request.user, pk=pk)
    writable = may_write(request, item.organization)
    status_form = CaseStatusForm(initial={"status": item.status})
    note_form = CaseNoteForm()
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        changing = "status" in request.POST
        form: forms.Form
        if changing:
            form = status_form = CaseStatusForm(request.POST)
        else:
            form = note_form = CaseNoteForm(request.POST)
        if form.is_valid():
            with domain_errors(form) as outcome:
                if changing:
                    followup.case_set_status(
                        actor=request.user,
                        case=item,
                        status=form.cleaned_data["status"],
                        note=form.cleaned_data["note"],
                    )
                    messages.success(request, _("The case status was changed."))
                else:
                    followup.case_add_note(actor=request.user, case=item, text=form.cleaned_data["text"])
                    messages.success(request, _("The note was added."))
            if not outcome.failed:
                return redirect("health:case", pk=item.pk)
    notes = list(item.notes.select_related("author").order_by("-created_at", "-id"))
    for note in notes:
        note.from_label = CASE_STATUS_LABELS.get(note.status_from, note.status_from)  # type: ignore[attr-defined]
        note.to_label = CASE_STATUS_LABELS.get(note.status_to, note.status_to)  # type: ignore[attr-defined]
    checkins = list(selectors.checkin_history_for(user=request.user, employee=item.employee, days=CASE_HISTORY_DAYS))
    quarantine = (
        selectors.quarantine_list(user=request.user, active_on=timezone.localdate())
        .filter(employee=item.employee)
        .first()
    )
    health_read_audit(
        actor=request.user,
        action=READ_CASES,
        records=[item, *checkins, *([quarantine] if quarantine else [])],
        extra={"notes": [note.pk for note in notes]},
        organization=item.organization,
    )
    return render(
        request,
        "health/case.html",
        {
            "case": item,
            "may_write": writable,
            "status_form": status_form,
            "note_form": note_form,
            "checkins": label_checkins(checkins),
            "history_days": CASE_HISTORY_DAYS,
            "notes": notes,
            "quarantine": quarantine,
        },
    )


@login_required
@require_GET
def missing(request: HttpRequest) -> HttpResponse:
    """Who in a subtree has not reported on a day, with a button to remind them again."""
    require_reader(request)
    filters, chosen, day = unit_day_filters(request)
    org = chosen or organization_roots(user=request.user).first()
    if org is None:
        raise Http404
    filters.fields["org"].widget.attrs["placeholder"] = org.name
    people = selectors.missing_people(user=request.user, organization=org, day=day).order_by(
        "organization__path", "employee_no"
    )
    page = Paginator(people, PAGE).get_page(request.GET.get("page"))
    writable = may_write(request, org)
    return render(
        request,
        "health/missing.html",
        {
            "page": page,
            "org": org,
            "day": day,
            "today": timezone.localdate(),
            "is_today": day == timezone.localdate(),
            "may_remind": writable and day == timezone.localdate(),
            "may_file": writable and day == timezone.localdate(),
            "filters": filters,
        },
    )


@login_required
@require_GET
def fevers(request: HttpRequest) -> HttpResponse:
    """Who in a subtree reported a fever on a day: the list behind the dashboard's "fever"
    tile (health.figures). The page shown is recorded as read."""
    require_health_reader(request)
    filters, chosen, day = unit_day_filters(request)
    org = chosen or organization_roots(user=request.user).first()
    if org is None:
        raise Http404
    filters.fields["org"].widget.attrs["placeholder"] = org.name
    rows = selectors.fever_list(user=request.user, organization=org, day=day).order_by(
        "organization__path", "employee_id"
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    health_read_audit(actor=request.user, action=READ_CHECKINS, records=page, filters=request.GET, organization=org)
    return render(
        request,
        "health/fevers.html",
        {"page": page, "org": org, "day": day, "today": timezone.localdate(), "filters": filters},
    )


@login_required
@require_POST
def remind(request: HttpRequest) -> HttpResponse:
    """Remind again: everyone missing in the subtree, and their unit officers."""
    org = org_param(request)
    if org is None:
        raise Http404
    if not may_write(request, org):
        raise PermissionDenied
    day = day_param(request)
    back = f"{reverse('health:missing')}?org={org.pk}&day={day.isoformat()}"
    if day != timezone.localdate():
        # The reminder leads to today's check-in page: a past day cannot be filed from it.
        messages.error(request, _("Reminders are sent for today's check-in only."))
        return redirect(back)
    with domain_errors():  # a permission refusal is a 403
        summary = chase_run(actor=request.user, organization=org, day=day)
    if summary["missing"]:
        messages.success(
            request,
            _(
                "Reminder sent to %(n)d of the %(missing)d people who have not reported "
                "(the others have no login), and to %(officers)d unit officers."
            )
            % {"n": summary["reminded"], "missing": summary["missing"], "officers": summary["officers"]},
        )
    else:
        messages.info(request, _("Everyone has reported: nobody needed a reminder."))
    return redirect(back)


@login_required
@require_GET
def person_checkins(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer's view of one person's last 30 days (the read is recorded in the trail),
    with their open cases and quarantines."""
    require_health_reader(request)
    employee = employee_get(user=request.user, pk=pk)
    if not may_read_values(request, employee):
        raise Http404
    checkins = list(selectors.checkin_history_for(user=request.user, employee=employee, days=PERSON_HISTORY_DAYS))
    since = timezone.localdate() - datetime.timedelta(days=365)
    cases = list(
        selectors.case_list(user=request.user, open_only=False).filter(employee=employee, opened_on__gte=since)[:10]
    )
    quarantines = list(selectors.quarantine_list(user=request.user).filter(employee=employee)[:10])
    health_read_audit(
        actor=request.user,
        action=READ_CHECKINS,
        records=[*checkins, *cases, *quarantines],
        filters={"employee": employee.pk, "days": PERSON_HISTORY_DAYS},
        organization=employee.organization,
    )
    return render(
        request,
        "health/person_checkins.html",
        {
            "employee": employee,
            "checkins": label_checkins(checkins),
            "days": PERSON_HISTORY_DAYS,
            "cases": cases,
            "quarantines": quarantines,
            "may_write": may_write(request, employee.organization),
        },
    )
