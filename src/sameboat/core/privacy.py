"""Pages are private by default: no browser cache, proxy or service worker keeps them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class PrivatePagesMiddleware:
    """Give every answer without a Cache-Control of its own ``no-store, private``.

    Nearly every page is about someone (a person's check-ins, a case, the roster) or carries
    a CSRF token, and an officer's phone must not keep other people's pages after logout
    (health/sw.js stores nothing marked no-store). A view that may be kept says so itself:
    the person's own check-in page is ``private, no-cache`` so the service worker can keep
    it for offline use. Static files never get here (WhiteNoise answers them first).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
