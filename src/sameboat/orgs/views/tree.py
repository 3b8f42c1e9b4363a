"""The organisation tree and one organisation: its page, edit, add a child, move."""

from __future__ import annotations

import copy
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sameboat.accounts.roles import ADMIN_ROLES, ROSTER_ROLES
from sameboat.accounts.scoping import reaches
from sameboat.accounts.selectors import membership_list, object_history
from sameboat.accounts.services import (
    grantable_roles,
)
from sameboat.orgs import services
from sameboat.orgs.forms import (
    ORG_FORM_FIELDS,
    LeadershipGroupForm,
    LeadershipMemberForm,
    MembershipGrantForm,
    MoveForm,
    OrganizationForm,
    OrgSearchForm,
    values_for_service,
)
from sameboat.orgs.models import OrgKind
from sameboat.orgs.selectors import (
    leadership_group_for,
    organization_breadcrumbs,
    organization_children,
    organization_get,
    organization_list,
    organization_roots,
    organization_summary,
    region_rule_on,
)
from sameboat.orgs.views.common import (
    HISTORY_ROLES,
    PAGE_SIZE,
    TREE_PAGE_SIZE,
    _require,
    _run,
    _visible_ancestors,
)


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The tree from the user's topmost organisations, or a flat list of search matches
    (with ?all=1, of every organisation in scope: the list behind the dashboard's tile)."""
    form = OrgSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    listing_all = request.GET.get("all") == "1"
    if query or listing_all:
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
                "listing_all": listing_all and not query,
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
    form = MoveForm(request.POST, user=request.user)
    if form.is_valid():
        target = form.cleaned_data["new_parent"]
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
