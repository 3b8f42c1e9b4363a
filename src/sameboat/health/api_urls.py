"""Health routes under /api/v1/ (included by sameboat.api.urls)."""

from django.urls import include, path

from sameboat.api.routers import Router
from sameboat.health import api

router = Router()
router.register("checkins", api.CheckInViewSet, basename="checkin")
router.register("cases", api.CaseViewSet, basename="case")
router.register("quarantines", api.QuarantineViewSet, basename="quarantine")

urlpatterns = [
    path("health/returns/", api.ReturnsView.as_view(), name="health-returns"),
    path("", include(router.urls)),
]
