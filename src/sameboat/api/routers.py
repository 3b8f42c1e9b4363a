"""The router every API resource registers on."""

from __future__ import annotations

from typing import Any

from rest_framework.routers import SimpleRouter

from sameboat.core.converters import ID_PATTERN


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
