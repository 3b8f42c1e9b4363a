"""Every URL of a domain has a scope-matrix entry (core.contributions.scope_matrix), registered by
its app, so the scope tests that read their URL lists from the registry cannot miss one.

A domain's URLs are its pages (any namespace but the infrastructure's) and every API route under
/api/v1/ except the shared API's own (the token endpoint).
"""

from __future__ import annotations

from sameboat.accounts.roles import Role
from sameboat.core.contributions import ScopeEntry, scope_entries, scope_matrix
from tests.urlconf import Route, routes

# Pages of the infrastructure and of the site: tested by their own tests, not domain records.
INFRASTRUCTURE_NAMESPACES = {"", "core", "accounts", "admin", "api"}
SHARED_API = {"token"}


def domain_routes(found: list[Route]) -> list[Route]:
    """The routes a domain owns: its pages and its API routes."""
    out = []
    for route in found:
        if route.route.startswith("api/v1/"):
            if route.bare_name not in SHARED_API:
                out.append(route)
        elif route.namespace not in INFRASTRUCTURE_NAMESPACES:
            out.append(route)
    return out


def entry_key(route: Route) -> str:
    # API routes are registered by their bare name, whichever namespace the router sits in.
    return route.bare_name if route.route.startswith("api/v1/") else route.name


def unregistered(found: list[Route]) -> list[str]:
    return sorted(
        f"{r.name or '(unnamed)'} {r.route}"
        for r in domain_routes(found)
        if not r.name or entry_key(r) not in scope_matrix
    )


def test_every_domain_url_has_a_scope_matrix_entry():
    missing = unregistered(routes())
    assert not missing, "register these URLs with their roles in the app's contributions.py: " + ", ".join(missing)


def test_every_entry_names_a_url_that_exists_with_real_roles():
    keys = {entry_key(r) for r in domain_routes(routes()) if r.name}
    stale = [entry.key for entry in scope_matrix if entry.key not in keys]
    assert not stale, f"scope-matrix entries for URLs that do not exist: {stale}"
    for entry in scope_matrix:
        assert entry.roles is None or (entry.roles and entry.roles <= set(Role.values)), entry


def test_a_new_domain_url_without_an_entry_fails():
    """The check itself: a supplies page nobody registered is reported, a registered one is not."""
    page = Route("supplies", "stock", "supplies/stock/")
    api = Route("api", "stock-list", "api/v1/^stock/$")
    assert unregistered([page, api]) == ["api:stock-list api/v1/^stock/$", "supplies:stock supplies/stock/"]
    try:
        scope_entries(app="supplies", roles=frozenset({Role.SUPPLIES_OFFICER}))(["supplies:stock", "stock-list"])
        assert unregistered([page, api]) == []
        assert scope_matrix["stock-list"] == ScopeEntry(
            "stock-list", "supplies", frozenset({Role.SUPPLIES_OFFICER}), scoped=True, api=True
        )
    finally:
        scope_matrix.unregister("supplies:stock")
        scope_matrix.unregister("stock-list")
    assert unregistered([Route("supplies", "", "supplies/unnamed/")]) == ["(unnamed) supplies/unnamed/"]
