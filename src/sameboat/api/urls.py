"""The API: /api/v1/ resources, the OpenAPI schema and its docs (health routes are mounted
beside these in sameboat/urls.py)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from sameboat.api import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("regions", views.RegionViewSet, basename="region")
router.register("employees", views.EmployeeViewSet, basename="employee")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("leadership-groups", views.LeadershipGroupViewSet, basename="leadership-group")

app_name = "api"
urlpatterns = [
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", views.NotFoundView.as_view()),
]
