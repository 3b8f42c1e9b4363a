"""The one scoping helper. Every selector, view, export and API endpoint reads through it.

A role is held on an organisation and reaches its whole subtree. Subtrees are found by the
organisation's materialised path (django-treebeard MP): a descendant's path starts with its
ancestor's path. Out-of-scope records are simply absent from the queryset, so a detail
lookup answers 404 exactly as for a record that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from sameboat.accounts.roles import READ_ROLES, Role

M = TypeVar("M", bound=Model)

_CACHE_ATTR = "_sameboat_membership_paths"


def membership_paths(user: Any) -> list[tuple[str, str]]:
    """(organisation path, role) for each of the user's memberships, cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from sameboat.accounts.models import Membership

        cached = list(
            Membership.objects.filter(user=user, organization__is_active=True).values_list("organization__path", "role")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: Any) -> None:
    """Drop the cached memberships (after granting or revoking one)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def minimal_paths(paths: Iterable[str]) -> list[str]:
    """Remove paths inside another path of the set: their subtree is already covered."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not result or not path.startswith(result[-1]):
            result.append(path)
    return result


def scope_paths(user: Any, roles: Iterable[str] | None = None) -> list[str] | None:
    """Root paths of the subtrees the user reaches with the given roles.

    ``None`` means everything (a superuser); an empty list means nothing.
    """
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return None
    wanted = set(roles) if roles is not None else set(READ_ROLES)
    return minimal_paths(path for path, role in membership_paths(user) if role in wanted)


def _path_q(field: str, paths: list[str]) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def scope(
    queryset: QuerySet[M],
    user: Any,
    *,
    via: str | None = "organization",
    roles: Iterable[str] | None = None,
    own: str | None = None,
    within: Any = None,
) -> QuerySet[M]:
    """Only the rows of ``queryset`` the user may see.

    ``via`` is the lookup from the model to its Organization (``None`` when the queryset is
    of organisations); ``roles`` limits which memberships count (default: every role that
    reads a subtree); ``own`` names a lookup to the user that also grants access to a
    person's own records (an employee sees their own check-ins); ``within`` narrows to one
    organisation's subtree — all of it when the user reaches that organisation, none of it
    otherwise — which is one filter instead of two on dashboards that drill down.
    """
    if within is not None:
        if not reaches(user, within, roles):
            return scope(queryset, user, via=via, roles=roles, own=own).filter(
                _path_q("path" if via is None else f"{via}__path", [within.path])
            )
        paths: list[str] | None = [within.path]
        own = None
    else:
        paths = scope_paths(user, roles)
    if paths is None:
        return queryset
    if via is None:
        query = _path_q("path", paths) if paths else Q(pk__in=[])
    elif paths:
        # Resolve the subtree to organisation ids first: the organisation table is small,
        # and the big table is then probed through its foreign-key index instead of
        # joining every row to test a LIKE on the path (5x faster in bench/scope_list).
        org_ids = _organization_model().objects.filter(_path_q("path", paths)).values("pk")
        query = Q(**{f"{via}__in": org_ids})
    else:
        query = Q(pk__in=[])
    if own and getattr(user, "is_authenticated", False):
        query |= Q(**{own: user})
    if not paths and not own:
        return queryset.none()
    return queryset.filter(query)


def get_in_scope_or_404(
    queryset: QuerySet[M],
    user: Any,
    *,
    via: str | None = "organization",
    roles: Iterable[str] | None = None,
    own: str | None = None,
    **lookup: Any,
) -> M:
    """One record in the user's scope, or 404 — the same answer as a record that is absent."""
    try:
        return scope(queryset, user, via=via, roles=roles, own=own).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def reaches(user: Any, organization: Any, roles: Iterable[str] | None = None) -> bool:
    """Whether one of the user's memberships (with these roles) covers this organisation."""
    paths = scope_paths(user, roles)
    if paths is None:
        return True
    return any(organization.path.startswith(path) for path in paths)


def reach_sql(user: Any, path_sql: str, roles: Iterable[str] | None = None) -> tuple[str, list[Any]]:
    """``reaches`` as an SQL condition: (fragment, params) for a hand-written hot query.

    Where ``scope`` first loads the user's memberships, this asks the database in the same
    statement: is there a membership with one of ``roles`` on an active organisation whose
    path begins ``path_sql`` (an SQL expression for the row's organisation path)? The
    check-in API fetches a person, decides scope and reads the day's facts in one round
    trip with it. A property test holds it equal to ``reaches``.
    """
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return "1 = 1", []
    if not getattr(user, "is_authenticated", False):
        return "1 = 0", []
    from sameboat.accounts.models import Membership

    Organization = _organization_model()
    wanted = sorted(set(roles) if roles is not None else set(READ_ROLES))
    sql = (
        f"EXISTS (SELECT 1 FROM {Membership._meta.db_table} sm"  # noqa: S608 - table names, no input
        f" JOIN {Organization._meta.db_table} so ON so.id = sm.organization_id"
        f" WHERE sm.user_id = %s AND sm.role IN ({', '.join(['%s'] * len(wanted))}) AND so.is_active"
        f" AND SUBSTR({path_sql}, 1, LENGTH(so.path)) = so.path)"
    )
    return sql, [user.pk, *wanted]


def _organization_model() -> Any:
    # Memberships point at the organisation tree through their foreign key; asking the key
    # for its model keeps this layer below orgs (accounts never imports a domain).
    from sameboat.accounts.models import Membership

    return Membership._meta.get_field("organization").related_model


def has_role(user: Any, *roles: Role | str) -> bool:
    """Whether the user holds any of these roles anywhere (navigation, menus)."""
    if getattr(user, "is_superuser", False):
        return True
    wanted = set(roles)
    return any(role in wanted for _, role in membership_paths(user))
