from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "sameboat.health"
    label = "health"
    verbose_name = _("Health reporting")

    def ready(self) -> None:
        # Importing the importers registers the check-in upload job (core.jobs.register_job);
        # contributions registers the menu entries, the import kind, the readiness check, the
        # situation report's section and the scope-matrix lines.
        from sameboat.health import contributions
        from sameboat.health import importers as _importers  # noqa: F401
        from sameboat.health.receivers import on_roster_changed
        from sameboat.orgs.signals import roster_changed

        contributions.register()
        roster_changed.connect(on_roster_changed, dispatch_uid="sameboat.health.on_roster_changed")

        # Health's notification codes.
        from sameboat.health.notifications import register_notifications

        register_notifications()

        # The audit action codes this app records, with their labels (core.audit).
        from sameboat.core.audit import register_audit_actions
        from sameboat.health.audit_actions import AUDIT_ACTIONS

        register_audit_actions(AUDIT_ACTIONS)
        from sameboat.core.audit_display import register_audit_fields
        from sameboat.health.audit_actions import audit_fields

        register_audit_fields(audit_fields())

        # Health's step of the demo world: 90 days of reporting, after the rosters and logins.
        from sameboat.core.demo import DemoStep, demo_steps

        demo_steps.register(DemoStep("health", "sameboat.health.demo.run", order=100))

        # This app's API routes, mounted under /api/v1/ by sameboat.api.urls (their names
        # are not in the "api" namespace: see ApiRoutes).
        from sameboat.api.routers import ApiRoutes, api_routes

        api_routes.register(ApiRoutes(key=self.label, urls="sameboat.health.api.urls", namespaced=False))
