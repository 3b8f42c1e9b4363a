"""The demo logins: one per role, each with its membership (and roster entry where it has one)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from sameboat.accounts.models import User
from sameboat.accounts.services import membership_grant, user_create
from sameboat.core.audit import Changes, audit
from sameboat.demo.builder import DemoContext
from sameboat.demo.logins import DEMO_PASSWORD, LOGINS
from sameboat.orgs.services import employee_update

OFFICER_TITLE = "疫情防控专员"


def run(ctx: DemoContext) -> None:
    """Create the logins, grant their roles and link the roster ones to a person."""
    taken = {employee.pk for employee in ctx.seat_holders.values()}
    for spec in LOGINS:
        person = None
        if spec.on_roster:
            person = next(e for e in ctx.employees[spec.org_code] if e.pk not in taken)
            taken.add(person.pk)
        user = user_create(
            actor=None,
            username=spec.username,
            email=f"{spec.username}@sameboat.example",
            display_name=person.name if person else spec.display_name,
            language="",
        )
        ctx.users[spec.username] = user
        ctx.counts["logins"] += 1
        if spec.superuser:
            User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
            audit("demo.user.made_superuser", user, Changes(after={"is_superuser": True, "is_staff": True}), actor=None)
            continue
        membership_grant(actor=None, user=user, organization=ctx.org(spec.org_code), role=spec.role)
        ctx.counts["memberships"] += 1
        if person is not None:
            changes: dict[str, object] = {"user": user}
            if spec.role == "unit_officer":
                changes["title"] = OFFICER_TITLE
            employee_update(actor=None, employee=person, **changes)
    # One hash for all: the slow password hasher would otherwise cost seconds per login,
    # and every demo login shares the published password anyway.
    User.objects.filter(username__in=[s.username for s in LOGINS]).update(password=make_password(DEMO_PASSWORD))
