"""Serializers of the organisation resources (the tree, regions, the roster, roles and
leadership groups): explicit fields, bilingual names, no hidden queries.

Output serializers only read attributes the selectors already loaded (select_related /
prefetch_related), so a page costs the same few queries whatever its length. Input
serializers are plain Serializers: they validate shape and references, and the services
decide the rest.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sameboat.accounts.models import Membership
from sameboat.accounts.roles import Role
from sameboat.api.fields import BoundedIntegerField, CodeField
from sameboat.orgs import selectors
from sameboat.orgs.models import (
    Employee,
    LeadershipGroup,
    LeadershipMember,
    Organization,
    OrgKind,
    Region,
    RegionRule,
    RiskLevel,
)


class ScopedOrganizationField(CodeField):
    """An organisation named by its code, looked up only among those the caller may see.

    One out of scope is refused with the same words as one that does not exist.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Organization.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        if request is None:
            return Organization.objects.none()
        return selectors.organization_list(user=request.user)


# --- Regions ----------------------------------------------------------------------------------


class RegionRuleSerializer(serializers.ModelSerializer):
    risk_level_label = serializers.CharField(source="get_risk_level_display", read_only=True)

    class Meta:
        model = RegionRule
        fields = [
            "id",
            "effective_from",
            "risk_level",
            "risk_level_label",
            "max_onsite_ratio",
            "quarantine_days",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class RegionRuleWriteSerializer(serializers.Serializer):
    effective_from = serializers.DateField(
        required=False, allow_null=True, help_text=_("Day the rule takes effect; today when left out.")
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)
    max_onsite_ratio = serializers.DecimalField(
        max_digits=4, decimal_places=3, help_text=_("Share of staff allowed on site, from 0 to 1.")
    )
    quarantine_days = BoundedIntegerField(min_value=0)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RegionSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)
    current_rule = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = ["id", "code", "name_zh", "name_en", "country", "current_rule"]

    @extend_schema_field(RegionRuleSerializer(allow_null=True))
    def get_current_rule(self, obj: Region) -> dict[str, Any] | None:
        # The view prefetches the rules in force today, newest first, into rules_in_force.
        rules = getattr(obj, "rules_in_force", None)
        return RegionRuleSerializer(rules[0]).data if rules else None


class RegionDetailSerializer(RegionSerializer):
    rules = serializers.SerializerMethodField(help_text=_("Every rule the region has had, newest first."))

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "rules"]

    @extend_schema_field(RegionRuleSerializer(many=True))
    def get_rules(self, obj: Region) -> list[dict[str, Any]]:
        return list(RegionRuleSerializer(getattr(obj, "rule_history", []), many=True).data)


# --- Organisations ------------------------------------------------------------------------------


class OrganizationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    parent_path = serializers.SerializerMethodField(help_text=_("Materialised path of the parent; null for a root."))

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
            "numchild",
            "address",
            "contact_email",
            "contact_phone",
            "is_active",
        ]

    def get_parent_path(self, obj: Organization) -> str | None:
        return obj.path[: -Organization.steplen] or None


class OrganizationUpdateSerializer(serializers.Serializer):
    """An organisation's own fields; its place in the tree changes through the move action."""

    code = serializers.CharField(max_length=40)
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    country = CountryField(required=False, default="CN")
    region = CodeField(queryset=Region.objects.all(), required=False, allow_null=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)


class OrganizationCreateSerializer(OrganizationUpdateSerializer):
    parent = ScopedOrganizationField(  # type: ignore[assignment]
        required=False,
        allow_null=True,
        help_text=_("Code of the parent organisation; left out for a new tree root (administrators only)."),
    )


class OrganizationMoveSerializer(serializers.Serializer):
    parent = ScopedOrganizationField(  # type: ignore[assignment]
        help_text=_("Code of the new parent organisation."),
    )


# --- People (the roster) ------------------------------------------------------------------------


class EmployeeSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="organization.code", read_only=True, help_text=_("Code of the unit."))
    unit_name_zh = serializers.CharField(source="organization.name_zh", read_only=True)
    unit_name_en = serializers.CharField(source="organization.name_en", read_only=True)
    home_region = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    has_login = serializers.SerializerMethodField()

    class Meta:
        model = Employee
        fields = [
            "id",
            "employee_no",
            "name",
            "name_en",
            "unit",
            "unit_name_zh",
            "unit_name_en",
            "title",
            "phone",
            "email",
            "home_region",
            "has_login",
            "is_active",
        ]

    def get_has_login(self, obj: Employee) -> bool:
        return obj.user_id is not None


class EmployeeWriteSerializer(serializers.Serializer):
    employee_no = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=100)
    name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    unit = ScopedOrganizationField(
        source="organization",
        help_text=_("Code of the unit whose roster the person is on."),
    )
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    home_region = CodeField(queryset=Region.objects.all(), required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


# --- Memberships ----------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    user_display_name = serializers.CharField(source="user.display_name", read_only=True)
    organization_code = serializers.CharField(source="organization.code", read_only=True)
    organization_name_zh = serializers.CharField(source="organization.name_zh", read_only=True)
    organization_name_en = serializers.CharField(source="organization.name_en", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "username",
            "user_display_name",
            "organization",
            "organization_code",
            "organization_name_zh",
            "organization_name_en",
            "role",
            "role_label",
            "created_at",
        ]


class MembershipWriteSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text=_("Login name of the person receiving the role."))
    organization = ScopedOrganizationField(
        help_text=_("Code of the organisation; the role reaches its whole subtree."),
    )
    role = serializers.ChoiceField(choices=Role.choices)


# --- Leadership groups ----------------------------------------------------------------------------


class LeadershipMemberSerializer(serializers.ModelSerializer):
    position_label = serializers.CharField(source="get_position_display", read_only=True)

    class Meta:
        model = LeadershipMember
        fields = ["id", "position", "position_label", "person_name", "title", "duty", "employee", "order"]


class LeadershipGroupSerializer(serializers.ModelSerializer):
    organization_code = serializers.CharField(source="organization.code", read_only=True)
    organization_name_zh = serializers.CharField(source="organization.name_zh", read_only=True)
    organization_name_en = serializers.CharField(source="organization.name_en", read_only=True)
    members = LeadershipMemberSerializer(many=True, read_only=True)

    class Meta:
        model = LeadershipGroup
        fields = [
            "id",
            "organization",
            "organization_code",
            "organization_name_zh",
            "organization_name_en",
            "name",
            "established_on",
            "members",
        ]
