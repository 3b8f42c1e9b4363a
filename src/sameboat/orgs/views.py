"""Organisation pages: the tree, an organisation, its people, leadership group and regions.

Thin adapters: every lookup goes through a selector (out of scope answers 404), every
write through a service. Write buttons appear only for people who may use them, and the
same check runs again here before the service checks it a third time. In scope but not
allowed (a viewer, an officer on an admin form) answers 403.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sameboat.accounts.roles import ADMIN_ROLES, AUDIT_ROLES, ROSTER_ROLES
from sameboat.accounts.selectors import membership_get, membership_list
from sameboat.accounts.services import (
    grantable_roles,
    membership_grant,
    membership_grant_check,
    membership_revoke,
)
from sameboat.core import exceptions as domain
from sameboat.core.scoping import reaches
from sameboat.core.selectors import object_history
from sameboat.core.throttle import page_throttle
from sameboat.orgs import services
from sameboat.orgs.exporters import EXPORT_FORMATS, employee_export
from sameboat.orgs.forms import (
    EMPLOYEE_FORM_FIELDS,
    ORG_FORM_FIELDS,
    EmployeeForm,
    LeadershipGroupForm,
    LeadershipMemberForm,
    MembershipGrantForm,
    MoveForm,
    OrganizationForm,
    OrgSearchForm,
    PeopleFilterForm,
    RegionRuleForm,
    values_for_service,
)
from sameboat.orgs.models import Organization, OrgKind
from sameboat.orgs.selectors import (
    employee_get,
    employee_list,
    leadership_group_for,
    leadership_member_get,
    organization_ancestors,
    organization_breadcrumbs,
    organization_children,
    organization_get,
    organization_list,
    organization_resolve,
    organization_roots,
    organization_summary,
    region_get,
    region_organizations,
    region_rule_history,
    region_rule_on,
    region_rules_settable,
    regions_with_current_rules,
)

PAGE_SIZE = 50
TREE_PAGE_SIZE = 100
HISTORY_ROLES = ADMIN_ROLES | AUDIT_ROLES
PERSON_HISTORY_ROLES = ROSTER_ROLES | AUDIT_ROLES

# --- Helpers ------------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    """403 for a person who sees the record but may not change it."""
    if not allowed:
        raise PermissionDenied


def _run(form: forms.BaseForm, call: Callable[[], Any], field_map: dict[str, str] | None = None) -> Any:
    """Call a service; a domain refusal becomes a form error (None returned), never a 500."""
    try:
        return call()
    except domain.PermissionDenied as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except domain.DomainError as exc:
        field = (field_map or {}).get(exc.field or "", exc.field)
        form.add_error(field if field in form.fields else None, str(exc.message))
        return None


def _visible_ancestors(user: Any, org: Organization) -> list[Organization]:
    """The breadcrumb above an organisation, only as far up as the user can see."""
    return [a for a in organization_ancestors(organization=org) if reaches(user, a)]


# --- The tree -----------------------------------------------------------------------------------


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The tree from the user's topmost organisations, or a flat list of search matches."""
    form = OrgSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        page = Paginator(organization_list(user=request.user, search=query), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        crumbs = organization_breadcrumbs(user=request.user, organizations=page.object_list)
        results = [(org, crumbs.get(org.pk, [])) for org in page.object_list]
        return render(
            request,
            "orgs/tree.html",
            {
                "form": form,
                "query": query,
                "page": page,
                "results": results,
            },
        )
    page = Paginator(organization_roots(user=request.user), TREE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orgs/tree.html", {"form": form, "page": page, "nodes": page.object_list})


@login_required
def tree_children(request: HttpRequest, pk: int) -> HttpResponse:
    """Direct children of one organisation: a partial for htmx, a page without JS."""
    org = organization_get(user=request.user, pk=pk)
    page = Paginator(organization_children(user=request.user, organization=org), TREE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"parent": org, "page": page, "nodes": page.object_list}
    if getattr(request, "htmx", False):
        if page.has_next():
            context["more_url"] = reverse("orgs:tree_children", args=[org.pk]) + "?page=2"
        return render(request, "orgs/tree.html#nodes", context)
    context["ancestors"] = _visible_ancestors(request.user, org)
    return render(request, "orgs/tree_children.html", context)


# --- One organisation ---------------------------------------------------------------------------


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one organisation, with the forms its administrators use."""
    user = request.user
    org = organization_get(user=user, pk=pk)
    can_admin = reaches(user, org, ADMIN_ROLES)
    grantable = grantable_roles(actor=user, organization=org) if can_admin else []
    children = Paginator(organization_children(user=user, organization=org), PAGE_SIZE).get_page(
        request.GET.get("cpage")
    )
    summary = organization_summary(user=user, organization=org)
    by_kind = cast(dict[str, int], summary["by_kind"])
    context = {
        "org": org,
        "ancestors": _visible_ancestors(user, org),
        "rule": region_rule_on(region=org.region) if org.region else None,
        "children": children,
        "memberships": membership_list(user=user, organization=org).filter(organization=org),
        "leadership": leadership_group_for(user=user, organization=org),
        "summary": summary,
        "by_kind": [(OrgKind(kind).label, n) for kind, n in sorted(by_kind.items())],
        "history": object_history(user=user, obj=org, roles=HISTORY_ROLES),
        "can_admin": can_admin,
        "can_roster": reaches(user, org, ROSTER_ROLES),
        # What the user may grant here is also what they may revoke (never their own).
        "grantable_roles": grantable,
        "grant_form": MembershipGrantForm(roles=grantable) if can_admin else None,
        "leader_form": LeadershipMemberForm() if can_admin else None,
        "group_form": LeadershipGroupForm() if can_admin else None,
    }
    return render(request, "orgs/detail.html", context)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an organisation's own fields."""
    org = organization_get(user=request.user, pk=pk)
    _require(reaches(request.user, org, ADMIN_ROLES))
    # The form works on a copy: a refused change must not show up on the page as if saved.
    form = OrganizationForm(request.POST or None, instance=copy.copy(org))
    if request.method == "POST" and form.is_valid():
        values = values_for_service(form, ORG_FORM_FIELDS)
        saved = _run(
            form,
            lambda: services.organization_update(actor=request.user, organization=org, **values),
        )
        if saved is not None:
            messages.success(request, _("The organisation was saved."))
            return redirect("orgs:detail", pk=org.pk)
    return render(
        request,
        "orgs/org_form.html",
        {
            "form": form,
            "org": org,
            "ancestors": _visible_ancestors(request.user, org),
            "title": _("Edit %(name)s") % {"name": org.name},
            "move_form": MoveForm(),
        },
    )


@login_required
def add_child(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an organisation under this one."""
    parent = organization_get(user=request.user, pk=pk)
    _require(reaches(request.user, parent, ADMIN_ROLES))
    form = OrganizationForm(
        request.POST or None,
        initial={
            "country": parent.country,
            "region": parent.region_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        values = values_for_service(form, ORG_FORM_FIELDS)
        child = _run(form, lambda: services.organization_create(actor=request.user, parent=parent, **values))
        if child is not None:
            messages.success(request, _("%(name)s was added.") % {"name": child.name})
            return redirect("orgs:detail", pk=child.pk)
    return render(
        request,
        "orgs/org_form.html",
        {
            "form": form,
            "org": parent,
            "ancestors": [*_visible_ancestors(request.user, parent), parent],
            "title": _("Add an organisation under %(name)s") % {"name": parent.name},
            "adding": True,
        },
    )


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an organisation and its subtree under another parent."""
    org = organization_get(user=request.user, pk=pk)
    _require(reaches(request.user, org, ADMIN_ROLES))
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            target = organization_get(user=request.user, code=form.cleaned_data["new_parent"].strip())
        except Http404:
            form.add_error("new_parent", _("No organisation with this code is in your area."))
        else:
            if _run(
                form,
                lambda: services.organization_move(actor=request.user, organization=org, new_parent=target),
                {"parent": "new_parent"},
            ):
                messages.success(request, _("%(name)s was moved.") % {"name": org.name})
                return redirect("orgs:detail", pk=org.pk)
    return render(
        request,
        "orgs/org_form.html",
        {
            "form": OrganizationForm(instance=copy.copy(org)),
            "org": org,
            "move_form": form,
            "ancestors": _visible_ancestors(request.user, org),
            "title": _("Edit %(name)s") % {"name": org.name},
        },
        status=400,
    )


# --- Memberships and the leadership group -------------------------------------------------------


def _admin_org(request: HttpRequest, pk: int) -> Organization:
    org = organization_get(user=request.user, pk=pk)
    _require(reaches(request.user, org, ADMIN_ROLES))
    return org


def _run_or_message(request: HttpRequest, form: forms.BaseForm, call: Callable[[], Any]) -> Any:
    """``_run``, but a refusal (a grant above one's own role, say) is a message on the page
    the person came from rather than a 403 page; the service has audited it."""
    try:
        return _run(form, call)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return None


def _errors_to_messages(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


@login_required
@require_POST
def member_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a login a role on this organisation; a refusal is a message here (and audited)."""
    org = organization_get(user=request.user, pk=pk)
    may_admin = reaches(request.user, org, ADMIN_ROLES)
    # Every role is accepted so that a forged one reaches the service, which refuses it with
    # a message and an audit event; the page's form offers only the grantable ones.
    form = MembershipGrantForm(request.POST)
    if not form.is_valid():
        _require(may_admin)
    else:
        username, role = form.cleaned_data["username"].strip(), form.cleaned_data["role"]
        try:
            # Before the person is looked up: someone who may not grant this here learns
            # nothing about which logins exist.
            membership_grant_check(actor=request.user, username=username, organization=org, role=role)
        except domain.PermissionDenied as exc:
            _require(may_admin)  # not an administrator here at all: the 403 page, as before
            messages.error(request, str(exc.message))
        else:
            person = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
            if person is None:
                form.add_error("username", _("No active login is called %(name)s.") % {"name": username})
            elif _run_or_message(
                request,
                form,
                lambda: membership_grant(actor=request.user, user=person, organization=org, role=role),
            ):
                messages.success(request, _("%(user)s now has that role.") % {"user": person})
    _errors_to_messages(request, form)
    return redirect(reverse("orgs:detail", args=[org.pk]) + "#members")


@login_required
@require_POST
def member_revoke(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Take a role away (the page asks to confirm first)."""
    org = organization_get(user=request.user, pk=pk)
    membership = membership_get(user=request.user, pk=membership_pk)
    if membership.organization_id != org.pk:
        raise Http404
    form = forms.Form()

    def revoke() -> bool:
        membership_revoke(actor=request.user, membership=membership)
        return True

    # The service decides and audits a refusal; not administering here at all stays a 403.
    try:
        revoked = _run(form, revoke)
    except PermissionDenied as exc:
        _require(reaches(request.user, org, ADMIN_ROLES))
        messages.error(request, str(exc))
        revoked = None
    if revoked:
        messages.success(request, _("The role was taken away."))
    _errors_to_messages(request, form)
    return redirect(reverse("orgs:detail", args=[org.pk]) + "#members")


@login_required
@require_POST
def leadership_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Set up or rename the organisation's leadership group."""
    org = _admin_org(request, pk)
    form = LeadershipGroupForm(request.POST)
    if form.is_valid() and _run(
        form,
        lambda: services.leadership_group_set(
            actor=request.user,
            organization=org,
            name=form.cleaned_data["name"],
            established_on=form.cleaned_data["established_on"],
        ),
    ):
        messages.success(request, _("The leadership group was saved."))
    _errors_to_messages(request, form)
    return redirect(reverse("orgs:detail", args=[org.pk]) + "#leadership")


@login_required
@require_POST
def leader_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Seat someone in the leadership group (set up first if there is none)."""
    org = _admin_org(request, pk)
    form = LeadershipMemberForm(request.POST)
    if form.is_valid():

        def add() -> Any:
            group = leadership_group_for(user=request.user, organization=org)
            if group is None:
                group = services.leadership_group_set(actor=request.user, organization=org)
            return services.leadership_member_add(actor=request.user, group=group, **form.cleaned_data)

        if _run(form, add):
            messages.success(
                request,
                _("%(name)s joined the leadership group.") % {"name": form.cleaned_data["person_name"]},
            )
    _errors_to_messages(request, form)
    return redirect(reverse("orgs:detail", args=[org.pk]) + "#leadership")


@login_required
@require_POST
def leader_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Take someone off the leadership group (the page asks to confirm first)."""
    org = _admin_org(request, pk)
    member = leadership_member_get(user=request.user, pk=member_pk)
    if member.group.organization_id != org.pk:
        raise Http404
    form = forms.Form()
    _run(form, lambda: services.leadership_member_remove(actor=request.user, member=member))
    if form.errors:
        _errors_to_messages(request, form)
    else:
        messages.success(request, _("%(name)s left the leadership group.") % {"name": member.person_name})
    return redirect(reverse("orgs:detail", args=[org.pk]) + "#leadership")


# --- People -------------------------------------------------------------------------------------


def _people_filters(request: HttpRequest) -> tuple[PeopleFilterForm, dict[str, Any]]:
    """The roster filters from the query string; an organisation out of scope is a 404."""
    form = PeopleFilterForm(request.GET or None)
    filters: dict[str, Any] = {"active": True}
    if form.is_bound and form.is_valid():
        ref = form.cleaned_data["org"]
        filters = {
            "organization": organization_resolve(user=request.user, ref=ref) if ref else None,
            "search": form.cleaned_data["q"].strip(),
            "active": form.active_value(),
        }
    return form, filters


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
    form = EmployeeForm(request.POST or None, instance=copy.copy(employee), allow_move=True)
    if request.method == "POST" and form.is_valid():
        values = values_for_service(form, EMPLOYEE_FORM_FIELDS)
        code = (form.cleaned_data.get("organization_code") or "").strip()
        if code and code != employee.organization.code:
            try:
                values["organization"] = organization_get(user=request.user, code=code)
            except Http404:
                form.add_error("organization_code", _("No organisation with this code is in your area."))
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


# --- Regions ------------------------------------------------------------------------------------


@login_required
def regions(request: HttpRequest) -> HttpResponse:
    """Every region with the rule in force today."""
    return render(request, "orgs/regions.html", {"rows": regions_with_current_rules()})


@login_required
def region(request: HttpRequest, pk: int) -> HttpResponse:
    """A region's rule history, and HQ's form to set new rules."""
    place = region_get(pk=pk)
    can_set = region_rules_settable(user=request.user, region=place)
    form = RegionRuleForm(request.POST or None) if can_set else None
    if request.method == "POST":
        _require(can_set)
        assert form is not None
        if form.is_valid() and _run(
            form,
            lambda: services.region_rule_set(actor=request.user, region=place, **form.cleaned_data),
        ):
            messages.success(request, _("The rules of %(region)s were recorded.") % {"region": place.name})
            return redirect("orgs:region", pk=place.pk)
    rules = Paginator(region_rule_history(region=place), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/region.html",
        {
            "region": place,
            "page": rules,
            "current": region_rule_on(region=place),
            "form": form,
            "organizations": region_organizations(user=request.user, region=place)[:100],
        },
    )
