"""Admin for the organisation tree, regions, rosters and leadership groups."""

from __future__ import annotations

from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from sameboat.core.admin import AuditedAdmin
from sameboat.orgs.models import (
    Employee,
    LeadershipGroup,
    LeadershipMember,
    Organization,
    Region,
    RegionRule,
)


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin, TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ("name_en", "name_zh", "code", "kind", "country", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name_en", "name_zh")
    raw_id_fields = ("region",)


class RegionRuleInline(admin.TabularInline):
    model = RegionRule
    extra = 0
    readonly_fields = ("created_at", "created_by")


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("code", "name_en", "name_zh", "country")
    search_fields = ("code", "name_en", "name_zh")
    inlines = [RegionRuleInline]


@admin.register(Employee)
class EmployeeAdmin(AuditedAdmin):
    list_display = ("employee_no", "name", "name_en", "organization", "is_active")
    list_filter = ("is_active",)
    search_fields = ("employee_no", "name", "name_en", "organization__code")
    list_select_related = ("organization",)
    raw_id_fields = ("organization", "group", "user", "home_region")


class LeadershipMemberInline(admin.TabularInline):
    model = LeadershipMember
    extra = 0
    raw_id_fields = ("employee",)


@admin.register(LeadershipGroup)
class LeadershipGroupAdmin(AuditedAdmin):
    list_display = ("__str__", "organization", "established_on")
    search_fields = ("name", "organization__code", "organization__name_en")
    list_select_related = ("organization",)
    raw_id_fields = ("organization",)
    inlines = [LeadershipMemberInline]
