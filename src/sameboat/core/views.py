"""Core pages: the dashboard, the health probe, the inbox and the audit trail."""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from sameboat.accounts.roles import ADMIN_ROLES, AUDIT_ROLES, READ_ROLES, ROSTER_ROLES
from sameboat.accounts.scoping import has_role, scope_paths
from sameboat.accounts.selectors import membership_list
from sameboat.core.db import database_write_probe
from sameboat.core.jobs import job_label
from sameboat.core.middleware import RETRY_AFTER_SECONDS
from sameboat.core.models import Notification
from sameboat.core.selectors import (
    audit_changes,
    audit_event_list,
    job_recent,
    notification_list,
    notification_unread_count,
    notifications_rendered,
)
from sameboat.core.services import notification_mark_all_read, notification_mark_read
from sameboat.orgs.models import Employee
from sameboat.orgs.selectors import employee_list, organization_list

logger = logging.getLogger("sameboat.unavailable")

AUDIT_PAGE_SIZE = 50
INBOX_PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: Any, per_page: int) -> Page:
    """The requested page of a list; a bad or too-large page number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


# --- Dashboard ----------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard for the user's scope, or a personal page for people with no subtree."""
    user: Any = request.user
    jobs = [(job, job_label(job.kind)) for job in job_recent(user=user)]
    unread = notification_unread_count(user=user)
    own_entry = Employee.objects.select_related("organization", "home_region").filter(user=user).first()
    paths = scope_paths(user)
    if paths is not None and not paths:
        return render(
            request,
            "core/home_personal.html",
            {
                "employee": own_entry,
                "unread": unread,
                "jobs": jobs,
                "memberships": membership_list(user=user).filter(user=user),
            },
        )
    links = _quick_links(user)
    return render(
        request,
        "core/home.html",
        {
            "kpi_orgs": organization_list(user=user).count(),
            "kpi_people": employee_list(user=user).count(),
            "kpi_memberships": membership_list(user=user).count(),
            "unread": unread,
            "jobs": jobs,
            "links": links,
            "employee": own_entry,
        },
    )


def _quick_links(user: Any) -> list[dict[str, Any]]:
    """Shortcuts that make sense for the person's roles."""
    links = []
    if has_role(user, *READ_ROLES):
        links += [
            {"url": "orgs:tree", "label": _("Organisation tree"), "id": "tree"},
            {"url": "orgs:people", "label": _("People on the roster"), "id": "people"},
            {"url": "orgs:regions", "label": _("Regions and their rules"), "id": "regions"},
        ]
    if has_role(user, *ROSTER_ROLES):
        links.append({"url": "orgs:import_start", "label": _("Import a spreadsheet"), "id": "import"})
    if has_role(user, *ROSTER_ROLES) or has_role(user, *ADMIN_ROLES):
        links.append({"url": "core:job_list", "label": _("Background jobs"), "id": "jobs"})
    if has_role(user, *AUDIT_ROLES):
        links.append({"url": "core:audit", "label": _("Audit trail"), "id": "audit"})
    links.append({"url": "accounts:profile", "label": _("My profile"), "id": "profile"})
    if user.is_superuser:
        links.append({"url": "admin:index", "label": _("Administration"), "id": "admin"})
    return links


# --- Health probe -------------------------------------------------------------------------------


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database accepts a write, 503 when it does not."""
    try:
        database_write_probe()
    except Exception:  # any failure at all means "not ready"
        logger.warning("Health probe: the database does not accept a write.", exc_info=True)
        response = JsonResponse({"status": "error", "database": "error"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


# --- Inbox --------------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first, rendered in the active language."""
    page = paginate(request, notification_list(user=request.user), INBOX_PAGE_SIZE)
    return render(
        request,
        "core/inbox.html",
        {
            "page": page,
            "items": notifications_rendered(page.object_list),
            "unread": notification_unread_count(user=request.user),
        },
    )


@login_required
@require_POST
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points (inside this site only)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("core:inbox")


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every notification read."""
    notification_mark_all_read(user=request.user)
    return redirect("core:inbox")


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
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


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
    rows = [(event, audit_changes(event)) for event in page.object_list]
    return render(request, "core/audit_list.html", {"form": form, "page": page, "rows": rows})
