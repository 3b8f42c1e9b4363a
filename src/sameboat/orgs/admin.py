"""Admin for the organisation tree, regions, rosters and leadership groups."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from sameboat.core.admin import AuditedAdmin
from sameboat.core.audit import Changes, audit
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

    def save_form(self, request: HttpRequest, form: ModelForm, change: bool) -> Any:
        # The change form moves the node too (treebeard's form moves it here, in save(),
        # before save_model): say so in the trail as the organisation page's move does.
        old_parent = _parent_code(form.instance) if change else None
        obj = super().save_form(request, form, change)
        if change:
            _audit_move(request, obj, old_parent)
        return obj

    @transaction.atomic
    def move_node(self, request: HttpRequest) -> HttpResponse:
        """The change list's drag and drop, audited like any other move."""
        node_id = request.POST.get("node", "")
        node = Organization.objects.filter(pk=node_id).first() if node_id.isdigit() else None
        old_parent = _parent_code(node) if node is not None else None
        response = super().move_node(request)
        if node is not None and response.status_code == 200:
            node.refresh_from_db()
            _audit_move(request, node, old_parent)
        return response


def _parent_code(org: Organization) -> str | None:
    parent = Organization.objects.get_parent(Organization.objects.get(pk=org.pk))
    return parent.code if parent else None


def _audit_move(request: HttpRequest, org: Organization, old_parent: str | None) -> None:
    new_parent = _parent_code(org)
    if new_parent != old_parent:
        audit(
            "admin.orgs.organization.moved",
            org,
            Changes(before={"parent": old_parent}, after={"parent": new_parent}),
            actor=request.user,
        )


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
