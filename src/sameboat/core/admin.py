"""The admin site: superusers only, every change audited; the audit trail is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sameboat.core.audit import Changes, audit, snapshot
from sameboat.core.models import AuditEvent, Job, Notification

# The admin is the operators' tool of last resort, not a way around roles: only active
# superusers get in, whatever is_staff says.
admin.site.has_permission = lambda request: (  # type: ignore[method-assign]
    request.user.is_active and request.user.is_superuser
)
admin.site.site_header = "Sameboat"
admin.site.site_title = "Sameboat"
admin.site.index_title = _("Administration")


def _action(obj: Model, verb: str) -> str:
    return f"admin.{obj._meta.label_lower}.{verb}"


def snapshot_safe(obj: Model) -> dict[str, Any]:
    """A snapshot without password hashes."""
    return {k: v for k, v in snapshot(obj).items() if "password" not in k}


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions (inlines included) land in the audit trail."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        # Never put a password (new or hashed) in the trail.
        names = [n for n in form.changed_data if n in form.cleaned_data and "password" not in n]
        before = {n: form.initial.get(n) for n in names} if change else None
        super().save_model(request, obj, form, change)
        audit(
            _action(obj, "changed" if change else "added"),
            obj,
            Changes(before=before, after={n: form.cleaned_data.get(n) for n in names}),
            actor=request.user,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit(_action(obj, "deleted"), obj, Changes(before=snapshot_safe(obj)), actor=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            audit(_action(obj, "deleted"), obj, Changes(before=snapshot_safe(obj)), actor=request.user)
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseModelFormSet, change: bool) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit(_action(obj, "deleted"), obj, Changes(before=snapshot_safe(obj)), actor=request.user)
            obj.delete()
        for obj in instances:
            adding = obj._state.adding
            obj.save()
            audit(
                _action(obj, "added" if adding else "changed"),
                obj,
                Changes(after=snapshot_safe(obj)),
                actor=request.user,
            )
        formset.save_m2m()


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are looked at here, never written."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_repr", "action", "object_type", "object_repr", "organization_id")
    list_filter = ("object_type",)
    search_fields = ("action", "actor_repr", "object_repr", "object_id")
    date_hierarchy = "at"
    list_select_related = False


@admin.register(Job)
class JobAdmin(AuditedAdmin):
    list_display = ("kind", "status", "progress", "created_by", "organization", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("kind", "input_name", "created_by__username")
    list_select_related = ("created_by", "organization")
    readonly_fields = ("id", "created_at", "started_at", "heartbeat_at", "finished_at")
    raw_id_fields = ("created_by", "organization")


@admin.register(Notification)
class NotificationAdmin(AuditedAdmin):
    list_display = ("event", "recipient", "created_at", "read_at")
    list_filter = ("event",)
    search_fields = ("event", "recipient__username")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient", "organization")
