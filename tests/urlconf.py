"""The site's URLconf walked as routes with their namespaces, for the scope-matrix tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    namespace: str  # "health", "api", "" when none (nested namespaces joined with ":")
    bare_name: str  # the pattern's own name, "" when unnamed
    route: str  # the pattern's text from the root ("health/followup/<id:pk>/", "api/v1/^checkins/$")

    @property
    def name(self) -> str:
        """The name ``reverse()`` takes ("health:cases"), "" when unnamed."""
        if not self.bare_name:
            return ""
        return f"{self.namespace}:{self.bare_name}" if self.namespace else self.bare_name


def routes(patterns=None, namespace: str = "", prefix: str = "") -> list[Route]:
    """Every URL pattern of the site (or of ``patterns``)."""
    found: list[Route] = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = ":".join(n for n in (namespace, p.namespace or "") if n)
            found += routes(p.url_patterns, inner, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            found.append(Route(namespace, p.name or "", prefix + str(p.pattern)))
    return found


def path_of(bare_name: str, **kwargs) -> str:
    """The path of a route known by its bare name, whichever namespace it sits in."""
    names = {r.name for r in routes() if r.bare_name and r.bare_name == bare_name}
    assert len(names) == 1, f"{bare_name}: {names}"
    return reverse(names.pop(), kwargs=kwargs or None)
