"""API viewsets of the health domain, on the shared base (sameboat.api.viewsets): check-ins
(idempotent), daily returns, follow-up cases and quarantines. Reads of others' health
values are audited (read_audit.AuditedReadMixin)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat.api.idempotency import Answer, Outcome, Receipt, idempotent
from sameboat.api.viewsets import ApiViewSet
from sameboat.core.exceptions import DomainError
from sameboat.health import selectors
from sameboat.health.api.filters import CaseFilter, CheckInFilter, ReturnsFilter
from sameboat.health.api.serializers import (
    CaseSerializer,
    CheckInInputSerializer,
    CheckInSerializer,
    QuarantineSerializer,
    checkin_body,
    checkin_input,
)
from sameboat.health.models import CheckIn, Source
from sameboat.health.read_audit import READ_CASES, READ_CHECKINS, READ_QUARANTINES, AuditedReadMixin
from sameboat.health.services.checkins import checkin_file
from sameboat.orgs.models import Employee, Organization
from sameboat.orgs.selectors import organization_get, organization_roots


def _employee_for(request: Request, employee_id: int | None) -> Employee | int:
    """The roster entry named in the request (its id: the service checks it is in scope),
    or the caller's own."""
    if employee_id is not None:
        return employee_id
    own = selectors.employee_for_user(request.user)
    if own is None:
        raise DomainError(_("Your login is not linked to a roster entry: name the employee."), field="employee")
    return own


def checkin_answer(checkin: CheckIn, created: bool) -> Answer:
    """The API's answer to a check-in filed (201) or edited (200)."""
    return (status.HTTP_201_CREATED if created else status.HTTP_200_OK), checkin_body(checkin)


class CheckInViewSet(AuditedReadMixin, ApiViewSet):
    """Daily check-ins: your own, or your subtree's for the roles that read health values
    (reads of others' are audited). POST files today's (or edits it)."""

    serializer_class = CheckInSerializer
    filter_class = CheckInFilter
    read_action = READ_CHECKINS
    # Correcting the day's check-in too often is refused by the service's throttle.
    extra_error_codes = {"create": ["429"]}

    def get_queryset(self) -> QuerySet[CheckIn]:
        qs = selectors.checkin_list(user=self.request.user)
        day = self.filters.get("day")
        return qs.filter(day=day) if day else qs

    @extend_schema(request=CheckInInputSerializer, responses={200: CheckInSerializer, 201: CheckInSerializer})
    # The service stores the key with the check-in, in one statement on the busy path.
    @idempotent(respond=checkin_answer)
    def create(self, request: Request, *args: Any, receipt: Receipt | None = None, **kwargs: Any) -> Outcome:
        """File a check-in; a second one on the same day edits it."""
        data = checkin_input(request.data)
        return checkin_file(
            actor=request.user,
            employee=_employee_for(request, data.get("employee")),
            day=data.get("day") or timezone.localdate(),
            answers=data,
            source=Source.API,
            receipt=receipt,
        )


class ReturnsViewSet(ApiViewSet):
    """Daily return of an organisation's subtree, with its children's lines."""

    filter_class = ReturnsFilter
    pagination_class = None  # one return, not a page of rows

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request: Request) -> Response:
        """Totals and breakdown for a day."""
        params = self.filters
        day = params.get("day") or timezone.localdate()
        org = self._organization(params.get("org"))
        lines = selectors.returns_breakdown(user=request.user, organization=org, day=day)
        return Response(
            {
                "organization": org.code,
                "day": day.isoformat(),
                "totals": selectors.returns_subtree(user=request.user, organization=org, day=day),
                "lines": [
                    {
                        **{k: v for k, v in line.items() if k != "organization"},
                        "organization": line["organization"].code,
                    }
                    for line in lines
                ],
            }
        )

    def _organization(self, code: str | None) -> Organization:
        if code:
            return organization_get(user=self.request.user, code=code)
        root = organization_roots(user=self.request.user).first()
        if root is None:
            raise Http404
        return root


class CaseViewSet(AuditedReadMixin, ApiViewSet):
    """Follow-up cases in your scope for the roles that read health values (open ones;
    ?all=1 for closed too); every read is audited."""

    serializer_class = CaseSerializer
    filter_class = CaseFilter
    read_action = READ_CASES

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.case_list(user=self.request.user, open_only=not self.filters.get("all", False))


class QuarantineViewSet(AuditedReadMixin, ApiViewSet):
    """Quarantines in your scope for the roles that read health values (your own, for
    anyone); reads of others' are audited."""

    serializer_class = QuarantineSerializer
    read_action = READ_QUARANTINES

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.quarantine_list(user=self.request.user)
