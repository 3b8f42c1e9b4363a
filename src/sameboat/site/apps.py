from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "sameboat.site"
    label = "site"
    verbose_name = _("Site")

    def ready(self) -> None:
        from sameboat.site import contributions

        contributions.register()
