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

        # Health's notification codes.
        from sameboat.health.notifications import register_notifications

        register_notifications()
