from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "sameboat.health"
    label = "health"
    verbose_name = _("Health reporting")

    def ready(self) -> None:
        from sameboat.health.receivers import on_roster_changed
        from sameboat.orgs.signals import roster_changed

        roster_changed.connect(on_roster_changed, dispatch_uid="sameboat.health.on_roster_changed")

        # The audit action codes this app records, with their labels (core.audit).
        from sameboat.core.audit import register_audit_actions
        from sameboat.health.audit_actions import AUDIT_ACTIONS

        register_audit_actions(AUDIT_ACTIONS)

        # Health's step of the demo world: 90 days of reporting, after the rosters and logins.
        from sameboat.core.demo import DemoStep, demo_steps

        demo_steps.register(DemoStep("health", "sameboat.health.demo.run", order=100))
