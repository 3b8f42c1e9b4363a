"""The rosters: a few thousand invented people, written with bulk inserts.

Rosters are the one place where the demo bypasses the per-record services: thousands of
audit events for invented people would bury the trail and slow the build down tenfold, so
the world records one "demo.world.built" event with the counts instead.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable

from sameboat.demo.builder import SMALL_SCALE, DemoContext
from sameboat.demo.data import EMPLOYEE_NO_PREFIX, HOME_REGIONS, STAFF_TITLES, seats_of
from sameboat.demo.names import mobile_number, person_name
from sameboat.demo.specs import OrgSpec
from sameboat.demo.world import ROOTS
from sameboat.orgs.models import Employee

BATCH_SIZE = 1000
EMAIL_DOMAIN = {"TZET": "tongzhou-group.example", "CDTC": "chengdu-council.example"}


def headcount(ctx: DemoContext, spec: OrgSpec, seats: int) -> int:
    """How many people the organisation's own roster has in this size of world."""
    if ctx.full:
        return max(spec.staff, seats)
    if not spec.staff and not seats:
        return 0
    # Leadership groups need their seats filled and two more people for the demo logins.
    spare = 2 if seats else 0
    return max(math.ceil(spec.staff * SMALL_SCALE), seats + spare, 1)


def _reserved_seats() -> dict[str, list[tuple[str, int, str]]]:
    """For each roster: the (organisation, seat index, title) of the seats it fills."""
    reserved: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for root in ROOTS:
        for spec in root.walk():
            for index, seat in enumerate(seats_of(spec)):
                reserved[seat.source or spec.code].append((spec.code, index, seat.title))
    return reserved


def _title_picker(profile: str, rng: random.Random) -> Callable[[], str]:
    titles = [title for title, _ in STAFF_TITLES[profile]]
    weights = [weight for _, weight in STAFF_TITLES[profile]]
    return lambda: rng.choices(titles, weights=weights)[0]


def _email(name_en: str, number: int, domain: str) -> str:
    local = name_en.lower().replace(" ", ".").replace("'", "")
    return f"{local}.{number}@{domain}"


def run(ctx: DemoContext) -> None:
    """Put people on every staffed roster; seat holders first, with their seat's title."""
    rng = ctx.rng
    reserved = _reserved_seats()
    pending: list[Employee] = []
    for root in ROOTS:
        prefix = EMPLOYEE_NO_PREFIX.get(root.code)
        if prefix is None:
            continue  # outside organisations keep no roster here
        group = ctx.org(root.code)
        number = 0
        for spec in root.walk():
            seats = reserved.get(spec.code, [])
            count = headcount(ctx, spec, len(seats))
            if not count:
                continue
            org = ctx.org(spec.code)
            fixed_titles = [title for _, _, title in seats] or ([spec.head] if spec.head else [])
            pick_title = _title_picker(spec.profile, rng)
            roster = ctx.employees.setdefault(spec.code, [])
            for position in range(count):
                number += 1
                name, name_en = person_name(rng)
                employee_no = f"{prefix}{number:06d}"
                if spec.country == "CN" and spec.region and rng.random() < 0.75:
                    home = spec.region
                else:
                    home = rng.choice(HOME_REGIONS)
                employee = Employee(
                    organization=org,
                    group=group,
                    employee_no=employee_no,
                    name=name,
                    name_en=name_en,
                    title=fixed_titles[position] if position < len(fixed_titles) else pick_title(),
                    phone=mobile_number(rng),
                    email=_email(name_en, number, EMAIL_DOMAIN[root.code]),
                    home_region=ctx.regions[home],
                )
                roster.append(employee)
                pending.append(employee)
                if position < len(seats):
                    seat_org, seat_index, _ = seats[position]
                    ctx.seat_holders[(seat_org, seat_index)] = employee
    # One INSERT per batch; the objects get their primary keys back for the later steps.
    Employee.objects.bulk_create(pending, batch_size=BATCH_SIZE)
    ctx.counts["employees"] += len(pending)
