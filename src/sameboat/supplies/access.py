"""Who may do what with supplies. A role reaches its organisation's subtree (accounts.scoping)."""

from __future__ import annotations

from sameboat.accounts.roles import READ_ROLES, Role

# Stock of a location is read by every role that reads its organisation's subtree: a unit's
# officers and viewers see their unit's stores, HQ sees every warehouse.
STOCK_READ_ROLES: frozenset[str] = READ_ROLES
# Who runs the supply chain of a subtree: receipts, transfers, adjustments, write-offs and
# its warehouses.
SUPPLY_CHAIN_ROLES: frozenset[str] = frozenset({Role.HQ_COMMANDER, Role.SUPPLIES_OFFICER, Role.LOGISTICS_OFFICER})
# Who hands supplies out to people from a store they reach (and takes back what is
# returned): the supply chain, and a unit's own officers and managers at its store.
ISSUE_ROLES: frozenset[str] = SUPPLY_CHAIN_ROLES | {Role.UNIT_OFFICER, Role.UNIT_MANAGER}
# Who keeps the catalogue (shared by the whole group, like reference data).
CATALOGUE_ROLES: frozenset[str] = frozenset({Role.HQ_COMMANDER, Role.SUPPLIES_OFFICER})
