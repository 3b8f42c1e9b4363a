"""Admin for logins and their memberships (changes are audited by AuditedAdmin)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from sameboat.accounts.models import Membership, User
from sameboat.core.admin import AuditedAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("organization",)


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ("username", "display_name", "email", "language", "is_active", "is_superuser")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Sameboat"), {"fields": ("display_name", "phone", "language")}),
    )
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = (
        "user__username",
        "organization__code",
        "organization__name_en",
        "organization__name_zh",
    )
    list_select_related = ("user", "organization")
    raw_id_fields = ("user", "organization")
