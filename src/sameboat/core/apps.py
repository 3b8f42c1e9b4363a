from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sameboat.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.urls import register_converter

        from sameboat.core.converters import IdConverter

        # Before any URLconf is loaded: the apps' urls.py use <id:pk>.
        register_converter(IdConverter, "id")

        # Notification codes: core's own (background jobs); other apps register theirs.
        from sameboat.core.jobs import register_notifications

        register_notifications()

        # The audit action codes this app records, with their labels (core.audit).
        from sameboat.core.audit import register_audit_actions
        from sameboat.core.audit_actions import AUDIT_ACTIONS

        register_audit_actions(AUDIT_ACTIONS)
        from sameboat.core.audit_actions import AUDIT_FIELDS
        from sameboat.core.audit_display import register_audit_fields

        register_audit_fields(AUDIT_FIELDS)
