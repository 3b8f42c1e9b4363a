"""The API: /api/v1/ resources, the OpenAPI schema and its docs (each capability's routes are
mounted beside these under /api/v1/ in sameboat/urls.py).

Every route here is a DRF view, and the last one catches any other /api/ path, so every
answer under /api/ — including "no such path" — comes in the one JSON error shape.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sameboat.api import auth, views
from sameboat.api.routers import Router

router = Router()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("regions", views.RegionViewSet, basename="region")
router.register("employees", views.EmployeeViewSet, basename="employee")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("leadership-groups", views.LeadershipGroupViewSet, basename="leadership-group")

app_name = "api"
urlpatterns = [
    path("v1/auth/token/", auth.TokenView.as_view(), name="token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from its own URL (?script), so the page
    # has no inline script and runs under our Content-Security-Policy (script-src 'self').
    # ReDoc is left out: it injects <style> elements, which the same policy forbids.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^", views.NotFoundView.as_view(), name="not-found"),
]
