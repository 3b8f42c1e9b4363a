"""The API: /api/v1/ resources of every app that registered its routes (api/routers.py),
the token endpoints, the OpenAPI schema and its docs.

Every route here is a DRF view, and the last one catches any other /api/ path, so every
answer under /api/ — including "no such path" — comes in the one JSON error shape.
"""

from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sameboat.api import auth
from sameboat.api.errors import NotFoundView
from sameboat.api.routers import api_routes


def _v1(*, namespaced: bool) -> list[URLResolver]:
    return [path("v1/", include(routes.urls)) for routes in api_routes if routes.namespaced is namespaced]


shared: list[URLPattern | URLResolver] = [
    path("v1/auth/token/", auth.TokenView.as_view(), name="token"),
    *_v1(namespaced=True),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from its own URL (?script), so the page
    # has no inline script and runs under our Content-Security-Policy (script-src 'self').
    # ReDoc is left out: it injects <style> elements, which the same policy forbids.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^", NotFoundView.as_view(), name="not-found"),
]

urlpatterns = [
    *_v1(namespaced=False),
    path("", include((shared, "api"))),
]
