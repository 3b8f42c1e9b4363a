"""Admin for logins and their memberships (changes are audited by AuditedAdmin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from sameboat.accounts.models import Membership, User
from sameboat.accounts.services import acting_as
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

    # The User save hook audits password changes and revokes API tokens (on a new
    # password or a deactivation); these name the administrator as the actor.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with acting_as(request.user):
            super().save_model(request, obj, form, change)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        with acting_as(request.user):
            return super().user_change_password(request, id, form_url)


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
