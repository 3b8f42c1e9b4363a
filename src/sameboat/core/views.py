"""Core pages: the health probe and the inbox (the dashboard and the audit trail are the site's)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from sameboat.core.db import database_write_probe
from sameboat.core.middleware import RETRY_AFTER_SECONDS
from sameboat.core.models import Notification
from sameboat.core.selectors import notification_list, notification_unread_count, notifications_rendered
from sameboat.core.services import notification_mark_all_read, notification_mark_read

logger = logging.getLogger("sameboat.unavailable")

INBOX_PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: Any, per_page: int) -> Page:
    """The requested page of a list; a bad or too-large page number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


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
    """The person's notifications, newest first, rendered in the active language; only the
    unread ones with ?unread=1 (where the "unread" tile leads)."""
    unread_only = request.GET.get("unread") == "1"
    page = paginate(request, notification_list(user=request.user, unread_only=unread_only), INBOX_PAGE_SIZE)
    return render(
        request,
        "core/inbox.html",
        {
            "page": page,
            "items": notifications_rendered(page.object_list),
            "unread": notification_unread_count(user=request.user),
            "unread_only": unread_only,
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
