"""DRF throttle classes on the shared counters of ``sameboat.core.throttle``.

Not in DEFAULT_THROTTLE_CLASSES: every API request would then pay a cache round trip,
and the check-in POST (the busiest request) is throttled only where it edits. Views name
the throttles they need. A refusal is DRF's ``Throttled``: 429, Retry-After, and the one
error shape with code "throttled" (api/errors.py).
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from sameboat.core.client_ip import client_ip
from sameboat.core.throttle import throttle_count, throttle_peek


def address_ident(request: Request) -> str:
    """The client's address (behind a trusted proxy, the real client's)."""
    return f"ip:{client_ip(request._request)}"


class ScopedThrottle(BaseThrottle):
    """Count requests with ``methods`` per client address against ``scope``'s rate."""

    scope = ""
    methods: tuple[str, ...] = ("POST",)

    def __init__(self) -> None:
        self._wait: int | None = None

    def ident(self, request: Request) -> str:
        return address_ident(request)

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method not in self.methods:
            return True
        self._wait = throttle_count(self.scope, self.ident(request))
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


class TokenRequestThrottle(ScopedThrottle):
    """Token requests per client address: each one costs a password hash."""

    scope = "token"


class AuthFailureThrottle(ScopedThrottle):
    """Refuse an address that has failed too many logins (any user names) lately; the
    failures themselves are counted by a user_login_failed receiver (accounts/apps.py)."""

    scope = "auth_failures"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method not in self.methods:
            return True
        self._wait = throttle_peek(self.scope, self.ident(request))
        return self._wait is None
