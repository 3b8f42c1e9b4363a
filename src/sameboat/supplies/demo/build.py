"""Supplies in the demo world: the catalogue, warehouses and stores, the Turkish group's
10,000 masks received at 4 a.m. (seed 000), the import company's purchases, transfers to
the companies' stores and a few days of issues there. Everything goes through the services
(audited, the ledger guard open only inside them), as HQ's demo login."""

from __future__ import annotations

import datetime
from typing import Any

from sameboat.core.audit import Changes, audit
from sameboat.core.demo import DemoContext
from sameboat.supplies.models import Category, LocationKind, Standard, StockUnit
from sameboat.supplies.services import catalogue, ledger, locations

# code, Chinese name, English name, category, unit, pack size, standard, shelf life (days), serial, expiry
ITEMS = [
    (
        "MASK-KN95",
        "KN95 口罩",
        "KN95 respirator",
        Category.PROTECTIVE,
        StockUnit.PIECE,
        20,
        Standard.GB2626_KN95,
        1095,
        False,
        True,
    ),
    (
        "MASK-MED-N95",
        "医用防护口罩",
        "Medical protective mask",
        Category.PROTECTIVE,
        StockUnit.PIECE,
        10,
        Standard.GB19083,
        1095,
        False,
        True,
    ),
    (
        "MASK-SURG",
        "医用外科口罩",
        "Surgical mask",
        Category.PROTECTIVE,
        StockUnit.PIECE,
        50,
        Standard.YY0469,
        730,
        False,
        True,
    ),
    (
        "MASK-FFP2",
        "FFP2 口罩",
        "FFP2 respirator",
        Category.PROTECTIVE,
        StockUnit.PIECE,
        20,
        Standard.EN149_FFP2,
        1095,
        False,
        True,
    ),
    (
        "MASK-N95",
        "N95 口罩（NIOSH）",
        "N95 respirator (NIOSH)",
        Category.PROTECTIVE,
        StockUnit.PIECE,
        20,
        Standard.NIOSH_N95,
        1825,
        False,
        True,
    ),
    (
        "GOWN-PROT",
        "医用防护服",
        "Protective coverall",
        Category.PROTECTIVE,
        StockUnit.PIECE,
        1,
        Standard.CE,
        1095,
        False,
        True,
    ),
    (
        "GLOVE-NIT-M",
        "丁腈手套（中号）",
        "Nitrile gloves (M)",
        Category.PROTECTIVE,
        StockUnit.PAIR,
        50,
        Standard.NONE,
        None,
        False,
        False,
    ),
    ("GOGGLES", "护目镜", "Safety goggles", Category.PROTECTIVE, StockUnit.PIECE, 10, Standard.CE, None, False, False),
    (
        "DISINF-84",
        "84 消毒液",
        "Chlorine disinfectant",
        Category.DISINFECTION,
        StockUnit.BOTTLE,
        12,
        Standard.NONE,
        365,
        False,
        True,
    ),
    (
        "SANITISER",
        "免洗手消毒凝胶",
        "Hand sanitiser gel",
        Category.DISINFECTION,
        StockUnit.BOTTLE,
        24,
        Standard.NONE,
        730,
        False,
        True,
    ),
    (
        "THERMO-IR",
        "红外额温枪",
        "Infrared thermometer",
        Category.TESTING,
        StockUnit.PIECE,
        1,
        Standard.CE,
        None,
        False,
        False,
    ),
    (
        "TEST-AG",
        "新冠抗原检测试剂盒",
        "COVID-19 antigen test kit",
        Category.TESTING,
        StockUnit.KIT,
        25,
        Standard.FDA_EUA,
        540,
        False,
        True,
    ),
    (
        "XRAY-MOBILE",
        "移动式 X 光机",
        "Mobile X-ray unit",
        Category.EQUIPMENT,
        StockUnit.SET,
        1,
        Standard.CE,
        None,
        True,
        False,
    ),
    (
        "MONITOR-PT",
        "病人监护仪",
        "Patient monitor",
        Category.EQUIPMENT,
        StockUnit.SET,
        1,
        Standard.CE,
        None,
        True,
        False,
    ),
]
# item, substitute, note
EQUIVALENCES = [
    ("MASK-KN95", "MASK-FFP2", "EN 149 FFP2 ≈ GB 2626 KN95"),
    ("MASK-KN95", "MASK-N95", "NIOSH N95 ≈ GB 2626 KN95"),
    ("MASK-KN95", "MASK-MED-N95", "GB 19083 meets GB 2626 KN95"),
    ("MASK-FFP2", "MASK-KN95", "GB 2626 KN95 ≈ EN 149 FFP2"),
]
# code, organisation, Chinese name, English name, kind
LOCATIONS = [
    (
        "WH-TZET-BJ",
        "TZET",
        "集团应急物资中心库（北京）",
        "Group emergency supplies warehouse (Beijing)",
        LocationKind.WAREHOUSE,
    ),
    ("WH-TZHOPE", "TZHOPE", "进出口公司保税库", "Import company bonded warehouse", LocationKind.WAREHOUSE),
    ("WH-TZ02-WH", "TZ02", "通信公司武汉库", "Communication company warehouse (Wuhan)", LocationKind.WAREHOUSE),
    (
        "ST-TZ02-U1",
        "TZ02-U1",
        "武汉光通信研究所防疫物资库",
        "Wuhan Optical Communication Institute store",
        LocationKind.STORE,
    ),
    (
        "ST-TZ02-U2",
        "TZ02-U2",
        "武汉通信设备厂防疫物资库",
        "Wuhan Communication Equipment Plant store",
        LocationKind.STORE,
    ),
    (
        "ST-TZ03-U1",
        "TZ03-U1",
        "成都信息安全研究所防疫物资库",
        "Chengdu Information Security Institute store",
        LocationKind.STORE,
    ),
    (
        "ST-TZ01-U1",
        "TZ01-U1",
        "北京电子装备研究所防疫物资库",
        "Beijing Electronic Equipment Institute store",
        LocationKind.STORE,
    ),
]
DONATION_NOTE = (
    "土耳其某集团捐赠，2 月 12 日凌晨 4 时到达；包装上印有“Stay Strong China”“Stay Strong Wuhan!”“We are Family!”"
    " · Donated by a Turkish group, arrived 04:00 on 12 February; every package printed"
    " 'Stay Strong China', 'Stay Strong Wuhan!', 'We are Family!'"
)


def build(ctx: DemoContext) -> None:
    """The supplies part of the demo world."""
    hq = ctx.users["hq"]
    items = {}
    for code, zh, en, category, unit, pack, standard, shelf, serial, expiry in ITEMS:
        items[code] = catalogue.item_create(
            actor=hq,
            code=code,
            name_zh=zh,
            name_en=en,
            category=category,
            unit=unit,
            pack_size=pack,
            standard=standard,
            shelf_life_days=shelf,
            serial_tracked=serial,
            needs_expiry=expiry,
        )
    for item, substitute, note in EQUIVALENCES:
        catalogue.equivalence_add(actor=hq, item=items[item], substitute=items[substitute], note=note)
    places = {
        code: locations.location_create(
            actor=hq, organization=ctx.org(org), code=code, name_zh=zh, name_en=en, kind=kind
        )
        for code, org, zh, en, kind in LOCATIONS
    }
    places["transit"] = locations.location_transit(organization=ctx.org("TZET"))
    moves = _stock(ctx, hq, items, places)
    ctx.counts["supplies.items"] = len(items)
    ctx.counts["supplies.locations"] = len(places)
    ctx.counts["supplies.moves"] = moves
    audit(
        "demo.supplies.built",
        ctx.org("TZET"),
        Changes(after={"items": len(items), "locations": len(places), "moves": moves}),
        actor=None,
        object_repr="demo supplies",
    )


def _stock(ctx: DemoContext, hq: Any, items: dict[str, Any], places: dict[str, Any]) -> int:
    """The moves of the story, oldest first; returns how many were made."""
    today = ctx.today
    made = 0

    def count(moves: list[Any]) -> None:
        nonlocal made
        made += len(moves)

    def years(n: float) -> datetime.date:
        return today + datetime.timedelta(days=int(365 * n))

    central, bonded, wuhan = places["WH-TZET-BJ"], places["WH-TZHOPE"], places["WH-TZ02-WH"]
    # The donation: 10,000 KN95 masks into the group's warehouse.
    count(
        ledger.stock_receive(
            actor=hq,
            item=items["MASK-KN95"],
            location=central,
            quantity=10_000,
            lot="TR-0212",
            expiry=years(2.5),
            reference="DON-TR-0212",
            reason=DONATION_NOTE,
        )
    )
    # The import company's purchases abroad land in its bonded warehouse.
    for item, qty, lot, life in (
        ("MASK-FFP2", 200_000, "PL-2031", 2.8),
        ("MASK-N95", 120_000, "US-7719", 4.5),
        ("MASK-KN95", 80_000, "CN-0301", 2.9),
        ("GOWN-PROT", 6_000, "FR-118", 2.5),
        ("TEST-AG", 20_000, "US-AG-55", 1.2),
        ("SANITISER", 4_800, "TH-992", 1.8),
    ):
        count(
            ledger.stock_receive(
                actor=hq,
                item=items[item],
                location=bonded,
                quantity=qty,
                lot=lot,
                expiry=years(life),
                reference=f"PO-{lot}",
            )
        )
    count(
        ledger.stock_receive(
            actor=hq, item=items["GLOVE-NIT-M"], location=central, quantity=30_000, reference="PO-GLOVE-01"
        )
    )
    count(
        ledger.stock_receive(
            actor=hq, item=items["THERMO-IR"], location=central, quantity=600, reference="PO-THERMO-01"
        )
    )
    # Disinfectant bought early: one lot runs out of date soon, and shows up flagged.
    count(
        ledger.stock_receive(
            actor=hq,
            item=items["DISINF-84"],
            location=central,
            quantity=1_200,
            lot="D-0110",
            expiry=today + datetime.timedelta(days=25),
            reference="PO-DISINF-01",
        )
    )
    count(
        ledger.stock_receive(
            actor=hq,
            item=items["DISINF-84"],
            location=central,
            quantity=2_400,
            lot="D-0305",
            expiry=years(0.9),
            reference="PO-DISINF-02",
        )
    )
    for serial in ("XR-2020-0001", "XR-2020-0002"):
        count(
            ledger.stock_receive(
                actor=hq, item=items["XRAY-MOBILE"], location=bonded, quantity=1, lot=serial, reference="PO-XRAY-01"
            )
        )
    # Out to Wuhan first, through the transit place, then to the institutes' stores.
    count(
        ledger.stock_transfer(
            actor=hq,
            item=items["MASK-FFP2"],
            source=bonded,
            destination=places["transit"],
            quantity=60_000,
            reference="SHIP-WH-01",
        )
    )
    count(
        ledger.stock_transfer(
            actor=hq,
            item=items["MASK-FFP2"],
            source=places["transit"],
            destination=wuhan,
            quantity=60_000,
            reference="SHIP-WH-01",
        )
    )
    count(
        ledger.stock_transfer(
            actor=hq, item=items["MASK-KN95"], source=central, destination=wuhan, quantity=6_000, reference="ALLOC-0213"
        )
    )
    for store, masks in (("ST-TZ02-U1", 3_000), ("ST-TZ02-U2", 2_000)):
        count(
            ledger.stock_transfer(
                actor=hq,
                item=items["MASK-KN95"],
                source=wuhan,
                destination=places[store],
                quantity=masks,
                reference="ALLOC-0214",
            )
        )
        count(
            ledger.stock_transfer(
                actor=hq,
                item=items["DISINF-84"],
                source=central,
                destination=places[store],
                quantity=120,
                reference="ALLOC-0214",
            )
        )
    for store in ("ST-TZ03-U1", "ST-TZ01-U1"):
        count(
            ledger.stock_transfer(
                actor=hq,
                item=items["MASK-FFP2"],
                source=bonded,
                destination=places[store],
                quantity=1_500,
                reference="ALLOC-0215",
            )
        )
    # A week of issues at the Wuhan institute's store: two masks a person a day.
    for _day in range(7):
        count(
            ledger.stock_issue(
                actor=hq,
                item=items["MASK-KN95"],
                location=places["ST-TZ02-U1"],
                quantity=ctx.rng.randint(180, 260),
                reference="DAILY",
            )
        )
    count(
        ledger.stock_write_off(
            actor=hq,
            item=items["DISINF-84"],
            location=places["ST-TZ02-U2"],
            quantity=6,
            reason="运输破损 · Broken in transport",
        )
    )
    return made
