"""Emergency leadership groups (seeds 001 and 002): a leader, deputies and members with duties."""

from __future__ import annotations

from sameboat.demo.builder import DemoContext
from sameboat.demo.data import seats_of
from sameboat.demo.world import ROOTS
from sameboat.orgs.services import leadership_group_set, leadership_member_add

GROUP_NAME = "疫情防控应急领导小组 · Emergency leadership group for epidemic prevention and control"
COUNCIL_NAME = "新冠肺炎疫情防控工作领导小组 · Leading group for COVID-19 prevention and control"


def run(ctx: DemoContext) -> None:
    """Set up the leadership group of every organisation that has seats, seat by seat."""
    for root in ROOTS:
        for spec in root.walk():
            seats = seats_of(spec)
            if not seats:
                continue
            group = leadership_group_set(
                actor=None,
                organization=ctx.org(spec.code),
                name=COUNCIL_NAME if spec.kind == "government" else GROUP_NAME,
                # Set up in the first days of the outbreak, about three months ago.
                established_on=ctx.days_ago(ctx.rng.randint(84, 92)),
            )
            ctx.counts["leadership_groups"] += 1
            for index, seat in enumerate(seats):
                holder = ctx.seat_holders[(spec.code, index)]
                leadership_member_add(
                    actor=None,
                    group=group,
                    position=seat.position,
                    person_name=holder.name,
                    title=seat.title,
                    duty=seat.duty,
                    employee=holder,
                    order=index,
                )
                ctx.counts["leadership_members"] += 1
