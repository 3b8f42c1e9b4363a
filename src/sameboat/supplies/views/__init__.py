"""The supplies pages: stock, locations, stock cards, moves and the catalogue."""

from sameboat.supplies.views.catalogue import item, items
from sameboat.supplies.views.moves import move_new
from sameboat.supplies.views.stock import location, stock_card, stock_overview

__all__ = ["item", "items", "location", "move_new", "stock_card", "stock_overview"]
