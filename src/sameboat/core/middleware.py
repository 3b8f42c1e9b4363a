"""Request guards that apply to every page and endpoint."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RejectNullBytesMiddleware:
    """Answer 400 when a query parameter holds a NUL character.

    PostgreSQL refuses NUL in text, so a search or filter carrying one would otherwise end
    in a database error (a 500) wherever a view passes the parameter to a query. Forms and
    API bodies already refuse NUL field by field; query strings are read in many places,
    so they are checked once here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bad = next((name for name, values in request.GET.lists() if any("\x00" in v for v in [name, *values])), None)
        if bad is None:
            return self.get_response(request)
        message = _("The parameter %(name)s contains a null character.") % {"name": bad.replace("\x00", "")}
        if request.path.startswith("/api/"):
            from sameboat.api.errors import error_body

            return JsonResponse(error_body("invalid", message, {bad.replace("\x00", ""): [message]}), status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
