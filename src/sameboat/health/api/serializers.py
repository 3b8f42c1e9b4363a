"""Serializers of the health API: check-ins (the input read by a process-wide serializer and
the answer built by hand, for speed, each held equal to DRF's by a test), cases and
quarantines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField, get_error_detail

from sameboat.api.fields import IdField
from sameboat.health.models import CheckIn, CommuteMode, FollowUpCase, Quarantine, Symptom, WorkStatus
from sameboat.orgs.models import Region
from sameboat.orgs.selectors import region_by_code


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


class CaseSerializer(serializers.ModelSerializer):
    # The reason in the request's language (stored as codes, health.reasons).
    reason = serializers.CharField(source="reason_shown", read_only=True)

    class Meta:
        model = FollowUpCase
        fields = ["id", "employee", "organization", "status", "reason", "opened_on", "closed_on"]
        read_only_fields = fields


class QuarantineSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(source="reason_shown", read_only=True)

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
