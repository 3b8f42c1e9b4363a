from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "sameboat.demo"
    label = "demo"
    verbose_name = _("Demo")

    def ready(self) -> None:
        # The audit action codes this app records, with their labels (core.audit).
        from sameboat.core.audit import register_audit_actions
        from sameboat.demo.audit_actions import AUDIT_ACTIONS

        register_audit_actions(AUDIT_ACTIONS)

        # The demo app's own steps of the world (the domains register theirs).
        from sameboat.core.demo import demo_steps
        from sameboat.demo.steps import STEPS

        for step in STEPS:
            demo_steps.register(step)
