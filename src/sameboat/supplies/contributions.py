"""What supplies adds to the shared screens and hooks: its menu entry, a dashboard tile and
the scope-matrix lines of its pages and API routes. ``SuppliesConfig.ready()`` calls
``register()``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from sameboat.accounts.roles import Role
from sameboat.accounts.scoping import has_role
from sameboat.core.contributions import (
    DashboardTile,
    Landing,
    NavEntry,
    dashboard_tiles,
    landings,
    navigation,
    scope_entries,
)
from sameboat.supplies.access import STOCK_READ_ROLES, SUPPLY_CHAIN_ROLES

# URL names of the supplies pages and API, by who may open them.
PAGES_READ = ["supplies:stock_overview", "supplies:location", "supplies:stock_card"]
PAGES_CATALOGUE = ["supplies:items", "supplies:item"]
# Stock-moving forms: the location's page decides which the person may use (403 otherwise).
PAGES_MOVE = ["supplies:move_new"]
API_READ = [
    "supplies-location-list",
    "supplies-location-detail",
    "supplies-balance-list",
    "supplies-balance-detail",
    "supplies-move-list",
    "supplies-move-detail",
    "supplies-stock-card",
]
API_CATALOGUE = ["supplies-item-list", "supplies-item-detail"]


def expiring_lots(user: Any) -> int:
    """Lots with stock in the user's scope that expire within the warning window."""
    from sameboat.supplies.selectors import EXPIRY_WARNING_DAYS, balance_list

    return balance_list(user=user, expiring_within=EXPIRY_WARNING_DAYS).count()


def register() -> None:
    """Register supplies' contributions (called once, from ``SuppliesConfig.ready()``)."""
    navigation.register(
        NavEntry(
            "supplies",
            gettext_lazy("Supplies"),
            "supplies:stock_overview",
            45,
            lambda u: has_role(u, *STOCK_READ_ROLES),
        )
    )
    # A supplies officer's work starts at the stock (logistics waits for shipments, issue 13).
    landings.register(
        Landing("supplies", frozenset({Role.SUPPLIES_OFFICER}), url_name="supplies:stock_overview", order=50)
    )
    dashboard_tiles.register(
        DashboardTile(
            "supplies.expiring",
            gettext_lazy("Lots expiring soon"),
            expiring_lots,
            "supplies:stock_overview",
            order=60,
            visible=lambda u: has_role(u, *SUPPLY_CHAIN_ROLES),
            alert_when_positive=True,
            query="?expiring=1",
        )
    )
    scope_entries(app="supplies", roles=STOCK_READ_ROLES)(PAGES_READ + PAGES_MOVE + API_READ)
    # The catalogue is the group's reference data: anyone signed in reads it.
    scope_entries(app="supplies", roles=None, scoped=False)(PAGES_CATALOGUE + API_CATALOGUE)
