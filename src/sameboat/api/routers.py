"""The router every API resource registers on, and the registry of each app's API routes.

A domain owns its API (``<app>/api/``: viewsets, serializers, filters and a ``urls``
module) and registers that module here from its ``AppConfig.ready()``; ``api/urls.py``
mounts whatever is registered under /api/v1/, so this package never names a domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rest_framework.routers import SimpleRouter

from sameboat.core.converters import ID_PATTERN
from sameboat.core.registry import Registry


class Router(SimpleRouter):
    """SimpleRouter whose detail routes match only ids that fit the database's integers.

    Any other value (a word, 20 digits) falls through to the API's not-found route: a 404 in
    the error shape before a lookup could overflow. A viewset whose records are named
    otherwise (a code, a UUID) sets its own ``lookup_value_regex``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(self, "_use_regex", True):
            self._default_value_pattern = ID_PATTERN


@dataclass(frozen=True)
class ApiRoutes:
    """One app's API routes: the dotted path of a module whose ``urlpatterns`` (usually a
    ``Router``'s) are mounted under /api/v1/."""

    key: str  # the app's label
    urls: str
    # Route names are reversed as "api:<name>". Health's routes were named before they
    # joined the shared API ("checkin-list", which its page reverses) and keep their names.
    namespaced: bool = True


api_routes: Registry[ApiRoutes] = Registry("api routes")
