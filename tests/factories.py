"""Factories shared by the whole suite (per-app factories live beside their tests)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from sameboat.accounts.models import Membership, User
from sameboat.orgs.models import Employee, Organization, OrgKind, Region, RegionRule


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "pw-for-tests-1")
        if create:
            obj.save(update_fields=["password"])


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n:03d}")
    name_zh = factory.Sequence(lambda n: f"地区{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class RegionRuleFactory(DjangoModelFactory):
    class Meta:
        model = RegionRule

    region = factory.SubFactory(RegionFactory)
    effective_from = factory.Faker("date_this_year")
    risk_level = "low"
    max_onsite_ratio = "0.8"
    quarantine_days = 14


def make_org(
    parent: Organization | None = None, *, code: str | None = None, kind: str = OrgKind.UNIT, **fields
) -> Organization:
    """An organisation under ``parent`` (treebeard needs add_root/add_child, not create)."""
    make_org.counter += 1  # type: ignore[attr-defined]
    n = make_org.counter  # type: ignore[attr-defined]
    values = {
        "code": code or f"ORG{n:04d}",
        "name_zh": fields.pop("name_zh", f"单位{n}"),
        "name_en": fields.pop("name_en", f"Unit {n}"),
        "kind": kind,
        **fields,
    }
    if parent is None:
        return Organization.objects.add_root(create_kwargs=values)
    parent.refresh_from_db()
    return Organization.objects.add_child(parent, create_kwargs=values)


make_org.counter = 0  # type: ignore[attr-defined]


def make_employee(org: Organization, *, employee_no: str | None = None, **fields) -> Employee:
    """A roster entry in ``org`` (its group is the tree root)."""
    make_employee.counter += 1  # type: ignore[attr-defined]
    n = make_employee.counter  # type: ignore[attr-defined]
    return Employee.objects.create(
        organization=org,
        group=Organization.objects.get_root(org),
        employee_no=employee_no or f"E{n:06d}",
        name=fields.pop("name", f"员工{n}"),
        **fields,
    )


make_employee.counter = 0  # type: ignore[attr-defined]


def grant(user: User, org: Organization, role: str) -> Membership:
    """Give a role directly (tests only; the product goes through membership_grant)."""
    from sameboat.accounts.scoping import forget_memberships

    membership, _ = Membership.objects.get_or_create(user=user, organization=org, role=role)
    forget_memberships(user)
    return membership
