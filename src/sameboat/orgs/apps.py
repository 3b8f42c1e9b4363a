from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "sameboat.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        # Importing the importers registers their background jobs (core.jobs.register_job);
        # contributions registers the menu entries, tiles, import kinds and scope-matrix lines.
        # A region saved or deleted is forgotten by the check-in API's region look-up.
        from django.db.models.signals import post_delete, post_save

        from sameboat.orgs import contributions
        from sameboat.orgs import importers as _orgs_importers  # noqa: F401
        from sameboat.orgs.models import Region
        from sameboat.orgs.selectors import region_cache_clear

        contributions.register()
        post_save.connect(region_cache_clear, sender=Region, dispatch_uid="region_cache_clear_save")
        post_delete.connect(region_cache_clear, sender=Region, dispatch_uid="region_cache_clear_delete")

        # The records notifications may name (units, people, regions), looked up when read.
        from sameboat.orgs.notifications import register_notifications

        register_notifications()

        # The audit action codes this app records, with their labels (core.audit).
        from sameboat.core.audit import register_audit_actions
        from sameboat.orgs.audit_actions import AUDIT_ACTIONS

        register_audit_actions(AUDIT_ACTIONS)
        from sameboat.core.audit_display import register_audit_fields
        from sameboat.orgs.audit_actions import audit_fields

        register_audit_fields(audit_fields())

        # This app's API routes, mounted under /api/v1/ by sameboat.api.urls.
        from sameboat.api.routers import ApiRoutes, api_routes

        api_routes.register(ApiRoutes(key=self.label, urls="sameboat.orgs.api.urls"))
