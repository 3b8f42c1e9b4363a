"""The supplies domain's routes under /api/v1/supplies/ (names: "api:supplies-<basename>-list", ...)."""

from django.urls import path

from sameboat.api.routers import Router
from sameboat.supplies.api import views

router = Router()
router.register("supplies/items", views.ItemViewSet, basename="supplies-item")
router.register("supplies/locations", views.LocationViewSet, basename="supplies-location")
router.register("supplies/balances", views.BalanceViewSet, basename="supplies-balance")
router.register("supplies/moves", views.MoveViewSet, basename="supplies-move")

urlpatterns = [
    path("supplies/stock-card/", views.StockCardViewSet.as_view({"get": "list"}), name="supplies-stock-card"),
    *router.urls,
]
