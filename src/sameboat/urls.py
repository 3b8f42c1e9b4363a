"""Top-level URLs: the web UI per app, the API under /api/v1/, and the health probe."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("sameboat.core.urls")),
    path("accounts/", include("sameboat.accounts.urls")),
    path("orgs/", include("sameboat.orgs.urls")),
    path("api/", include("sameboat.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
