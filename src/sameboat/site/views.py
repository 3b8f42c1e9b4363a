"""The dashboard (composed from the apps' registered tiles and shortcuts) and the audit trail."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from sameboat.accounts.roles import AUDIT_ROLES
from sameboat.accounts.scoping import has_role, membership_paths, scope_paths
from sameboat.accounts.selectors import audit_event_list, membership_list
from sameboat.core.audit_display import audit_changes_shown
from sameboat.core.contributions import entries_for, home_cards_for, landing_for, shortcuts, tiles_for
from sameboat.core.jobs import job_label
from sameboat.core.selectors import job_recent, notification_unread_count
from sameboat.core.views import paginate
from sameboat.core.widgets import DateField
from sameboat.orgs.models import Employee

AUDIT_PAGE_SIZE = 50


# --- Dashboard ----------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where the person starts: their role's registered landing, else the dashboard for the
    user's scope, or a personal page for people with no subtree."""
    user: Any = request.user
    # Each role starts on its own work: a domain's page, or a page saying it is still to come.
    landing = landing_for(role for _path, role in membership_paths(user))
    if landing is not None and landing.url_name and landing.url_name != "core:home":
        return redirect(landing.url_name)
    if landing is not None and landing.template:
        return render(request, landing.template, {"landing": landing, **landing.values(user)})
    jobs = [(job, job_label(job.kind)) for job in job_recent(user=user)]
    own_entry = Employee.objects.select_related("organization", "home_region").filter(user=user).first()
    paths = scope_paths(user)
    if paths is not None and not paths:
        return render(
            request,
            "core/home_personal.html",
            {
                "employee": own_entry,
                "unread": notification_unread_count(user=user),
                "jobs": jobs,
                "memberships": membership_list(user=user).filter(user=user),
                # What the apps put first on a person's page (health: today's check-in).
                "cards": home_cards_for(user),
            },
        )
    tiles = tiles_for(user)
    return render(
        request,
        "core/home.html",
        {
            # kpi_<key> keeps each figure addressable by key (tests, people who script pages).
            **{f"kpi_{tile.key}": tile.value for tile in tiles},
            "tiles": tiles,
            "jobs": jobs,
            "links": entries_for(shortcuts, user),
            "employee": own_entry,
        },
    )


# --- Audit trail --------------------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    """The audit page's filters; all optional."""

    action = forms.CharField(label=_("Action starts with"), required=False, max_length=100)
    actor = forms.CharField(label=_("Actor (user name)"), required=False, max_length=150)
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=100,
        help_text=_("For example orgs.organization"),
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """HQ's view of the audit trail of its subtree, filtered and paged."""
    if not has_role(request.user, *AUDIT_ROLES):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    qs = audit_event_list(user=request.user, **filters)
    page = paginate(request, qs, AUDIT_PAGE_SIZE)
    rows = audit_changes_shown(page.object_list, reader=request.user)
    return render(request, "core/audit_list.html", {"form": form, "page": page, "rows": rows})
