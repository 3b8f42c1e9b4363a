"""Fixtures of the supplies tests: a catalogue, a group warehouse and one store per unit,
on the suite's world (tests/conftest.py), and a supplies officer on the group."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from sameboat.accounts.roles import Role
from sameboat.supplies.models import Category, Item, Location, LocationKind, Standard, StockUnit
from tests.factories import UserFactory, grant


@dataclass
class SupplyWorld:
    world: object
    officer: object  # supplies officer on the group
    mask: Item  # needs an expiry
    gloves: Item  # no lots
    ct: Item  # serial-tracked
    warehouse: Location  # the group's
    store_a: Location  # unit A1's
    store_b: Location  # unit B1's


def make_item(code: str, **fields) -> Item:
    values = {
        "name_zh": code,
        "name_en": code,
        "category": Category.PROTECTIVE,
        "unit": StockUnit.PIECE,
    }
    values.update(fields)
    return Item.objects.create(code=code, **values)


def make_location(org, code: str, kind=LocationKind.WAREHOUSE) -> Location:
    return Location.objects.create(organization=org, code=code, name_zh=code, name_en=code, kind=kind)


@pytest.fixture
def sworld(world) -> SupplyWorld:
    officer = UserFactory(username="supplies")
    grant(officer, world.group, Role.SUPPLIES_OFFICER)
    return SupplyWorld(
        world=world,
        officer=officer,
        mask=make_item("KN95", standard=Standard.GB2626_KN95, needs_expiry=True, shelf_life_days=1095),
        gloves=make_item("GLOVE-M", unit=StockUnit.PAIR),
        ct=make_item("CT-64", category=Category.EQUIPMENT, unit=StockUnit.SET, serial_tracked=True),
        warehouse=make_location(world.group, "WH-1"),
        store_a=make_location(world.unit_a1, "ST-A1", LocationKind.STORE),
        store_b=make_location(world.unit_b1, "ST-B1", LocationKind.STORE),
    )


EXPIRY = datetime.date(2027, 6, 30)
