"""What the scoping helper costs: a company officer's roster page count and first page.

ratio = (plain query with a precomputed list of unit ids) / (scope() by materialised path).
Near 1 means scoping by path prefix costs no more than hand-written id filtering.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction

from bench.timing import alternate, judged, median_seconds

COMPANIES = 50
UNITS_PER_COMPANY = 10
EMPLOYEES_PER_UNIT = 100


def _build() -> tuple[Any, list[int]]:
    from sameboat.accounts.models import Membership, User
    from sameboat.accounts.roles import Role
    from sameboat.orgs.models import Employee, Organization

    add_root, add_child = Organization.objects.add_root, Organization.objects.add_child
    group = add_root(create_kwargs={"code": "BG", "name_zh": "集团", "name_en": "Group", "kind": "group"})
    officer_company = None
    company_unit_ids: list[int] = []
    rows = []
    n = 0
    for c in range(COMPANIES):
        group.refresh_from_db()
        company = add_child(
            group,
            create_kwargs={"code": f"BC{c:03d}", "name_zh": f"公司{c}", "name_en": f"Company {c}", "kind": "company"},
        )
        for u in range(UNITS_PER_COMPANY):
            company.refresh_from_db()
            unit = add_child(
                company,
                create_kwargs={
                    "code": f"BC{c:03d}U{u:02d}",
                    "name_zh": f"单位{c}-{u}",
                    "name_en": f"Unit {c}-{u}",
                    "kind": "unit",
                },
            )
            if c == 7:
                company_unit_ids.append(unit.pk)
            for _ in range(EMPLOYEES_PER_UNIT):
                n += 1
                rows.append(Employee(organization=unit, group=group, employee_no=f"N{n:07d}", name=f"员工{n}"))
        if c == 7:
            officer_company = company
    Employee.objects.bulk_create(rows, batch_size=5000)
    company_unit_ids.append(officer_company.pk)
    officer = User.objects.create(username="bench-officer")
    Membership.objects.create(user=officer, organization=officer_company, role=Role.UNIT_OFFICER)
    return officer, company_unit_ids


def run() -> Iterator[dict[str, Any]]:
    """Build a 50-company, 50,000-person group and time both ways of listing one company."""
    from sameboat.accounts.scoping import forget_memberships
    from sameboat.orgs.models import Employee
    from sameboat.orgs.selectors import employee_list

    with transaction.atomic():
        officer, unit_ids = _build()

        def scoped() -> None:
            forget_memberships(officer)  # count the membership lookup too, as a request would
            qs = employee_list(user=officer)
            qs.count()
            list(qs[:50])

        def plain() -> None:
            qs = (
                Employee.objects.filter(organization_id__in=unit_ids, is_active=True)
                .select_related("organization", "home_region")
                .order_by("organization__path", "employee_no")
            )
            qs.count()
            list(qs[:50])

        pairs = alternate(
            lambda: median_seconds(scoped, repeat=5, warmup=0), lambda: median_seconds(plain, repeat=5, warmup=0)
        )
        t_scoped = sorted(a for a, _b in pairs)[len(pairs) // 2]
        t_plain = sorted(b for _a, b in pairs)[len(pairs) // 2]
        transaction.set_rollback(True)
    yield {
        **judged([b / a for a, b in pairs], goal=None),
        "detail": {
            "employees": COMPANIES * UNITS_PER_COMPANY * EMPLOYEES_PER_UNIT,
            "scoped_ms": round(t_scoped * 1000, 2),
            "plain_ms": round(t_plain * 1000, 2),
            "goal": "near 1: scoping by path costs about as much as filtering by known ids",
        },
    }
