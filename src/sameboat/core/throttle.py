"""Throttles: count requests per (scope, who) in the shared cache, refuse past a rate.

One helper for pages and the API (the API's DRF throttle classes call it too), so a login
page and the token endpoint share their counters. Counters live in Django's default cache:
Redis when REDIS_URL/CACHE_URL is set, otherwise the database cache table, so that every
gunicorn worker sees the same counts (a per-process memory cache would let each of three
workers allow the full rate). Windows are fixed (a counter per rate period), which needs
only ``add`` and ``incr``: atomic on Redis, and at worst off by a concurrent request or two
on the database cache, which is fine for a throttle.

Rates are ``settings.SAMEBOAT_THROTTLE_RATES`` entries such as "10/min" ("N/s", "N/min",
"N/hour", "N/day", or "N/<seconds>s"); an empty or missing rate turns a scope off.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sameboat.core.client_ip import client_ip
from sameboat.core.exceptions import DomainError

_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


class Throttled(DomainError):
    """Too many requests of one kind from one client or user; ``wait`` seconds to go."""

    code = "throttled"

    def __init__(self, wait: int, message: Any = None) -> None:
        super().__init__(message or _("Too many requests; try again in %(n)d seconds.") % {"n": wait})
        self.wait = wait


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str | None) -> Rate | None:
    """``"10/min"`` → Rate(10, 60); None or "" → None (no limit)."""
    if not text:
        return None
    match = _RATE.match(text.lower())
    if match is None or match.group(3) not in _UNITS:
        raise ImproperlyConfigured(f"Throttle rate {text!r}: use N/s, N/min, N/hour, N/day or N/<seconds>s.")
    multiple = int(match.group(2) or 1)
    return Rate(int(match.group(1)), multiple * _UNITS[match.group(3)])


def rate_for(scope: str) -> Rate | None:
    """The configured rate of a scope (SAMEBOAT_THROTTLE_RATES)."""
    return parse_rate(getattr(settings, "SAMEBOAT_THROTTLE_RATES", {}).get(scope))


def _key(scope: str, ident: str, rate: Rate, now: float) -> tuple[str, int]:
    window = int(now // rate.seconds)
    # Hashed: idents carry user names and addresses, and cache keys must be short and plain.
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    wait = max(1, math.ceil((window + 1) * rate.seconds - now))
    return f"throttle:{scope}:{digest}:{window}", wait


def throttle_peek(scope: str, ident: str) -> int | None:
    """Seconds to wait if ``ident`` has used up the scope's rate, else None; counts nothing."""
    rate = rate_for(scope)
    if rate is None:
        return None
    key, wait = _key(scope, ident, rate, time.time())
    return wait if (cache.get(key) or 0) >= rate.count else None


def throttle_count(scope: str, ident: str) -> int | None:
    """Count one request; seconds to wait if it is over the scope's rate, else None."""
    rate = rate_for(scope)
    if rate is None:
        return None
    key, wait = _key(scope, ident, rate, time.time())
    # add() is a no-op when the window's counter exists; the timeout outlives the window.
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=rate.seconds + 1)
        used = 1
    return wait if used > rate.count else None


def throttle_hit(scope: str, ident: str) -> None:
    """Count one request; raise Throttled when it is over the scope's rate."""
    wait = throttle_count(scope, ident)
    if wait is not None:
        raise Throttled(wait)


def throttle_check(scope: str, ident: str) -> None:
    """Raise Throttled when ``ident`` has already used up the scope's rate (counts nothing)."""
    wait = throttle_peek(scope, ident)
    if wait is not None:
        raise Throttled(wait)


def user_ident(request: HttpRequest) -> str:
    """Who is asking: the login if there is one, else the client's address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def throttled_response(request: HttpRequest, exc: Throttled) -> HttpResponse:
    """The page that says "too many requests", with status 429 and Retry-After."""
    response = render(request, "throttled.html", {"wait": exc.wait, "message": exc.message}, status=429)
    response["Retry-After"] = str(exc.wait)
    return response


def page_throttle(
    scope: str, *, methods: tuple[str, ...] = ("POST",), ident: Callable[[HttpRequest], str] = user_ident
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a page view: requests with these methods count against the scope's rate
    and past it get the 429 page; Throttled raised inside the view gets it too."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                if request.method in methods:
                    throttle_hit(scope, ident(request))
                return view(request, *args, **kwargs)
            except Throttled as exc:
                return throttled_response(request, exc)

        return wrapped

    return decorate
