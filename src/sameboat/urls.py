"""Top-level URLs: the web UI per app, the API under /api/ (each app's routes under /api/v1/), and the health probe."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("sameboat.site.urls")),
    path("accounts/", include("sameboat.accounts.urls")),
    path("orgs/", include("sameboat.orgs.urls")),
    path("health/", include("sameboat.health.urls")),
    path("supplies/", include("sameboat.supplies.urls")),
    # Every app's API routes (registered in its AppConfig.ready()) under /api/v1/.
    path("api/", include("sameboat.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# What fails outside any view (too much form data read by the CSRF check, a locked database
# when the session is saved) gets the same 413 and 503 as inside one (core.middleware).
handler400 = "sameboat.core.middleware.bad_request"
handler500 = "sameboat.core.middleware.server_error"

if settings.SAMEBOAT_BENCH_ENDPOINTS:
    from sameboat.health.bench_views import raw_checkin_insert

    urlpatterns.append(path("bench/raw-checkin", raw_checkin_insert))
