from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliesConfig(AppConfig):
    name = "sameboat.supplies"
    label = "supplies"
    verbose_name = _("Supplies")

    def ready(self) -> None:
        # Menu entries, tiles and the scope-matrix lines of every page and API route.
        from sameboat.supplies import contributions

        contributions.register()

        # The audit action codes this app records, with their labels (core.audit).
        from sameboat.core.audit import register_audit_actions
        from sameboat.supplies.audit_actions import AUDIT_ACTIONS

        register_audit_actions(AUDIT_ACTIONS)

        # Supplies' step of the demo world: the catalogue, warehouses and the donation.
        from sameboat.core.demo import DemoStep, demo_steps

        demo_steps.register(DemoStep("supplies", "sameboat.supplies.demo.run", order=200))

        # This app's API routes under /api/v1/ (names "api:supplies-…").
        from sameboat.api.routers import ApiRoutes, api_routes

        api_routes.register(ApiRoutes(key=self.label, urls="sameboat.supplies.api.urls"))
