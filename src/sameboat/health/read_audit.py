"""Reads of other people's health values leave a trace: one audit event per request.

Pages, API endpoints and exports that show individual health values (check-ins, cases and
their notes, quarantines) call ``health_read_audit`` once with every record they show. The
event names what was read (record ids by kind, the people, the filter), never the values
themselves, so the trail does not become one more copy of the health data to purge.
Reading your own records is not recorded: it needs no oversight, and an employee opening
their history every morning would only bury the reads that matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from sameboat.core.audit import Changes, audit
from sameboat.core.models import AuditEvent
from sameboat.orgs.models import Organization

READ_CHECKINS = "health.checkins.read"
READ_CASES = "health.cases.read"
READ_QUARANTINES = "health.quarantines.read"
READ_DASHBOARD = "health.dashboard.read"

# How a record's kind is named in the event.
_KINDS = {"checkin": "checkins", "followupcase": "cases", "quarantine": "quarantines"}
# A filter value is kept up to this length: enough to see what was asked for.
_FILTER_CHARS = 100


def _is_own(record: Any, actor: Any) -> bool:
    return record.employee.user_id is not None and record.employee.user_id == getattr(actor, "pk", None)


def _common_organization(records: list[Any]) -> Organization | None:
    """The deepest organisation above every record, so that the event shows in the audit
    trail of whoever oversees all of them (one query only when they are in several units)."""
    orgs = {r.organization_id: r.organization for r in records}
    if len(orgs) == 1:
        return next(iter(orgs.values()))
    paths = [o.path for o in orgs.values()]
    shortest = min(paths, key=len)
    length = 0
    while length < len(shortest) and all(p[length] == shortest[length] for p in paths):
        length += 1
    prefix = shortest[: length - length % Organization.steplen]
    if not prefix:
        return None
    return (
        next((o for o in orgs.values() if o.path == prefix), None) or Organization.objects.filter(path=prefix).first()
    )


def health_read_audit(
    *,
    actor: Any,
    action: str,
    records: Iterable[Any],
    filters: Mapping[str, Any] | None = None,
    extra: Mapping[str, list[Any]] | None = None,
    organization: Organization | None = None,
) -> AuditEvent | None:
    """Record that ``actor`` read these records (each with ``employee`` and ``organization``
    loaded); nothing when every one of them is the actor's own.

    ``extra`` names further records read with them (a case's notes); ``organization``, when
    the caller knows one above every record (the dashboard's), saves working it out.
    """
    others = [r for r in records if not _is_own(r, actor)]
    if not others:
        return None
    read: dict[str, list[Any]] = {}
    for record in others:
        read.setdefault(_KINDS.get(record._meta.model_name, record._meta.model_name), []).append(record.pk)
    for kind, ids in (extra or {}).items():
        if ids:
            read[kind] = list(ids)
    employees = sorted({r.employee_id for r in others})
    after: dict[str, Any] = {"read": read, "count": len(others), "employees": employees}
    if filters:
        after["filter"] = {str(k): str(v)[:_FILTER_CHARS] for k, v in filters.items()}
    single = others[0].employee if len(employees) == 1 else None
    return audit(
        action,
        single,
        Changes(after=after),
        actor=actor,
        organization=organization or _common_organization(others),
        object_repr=None if single is not None else "",
    )


class AuditedReadMixin:
    """For a read-only viewset of health records: each list page or detail read is
    recorded once with ``health_read_audit`` (its ``read_action``)."""

    read_action: str

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The page, recorded as read."""
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        page = self.paginate_queryset(queryset)  # type: ignore[attr-defined]
        rows = list(page if page is not None else queryset)
        health_read_audit(actor=request.user, action=self.read_action, records=rows, filters=request.query_params)
        data = self.get_serializer(rows, many=True).data  # type: ignore[attr-defined]
        return self.get_paginated_response(data) if page is not None else Response(data)  # type: ignore[attr-defined]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The record, recorded as read."""
        instance = self.get_object()  # type: ignore[attr-defined]
        health_read_audit(actor=request.user, action=self.read_action, records=[instance])
        return Response(self.get_serializer(instance).data)  # type: ignore[attr-defined]
