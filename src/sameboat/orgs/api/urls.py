"""The organisation domain's routes under /api/v1/ (names: "api:<basename>-list", ...)."""

from sameboat.api.routers import Router
from sameboat.orgs.api import views

router = Router()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("regions", views.RegionViewSet, basename="region")
router.register("employees", views.EmployeeViewSet, basename="employee")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("leadership-groups", views.LeadershipGroupViewSet, basename="leadership-group")

urlpatterns = router.urls
