"""People (the roster): the list, its export, a person's page, edit and add."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sameboat.accounts.roles import ROSTER_ROLES
from sameboat.accounts.scoping import reaches
from sameboat.accounts.selectors import object_history
from sameboat.core.throttle import page_throttle
from sameboat.orgs import services
from sameboat.orgs.exporters import EXPORT_FORMATS, employee_export
from sameboat.orgs.forms import (
    EMPLOYEE_FORM_FIELDS,
    EmployeeForm,
    PeopleFilterForm,
    values_for_service,
)
from sameboat.orgs.selectors import (
    employee_get,
    employee_list,
    organization_get,
)
from sameboat.orgs.views.common import (
    PAGE_SIZE,
    PERSON_HISTORY_ROLES,
    _require,
    _run,
    _visible_ancestors,
)


def _people_filters(request: HttpRequest) -> tuple[PeopleFilterForm, dict[str, Any]]:
    """The roster filters from the query string; a bad one is a message beside its field and
    the list keeps the others."""
    form = PeopleFilterForm(request.GET, user=request.user)
    return form, form.selector_filters()


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """The roster in the user's scope, filtered and paged."""
    form, filters = _people_filters(request)
    page = Paginator(employee_list(user=request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "orgs/people.html",
        {
            "form": form,
            "page": page,
            "org": filters.get("organization"),
            "export_query": query.urlencode(),
        },
    )


@login_required
@page_throttle("export", methods=("GET",))
def people_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The filtered roster as CSV or Excel."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _form, filters = _people_filters(request)
    return employee_export(employee_list(user=request.user, **filters), fmt, actor=request.user, filters=filters)


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """One roster entry."""
    employee = employee_get(user=request.user, pk=pk)
    seats = employee.leadership_seats.select_related("group__organization")
    return render(
        request,
        "orgs/person.html",
        {
            "employee": employee,
            "seats": seats,
            "ancestors": _visible_ancestors(request.user, employee.organization)
            + ([employee.organization] if reaches(request.user, employee.organization) else []),
            "can_edit": reaches(request.user, employee.organization, ROSTER_ROLES),
            "history": object_history(user=request.user, obj=employee, roles=PERSON_HISTORY_ROLES),
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a roster entry, including moving the person to another unit of the group."""
    employee = employee_get(user=request.user, pk=pk)
    _require(reaches(request.user, employee.organization, ROSTER_ROLES))
    form = EmployeeForm(request.POST or None, instance=copy.copy(employee), allow_move=True, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = values_for_service(form, EMPLOYEE_FORM_FIELDS)
        # The picker resolved the unit within the person's scope (or said beside it why not).
        target = form.cleaned_data.get("organization_code")
        if target is not None and target.pk != employee.organization_id:
            values["organization"] = target
        if not form.errors and _run(
            form,
            lambda: services.employee_update(actor=request.user, employee=employee, **values),
            {"organization": "organization_code"},
        ):
            messages.success(request, _("The roster entry was saved."))
            return redirect("orgs:person", pk=employee.pk)
    return render(
        request,
        "orgs/person_form.html",
        {
            "form": form,
            "employee": employee,
            "org": employee.organization,
            "title": _("Edit %(name)s") % {"name": employee.display_name},
        },
    )


@login_required
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a new person on this organisation's roster."""
    org = organization_get(user=request.user, pk=pk)
    _require(reaches(request.user, org, ROSTER_ROLES))
    form = EmployeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = values_for_service(form, EMPLOYEE_FORM_FIELDS)
        employee = _run(form, lambda: services.employee_create(actor=request.user, organization=org, **values))
        if employee is not None:
            messages.success(request, _("%(name)s is on the roster.") % {"name": employee.display_name})
            return redirect("orgs:person", pk=employee.pk)
    return render(
        request,
        "orgs/person_form.html",
        {
            "form": form,
            "org": org,
            "title": _("Add a person to %(name)s") % {"name": org.name},
        },
    )
