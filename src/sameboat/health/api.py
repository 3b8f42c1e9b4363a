"""REST API of the health capability: check-ins (idempotent), returns, cases, quarantines."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.fields import SkipField, get_error_detail
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sameboat.api.fields import IdField
from sameboat.core.exceptions import DomainError
from sameboat.core.throttle import throttle_hit
from sameboat.health import selectors
from sameboat.health.idempotency import Receipt, run_once
from sameboat.health.models import CheckIn, CommuteMode, FollowUpCase, Quarantine, Source, Symptom, WorkStatus
from sameboat.health.read_audit import READ_CASES, READ_CHECKINS, READ_QUARANTINES, AuditedReadMixin
from sameboat.health.services.checkins import checkin_submit
from sameboat.orgs.models import Employee, Organization, Region
from sameboat.orgs.selectors import organization_get, region_by_code


class CheckInSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "employee",
            "employee_no",
            "organization",
            "day",
            "temperature",
            "symptoms",
            "region",
            "travelled",
            "contact",
            "work_status",
            "commute_mode",
            "source",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CheckInInputSerializer(serializers.Serializer):
    employee = IdField(required=False, help_text=_("Roster id; defaults to the caller's own roster entry."))
    day = serializers.DateField(required=False, help_text=_("Defaults to today."))
    temperature = serializers.DecimalField(max_digits=4, decimal_places=1)
    symptoms = serializers.ListField(
        child=serializers.ChoiceField(choices=[*Symptom.values, "none"]), required=False, default=list
    )
    region = serializers.CharField(max_length=32, help_text=_("Code of the region the person is in today."))
    travelled = serializers.BooleanField(required=False, default=False)
    contact = serializers.BooleanField(required=False, default=False)
    work_status = serializers.ChoiceField(choices=WorkStatus.choices)
    commute_mode = serializers.ChoiceField(choices=CommuteMode.choices, required=False, default=CommuteMode.NONE)

    def validate_region(self, value: str) -> Region:
        region = region_by_code(value)
        if region is None:
            raise serializers.ValidationError(_("No region has the code %(code)s.") % {"code": value})
        return region


_input_serializer: CheckInInputSerializer | None = None


def checkin_input(data: Any) -> dict[str, Any]:
    """``CheckInInputSerializer``'s validated data, with its fields built once per process.

    A serializer deep-copies its declared fields each time it is made, which cost the
    check-in API a millisecond a request. This runs the same bound fields and
    ``validate_<field>`` methods in DRF's own order and raises the same errors; anything
    that is not a JSON object goes through a fresh serializer for DRF's own answer.
    """
    global _input_serializer
    if not isinstance(data, Mapping):
        serializer = CheckInInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
    if _input_serializer is None:
        _input_serializer = CheckInInputSerializer()
    shared = _input_serializer
    validated: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for field in shared._writable_fields:
        name = str(field.field_name)
        primitive = field.get_value(data)
        try:
            value = field.run_validation(primitive)
            check = getattr(shared, f"validate_{name}", None)
            if check is not None:
                value = check(value)
        except serializers.ValidationError as exc:
            errors[name] = exc.detail
        except DjangoValidationError as exc:
            errors[name] = get_error_detail(exc)
        except SkipField:
            pass
        else:
            validated[name] = value
    if errors:
        raise serializers.ValidationError(errors)
    return validated


def _employee_for(request: Request, employee_id: int | None) -> Employee | int:
    """The roster entry named in the request (its id: the service checks it is in scope),
    or the caller's own."""
    if employee_id is not None:
        return employee_id
    own = selectors.employee_for_user(request.user)
    if own is None:
        raise DomainError(_("Your login is not linked to a roster entry: name the employee."), field="employee")
    return own


def checkin_body(checkin: CheckIn) -> dict[str, Any]:
    """What ``CheckInSerializer`` answers for a check-in the service has just written.

    Built by hand from objects the service already holds: the serializer would rebuild its
    fields per call and read the employee and region again, on the busiest request of the
    day. A test holds the two equal.
    """
    return {
        "id": checkin.pk,
        "employee": checkin.employee_id,
        "employee_no": checkin.employee.employee_no,
        "organization": checkin.organization_id,
        "day": checkin.day.isoformat(),
        "temperature": f"{checkin.temperature:.1f}",
        "symptoms": list(checkin.symptoms),
        "region": checkin.region.code,
        "travelled": checkin.travelled,
        "contact": checkin.contact,
        "work_status": checkin.work_status,
        "commute_mode": checkin.commute_mode,
        "source": checkin.source,
        "created_at": _timestamp(checkin.created_at),
        "updated_at": _timestamp(checkin.updated_at),
    }


_timestamp = serializers.DateTimeField().to_representation


class CheckInViewSet(AuditedReadMixin, viewsets.GenericViewSet):
    """Daily check-ins: your own, or your subtree's for the roles that read health values
    (reads of others' are audited). POST files today's (or edits it)."""

    serializer_class = CheckInSerializer
    read_action = READ_CHECKINS

    def get_queryset(self):  # type: ignore[no-untyped-def]
        qs = selectors.checkin_list(user=self.request.user)
        day = self.request.query_params.get("day")
        if day:
            qs = qs.filter(day=day)
        return qs

    @extend_schema(
        request=CheckInInputSerializer,
        responses={200: CheckInSerializer, 201: CheckInSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Send the same key when retrying: the first answer is returned.",
            )
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """File a check-in; a second one on the same day edits it."""
        data = checkin_input(request.data)

        def perform(receipt: Receipt | None = None) -> tuple[CheckIn, bool]:
            return checkin_submit(
                actor=request.user,
                employee=_employee_for(request, data.get("employee")),
                day=data.get("day") or timezone.localdate(),
                temperature=data["temperature"],
                region=data["region"],
                work_status=data["work_status"],
                symptoms=data["symptoms"],
                travelled=data["travelled"],
                contact=data["contact"],
                commute_mode=data["commute_mode"],
                source=Source.API,
                receipt=receipt,
                before_edit=lambda: throttle_hit("checkin_edit", f"user:{request.user.pk}"),
            )

        key = request.headers.get("Idempotency-Key")
        if key is None:
            checkin, created = perform()
            return Response(checkin_body(checkin), status=_status(checkin, created)[0])
        # The fingerprint is of what the client sent, so a retry of the same body matches.
        raw: Any = request.data
        code, body, replayed = run_once(user=request.user, key=key, body=raw, respond=_status, perform=perform)
        response = Response(body, status=code)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response


def _status(checkin: CheckIn, created: bool) -> tuple[int, dict[str, Any]]:
    """The API's answer to a check-in filed (201) or edited (200)."""
    return (status.HTTP_201_CREATED if created else status.HTTP_200_OK), checkin_body(checkin)


class ReturnsView(APIView):
    """Daily return of an organisation's subtree, with its children's lines."""

    @extend_schema(
        parameters=[
            OpenApiParameter("org", OpenApiTypes.STR, description="Organisation code (default: your top)"),
            OpenApiParameter("day", OpenApiTypes.DATE),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        """Totals and breakdown for a day."""
        day_text = request.query_params.get("day")
        try:
            day = datetime.date.fromisoformat(day_text) if day_text else timezone.localdate()
        except ValueError as exc:
            raise DomainError(_("Give the day as YYYY-MM-DD."), field="day") from exc
        org = _org_for(request)
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


def _org_for(request: Request) -> Organization:
    code = request.query_params.get("org")
    if code:
        return organization_get(user=request.user, code=code)
    from sameboat.orgs.selectors import organization_roots

    root = organization_roots(user=request.user).first()
    if root is None:
        raise Http404
    return root


class CaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpCase
        fields = ["id", "employee", "organization", "status", "reason", "opened_on", "closed_on"]
        read_only_fields = fields


class CaseViewSet(AuditedReadMixin, viewsets.GenericViewSet):
    """Follow-up cases in your scope for the roles that read health values (open ones;
    ?all=1 for closed too); every read is audited."""

    serializer_class = CaseSerializer
    read_action = READ_CASES

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.case_list(user=self.request.user, open_only=self.request.query_params.get("all") != "1")


class QuarantineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quarantine
        fields = [
            "id",
            "employee",
            "organization",
            "start",
            "planned_end",
            "released_on",
            "place",
            "reason",
            "proposed",
        ]
        read_only_fields = fields


class QuarantineViewSet(AuditedReadMixin, viewsets.GenericViewSet):
    """Quarantines in your scope for the roles that read health values (your own, for
    anyone); reads of others' are audited."""

    serializer_class = QuarantineSerializer
    read_action = READ_QUARANTINES

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.quarantine_list(user=self.request.user)
