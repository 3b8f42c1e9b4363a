"""Reads of organisations, regions, rosters and leadership groups, always through scope."""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sameboat.accounts.models import User
from sameboat.accounts.roles import REGION_RULE_ROLES, Role
from sameboat.accounts.scoping import get_in_scope_or_404, scope, scope_paths
from sameboat.core.collation import collation_key
from sameboat.orgs.models import (
    HOME_COUNTRY,
    Employee,
    LeadershipGroup,
    LeadershipMember,
    Organization,
    OrgKind,
    Region,
    RegionRule,
)


def organization_list(*, user: Any, search: str = "", kind: str = "") -> QuerySet[Organization]:
    """Organisations the user may see, in tree order, optionally filtered."""
    qs = scope(Organization.objects.select_related("region"), user, via=None)
    if search:
        qs = qs.filter(Q(name_zh__icontains=search) | Q(name_en__icontains=search) | Q(code__icontains=search))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path")


def organization_roots(*, user: Any) -> QuerySet[Organization]:
    """The top of what the user sees: the organisations their memberships are held on
    (outermost first), or the tree roots for a superuser."""
    from sameboat.accounts.scoping import scope_paths

    paths = scope_paths(user)
    qs = Organization.objects.select_related("region")
    if paths is None:
        return qs.filter(depth=1).order_by("path")
    return qs.filter(path__in=paths, is_active=True).order_by("path")


def organization_top_of_scope(*, user: Any, roles: Iterable[str]) -> Organization | None:
    """The outermost organisation where the user holds one of ``roles`` (a job started there
    belongs to it, so the people above can follow it); ``None`` for a superuser or nobody."""
    paths = scope_paths(user, roles)
    return Organization.objects.filter(path=paths[0]).first() if paths else None


def organization_children(*, user: Any, organization: Organization) -> QuerySet[Organization]:
    """Direct children of an organisation that the user may see."""
    return organization_list(user=user).filter(path__startswith=organization.path, depth=organization.depth + 1)


def organization_get(*, user: Any, pk: Any = None, code: str | None = None) -> Organization:
    """One organisation in scope, or 404."""
    lookup = {"pk": pk} if pk is not None else {"code": code}
    return get_in_scope_or_404(Organization.objects.select_related("region"), user, via=None, **lookup)


def organization_ancestors(*, organization: Organization) -> list[Organization]:
    """Breadcrumb: the organisation's ancestors from the root down (names only)."""
    return list(Organization.objects.get_ancestors(organization))


def employee_list(
    *,
    user: Any,
    organization: Organization | None = None,
    search: str = "",
    active: bool | None = True,
) -> QuerySet[Employee]:
    """Roster entries the user may see, optionally within one subtree."""
    qs = scope(Employee.objects.select_related("organization", "home_region"), user)
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(name_en__icontains=search) | Q(employee_no__icontains=search))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("organization__path", "employee_no")


def employee_get(*, user: Any, pk: Any) -> Employee:
    """One roster entry in scope (or the user's own), or 404."""
    return get_in_scope_or_404(
        Employee.objects.select_related("organization", "home_region", "user"), user, own="user", pk=pk
    )


def region_list() -> QuerySet[Region]:
    """Regions are public reference data: anyone logged in may read them."""
    return Region.objects.all().order_by("country", "code")


# Region codes are reference data that hardly ever change, and the check-in API names one
# on every request: each process keeps what it looked up for a minute, and forgets it all
# when a region is saved or deleted here (orgs.apps connects the signals). Another process
# may answer with a renamed region's old name for up to that minute; a region with
# check-ins cannot be deleted (PROTECT).
REGION_CACHE_SECONDS = 60.0
_regions_by_code: dict[str, tuple[float, Region]] = {}


def region_by_code(code: str) -> Region | None:
    """The region with this code, if any (the check-in API names regions by code)."""
    now = time.monotonic()
    hit = _regions_by_code.get(code)
    if hit is not None and hit[0] > now:
        return hit[1]
    region = Region.objects.filter(code=code).first()
    if region is None:
        return None
    _regions_by_code[code] = (now + REGION_CACHE_SECONDS, region)
    return region


def region_cache_clear(**_signal: Any) -> None:
    """Forget the regions ``region_by_code`` remembered (a region changed)."""
    _regions_by_code.clear()


def region_rule_on(*, region: Region, day: datetime.date | None = None) -> RegionRule | None:
    """The rule in force in a region on a day (today by default)."""
    day = day or timezone.localdate()
    return region.rules.filter(effective_from__lte=day).order_by("-effective_from").first()


def regions_with_current_rules(*, day: datetime.date | None = None) -> list[tuple[Region, RegionRule | None]]:
    """Every region with the rule in force on a day, in two queries."""
    day = day or timezone.localdate()
    regions = list(region_list())
    rules = RegionRule.objects.filter(effective_from__lte=day).order_by("region_id", "-effective_from")
    current: dict[int, RegionRule] = {}
    for rule in rules:
        current.setdefault(rule.region_id, rule)
    return [(region, current.get(region.pk)) for region in regions]


def regions_by_country(*, day: datetime.date | None = None) -> list[tuple[Any, list[tuple[Region, RegionRule | None]]]]:
    """``regions_with_current_rules`` grouped by country: the home country first, then the
    others by name, and each country's regions by name, all in the reader's language.

    Sorted here, not in SQL: names are read in the active language, pinyin order has no
    portable database collation, and the list is short reference data (a few dozen rows).
    """
    groups: dict[str, list[tuple[Region, RegionRule | None]]] = {}
    countries: dict[str, Any] = {}
    for region, rule in regions_with_current_rules(day=day):
        country: Any = region.country  # a django-countries Country, typed as its code
        groups.setdefault(country.code, []).append((region, rule))
        countries[country.code] = country
    order = sorted(countries, key=lambda code: (code != HOME_COUNTRY, collation_key(str(countries[code].name)), code))
    return [
        (countries[code], sorted(groups[code], key=lambda row: (collation_key(row[0].name), row[0].code)))
        for code in order
    ]


def leadership_group_for(*, user: Any, organization: Organization) -> LeadershipGroup | None:
    """The organisation's leadership group with its members, if the user may see it."""
    qs = scope(LeadershipGroup.objects.all(), user).prefetch_related(
        Prefetch("members", queryset=LeadershipMember.objects.select_related("employee"))
    )
    return qs.filter(organization=organization).first()


def leadership_group_list(*, user: Any) -> QuerySet[LeadershipGroup]:
    """Leadership groups in scope."""
    return scope(LeadershipGroup.objects.select_related("organization"), user).prefetch_related("members")


def organization_summary(*, user: Any, organization: Organization) -> dict[str, Any]:
    """Counts shown on an organisation's page: the organisations below it (all levels, in
    the user's scope), by kind, and the people in its subtree."""
    below = organization_list(user=user).filter(path__startswith=organization.path).exclude(pk=organization.pk)
    # order_by() drops the list's ordering by path: grouping by kind with it left in would
    # group by (kind, path), one row per organisation, and each kind would count 1.
    by_kind = below.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n")
    return {
        "suborganizations": below.count(),
        "employees": employee_list(user=user, organization=organization).count(),
        "by_kind": dict(by_kind),
    }


# --- Added for the web UI ------------------------------------------------------------------


def organization_resolve(*, user: Any, ref: str) -> Organization:
    """An organisation in scope named by its code or its id (as in ``?org=``), or 404."""
    ref = (ref or "").strip()
    visible = scope(Organization.objects.select_related("region"), user, via=None)
    # A code wins over an id, so a code made of digits still means that organisation.
    org = visible.filter(code=ref).first() if ref else None
    if org is None and ref.isdigit():
        org = visible.filter(pk=int(ref)).first()
    if org is None:
        raise Http404
    return org


# How many organisations a picker's search answers with: enough to choose from, few enough to
# read on a phone; a longer name or the code narrows it.
PICK_LIMIT = 20


def organization_search(*, user: Any, text: str, limit: int = PICK_LIMIT) -> list[Organization]:
    """Organisations in scope whose code or name (either language) contains ``text``: an
    exact code first, then names that start with it, then the rest in tree order."""
    text = (text or "").strip()
    if not text:
        return []
    qs = organization_list(user=user, search=text).select_related(None).filter(is_active=True)
    head = qs.filter(Q(code__iexact=text) | Q(name_zh__istartswith=text) | Q(name_en__istartswith=text))
    found = list(head[:limit])
    if len(found) < limit:
        seen = [o.pk for o in found]
        found += list(qs.exclude(pk__in=seen)[: limit - len(found)])
    found.sort(key=lambda o: (o.code.lower() != text.lower(), not _name_starts(o, text), o.path))
    return found


def _name_starts(org: Organization, text: str) -> bool:
    low = text.lower()
    return org.name_zh.lower().startswith(low) or org.name_en.lower().startswith(low)


def organization_pick(*, user: Any, text: str) -> list[Organization]:
    """What a typed organisation means, within scope: one organisation when the text is its
    code, its id (as in links: ``?org=12``), its whole name in either language, or part of
    exactly one name; otherwise every candidate (none, or several to choose from)."""
    text = (text or "").strip()
    if not text:
        return []
    visible = scope(Organization.objects.select_related("region"), user, via=None)
    # A code wins over an id, so a code made of digits still means that organisation.
    exact = list(visible.filter(code__iexact=text)[:2])
    if len(exact) == 1:
        return exact
    if text.isdigit() and len(text) < 19:
        by_id = list(visible.filter(pk=int(text)))
        if by_id:
            return by_id
    named = list(visible.filter(Q(name_zh=text) | Q(name_en__iexact=text)).order_by("path")[: PICK_LIMIT + 1])
    if named:
        return named
    return organization_search(user=user, text=text, limit=PICK_LIMIT + 1)


def organization_breadcrumbs(*, user: Any, organizations: Iterable[Organization]) -> dict[int, list[Organization]]:
    """Each organisation's ancestors that the user may see, root first, in one query."""
    steplen = Organization.steplen
    wanted: dict[int, list[str]] = {
        org.pk: [org.path[: steplen * i] for i in range(1, org.depth)] for org in organizations
    }
    all_paths = {p for paths in wanted.values() for p in paths}
    if not all_paths:
        return {pk: [] for pk in wanted}
    by_path = {o.path: o for o in scope(Organization.objects.all(), user, via=None).filter(path__in=all_paths)}
    return {pk: [by_path[p] for p in paths if p in by_path] for pk, paths in wanted.items()}


def leadership_member_get(*, user: Any, pk: Any) -> LeadershipMember:
    """One leadership seat in scope, or 404."""
    return get_in_scope_or_404(
        LeadershipMember.objects.select_related("group__organization"),
        user,
        via="group__organization",
        pk=pk,
    )


def region_get(*, pk: Any) -> Region:
    """One region (reference data, readable by anyone logged in), or 404."""
    try:
        return Region.objects.get(pk=pk)
    except (Region.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def region_rule_history(*, region: Region) -> QuerySet[RegionRule]:
    """Every rule the region has had, newest first."""
    return region.rules.select_related("created_by").order_by("-effective_from", "-id")


def region_organizations(*, user: Any, region: Region) -> QuerySet[Organization]:
    """Organisations in the user's scope that sit in this region."""
    return organization_list(user=user).filter(region=region)


def region_rules_settable(*, user: Any, region: Region) -> bool:
    """Whether the user may set this region's rules.

    A region's rules bind every organisation located in it (quarantine days, on-site
    ratio), so only HQ whose scope covers all of them may set them; a region nobody is in
    yet belongs to HQ at a tree root. Superusers may always. Inactive organisations count:
    a deactivated company's HQ is no reason for another tree to decide its rules.
    """
    paths = scope_paths(user, REGION_RULE_ROLES)
    if paths is None:
        return True
    if not paths:
        return False
    located = Organization.objects.filter(region=region)
    covered = Q(pk__in=[])
    for path in paths:
        covered |= Q(path__startswith=path)
    if located.exclude(covered).exists():
        return False
    return any(len(path) == Organization.steplen for path in paths) or located.exists()


# --- Regions with their rules (the API) ----------------------------------------------------


def region_list_with_rules(
    *,
    country: str = "",
    search: str = "",
    day: datetime.date | None = None,
    with_history: bool = False,
) -> QuerySet[Region]:
    """Regions with the rules in force on a day prefetched newest first (``rules_in_force``;
    the first is the current rule) and, if asked, every rule (``rule_history``)."""
    day = day or timezone.localdate()
    in_force = RegionRule.objects.filter(effective_from__lte=day).order_by("-effective_from")
    qs = region_list().prefetch_related(Prefetch("rules", queryset=in_force, to_attr="rules_in_force"))
    if with_history:
        history = RegionRule.objects.order_by("-effective_from", "-id")
        qs = qs.prefetch_related(Prefetch("rules", queryset=history, to_attr="rule_history"))
    if country:
        qs = qs.filter(country=country.upper())
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name_zh__icontains=search) | Q(name_en__icontains=search))
    return qs


# --- The unit's officers ---------------------------------------------------------------------------


def unit_officers(organization: Organization) -> list[User]:
    """The unit's officers: who follows up its staff (the unit officers and unit managers
    whose membership is on the unit or above it), the one definition used for notices,
    reminders and the lists that name them."""
    return officers_by_unit([organization])[organization.pk]


def officers_by_unit(units: Iterable[Organization]) -> dict[int, list[User]]:
    """``unit_officers`` of many units in one query (for uploads, chasing and the lists)."""
    return role_holders_by_unit(units, [Role.UNIT_OFFICER, Role.UNIT_MANAGER])


def role_holders_by_unit(units: Iterable[Organization], roles: Iterable[str]) -> dict[int, list[User]]:
    """Active users holding one of ``roles`` on each unit or one of its ancestors, in one
    query: whose scope covers the unit in that role (never a sibling's)."""
    wanted = {u.pk: u for u in units}
    if not wanted:
        return {}
    ancestors = {
        u.path[:i] for u in wanted.values() for i in range(Organization.steplen, len(u.path) + 1, Organization.steplen)
    }
    memberships = (
        User.objects.filter(
            is_active=True,
            memberships__role__in=list(roles),
            memberships__organization__path__in=ancestors,
        )
        .annotate(held_on=F("memberships__organization__path"))
        .distinct()
    )
    out: dict[int, list[User]] = {pk: [] for pk in wanted}
    for user in memberships:
        for pk, unit in wanted.items():
            if unit.path.startswith(user.held_on) and user not in out[pk]:
                out[pk].append(user)
    return out


# --- Who hears about an organisation's alerts ----------------------------------------------------


def hq_commanders(organization: Organization) -> list[User]:
    """HQ commanders whose scope covers ``organization`` (membership on it or above)."""
    return role_holders_by_unit([organization], [Role.HQ_COMMANDER])[organization.pk]


def company_of(organization: Organization) -> Organization | None:
    """The member company an organisation belongs to (itself if it is one), or ``None``."""
    if organization.kind == OrgKind.COMPANY:
        return organization
    companies = [o for o in Organization.objects.get_ancestors(organization) if o.kind == OrgKind.COMPANY]
    return companies[-1] if companies else None


def company_managers(organization: Organization) -> list[User]:
    """The managers of the company ``organization`` belongs to (on the company or above)."""
    company = company_of(organization)
    if company is None:
        return []
    return role_holders_by_unit([company], [Role.UNIT_MANAGER])[company.pk]


def leadership_group_users(organization: Organization) -> list[User]:
    """Users seated in the emergency leadership group of ``organization``'s company: a seat
    reaches a person through the roster entry it names and that entry's login."""
    company = company_of(organization)
    if company is None:
        return []
    return list(User.objects.filter(is_active=True, employee__leadership_seats__group__organization=company).distinct())
