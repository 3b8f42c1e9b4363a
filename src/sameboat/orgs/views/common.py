"""What the organisation pages share: paging sizes, who sees history, and the adapters
that turn a service's refusal into a 403, a form error or a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from sameboat.accounts.roles import ADMIN_ROLES, AUDIT_ROLES, ROSTER_ROLES
from sameboat.accounts.scoping import reaches
from sameboat.core.forms import form_run
from sameboat.orgs.models import Organization
from sameboat.orgs.selectors import (
    organization_ancestors,
    organization_get,
)

PAGE_SIZE = 50
TREE_PAGE_SIZE = 100
HISTORY_ROLES = ADMIN_ROLES | AUDIT_ROLES
PERSON_HISTORY_ROLES = ROSTER_ROLES | AUDIT_ROLES


def _require(allowed: bool) -> None:
    """403 for a person who sees the record but may not change it."""
    if not allowed:
        raise PermissionDenied


def _run(form: forms.BaseForm, call: Callable[[], Any], field_map: dict[str, str] | None = None) -> Any:
    """Call a service; a domain refusal becomes a form error (None returned), never a 500."""
    return form_run(form, call, field_map=field_map)


def _visible_ancestors(user: Any, org: Organization) -> list[Organization]:
    """The breadcrumb above an organisation, only as far up as the user can see."""
    return [a for a in organization_ancestors(organization=org) if reaches(user, a)]


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
