"""Reads of logins, memberships and the audit trail, always through scope."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet

from sameboat.accounts.models import Membership
from sameboat.accounts.roles import AUDIT_ROLES
from sameboat.accounts.scoping import get_in_scope_or_404, scope
from sameboat.core.audit_display import Change, audit_changes_shown
from sameboat.core.models import AuditEvent, Job


def membership_list(*, user: Any, organization: Any = None) -> QuerySet[Membership]:
    """Memberships on organisations the user may see (or their own)."""
    qs = scope(Membership.objects.select_related("user", "organization"), user, own="user")
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs.order_by("organization__path", "role", "user__username")


def membership_get(*, user: Any, pk: Any) -> Membership:
    """One membership in scope, or 404."""
    return get_in_scope_or_404(Membership.objects.select_related("user", "organization"), user, own="user", pk=pk)


def audit_event_list(
    *,
    user: Any,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    roles: Iterable[str] = AUDIT_ROLES,
) -> QuerySet[AuditEvent]:
    """Audit events of organisations the user audits, newest first, optionally filtered."""
    qs = scope(AuditEvent.objects.all(), user, via="organization", roles=roles)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_repr__iexact=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")


def object_history(
    *, user: Any, obj: Model, roles: Iterable[str] = AUDIT_ROLES, limit: int = 20
) -> list[tuple[AuditEvent, list[Change]]]:
    """The latest audit events of one record with their changes, if the user may read them."""
    events = audit_event_list(user=user, object_type=obj._meta.label_lower, object_id=str(obj.pk), roles=roles)[:limit]
    return audit_changes_shown(events, reader=user)


def job_get(*, user: Any, pk: Any) -> Job:
    """A background job the user may follow (Http404 otherwise): their own, or one whose
    organisation their scope reaches, with the roles its kind asks for (core.jobs.JOB_READER_ROLES:
    a check-in upload's errors quote health values)."""
    from django.http import Http404

    from sameboat.accounts.scoping import reaches
    from sameboat.core.jobs import JOB_READER_ROLES

    job = get_in_scope_or_404(Job.objects.select_related("created_by", "organization"), user, own="created_by", pk=pk)
    readers = JOB_READER_ROLES.get(job.kind)
    if (
        readers is not None
        and job.created_by_id != user.pk
        and (job.organization is None or not reaches(user, job.organization, readers))
    ):
        raise Http404
    return job
