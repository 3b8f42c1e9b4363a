"""Health routes under /api/v1/ (included by sameboat.api.urls)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from sameboat.health import api

router = SimpleRouter()
router.register("checkins", api.CheckInViewSet, basename="checkin")
router.register("cases", api.CaseViewSet, basename="case")
router.register("quarantines", api.QuarantineViewSet, basename="quarantine")

urlpatterns = [
    path("health/returns/", api.ReturnsView.as_view(), name="health-returns"),
    path("", include(router.urls)),
]
