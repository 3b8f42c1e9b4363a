"""The health domain's routes under /api/v1/. Their names ("checkin-list", "health-returns")
predate the shared API's namespace and stay as they are (the check-in page reverses one)."""

from django.urls import include, path

from sameboat.api.routers import Router
from sameboat.health.api import views

router = Router()
router.register("checkins", views.CheckInViewSet, basename="checkin")
router.register("cases", views.CaseViewSet, basename="case")
router.register("quarantines", views.QuarantineViewSet, basename="quarantine")

urlpatterns = [
    path("health/returns/", views.ReturnsViewSet.as_view({"get": "list"}), name="health-returns"),
    path("", include(router.urls)),
]
