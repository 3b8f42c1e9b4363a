from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "sameboat.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        # Importing the importers registers their background jobs (core.jobs.register_job).
        from sameboat.health import importers as _health_importers  # noqa: F401
        from sameboat.orgs import importers as _orgs_importers  # noqa: F401
