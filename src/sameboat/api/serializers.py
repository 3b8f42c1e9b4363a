"""Serializers of the core resources: explicit fields, bilingual names, no hidden queries."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from sameboat.accounts.models import Membership
from sameboat.accounts.roles import Role
from sameboat.orgs.models import (
    Employee,
    LeadershipGroup,
    LeadershipMember,
    Organization,
    OrgKind,
    Region,
    RegionRule,
)


class RegionRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegionRule
        fields = ["effective_from", "risk_level", "max_onsite_ratio", "quarantine_days", "note"]


class RegionSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)
    current_rule = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = ["id", "code", "name_zh", "name_en", "country", "current_rule"]

    def get_current_rule(self, obj: Region) -> dict[str, Any] | None:
        rule = self.context.get("current_rules", {}).get(obj.pk)
        return RegionRuleSerializer(rule).data if rule else None


class RegionDetailSerializer(RegionSerializer):
    rules = RegionRuleSerializer(many=True, read_only=True)

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "rules"]


class OrganizationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    parent_path = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name_zh",
            "name_en",
            "kind",
            "kind_label",
            "country",
            "region",
            "depth",
            "path",
            "parent_path",
            "address",
            "contact_email",
            "contact_phone",
            "is_active",
        ]

    def get_parent_path(self, obj: Organization) -> str | None:
        return obj.path[: -Organization.steplen] or None


class OrganizationWriteSerializer(serializers.Serializer):
    parent = serializers.SlugRelatedField(  # type: ignore[var-annotated,assignment]
        slug_field="code", queryset=Organization.objects.all(), required=False, allow_null=True
    )
    code = serializers.CharField(max_length=40)
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    country = serializers.CharField(max_length=2, required=False, default="CN")
    region = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)


class EmployeeSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="organization.code", read_only=True)
    home_region = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Employee
        fields = ["id", "employee_no", "name", "name_en", "unit", "title", "phone", "email", "home_region", "is_active"]


class EmployeeWriteSerializer(serializers.Serializer):
    employee_no = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=100)
    name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Organization.objects.all(), source="organization")  # type: ignore[var-annotated]
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    home_region = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    is_active = serializers.BooleanField(required=False)


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    organization_code = serializers.CharField(source="organization.code", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "organization", "organization_code", "role", "role_label", "created_at"]


class MembershipWriteSerializer(serializers.Serializer):
    username = serializers.CharField()
    organization = serializers.SlugRelatedField(slug_field="code", queryset=Organization.objects.all())  # type: ignore[var-annotated]
    role = serializers.ChoiceField(choices=Role.choices)


class LeadershipMemberSerializer(serializers.ModelSerializer):
    position_label = serializers.CharField(source="get_position_display", read_only=True)

    class Meta:
        model = LeadershipMember
        fields = ["id", "position", "position_label", "person_name", "title", "duty", "employee", "order"]


class LeadershipGroupSerializer(serializers.ModelSerializer):
    organization_code = serializers.CharField(source="organization.code", read_only=True)
    members = LeadershipMemberSerializer(many=True, read_only=True)

    class Meta:
        model = LeadershipGroup
        fields = ["id", "organization", "organization_code", "name", "established_on", "members"]
