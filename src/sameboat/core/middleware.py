"""Request guards that apply to every page and endpoint, and the honest answers to requests
the server cannot serve: 503 while the database is locked or unreachable, 413 for a body
over the limits.

Those answers are decided here once (``refusal_for``) and given by the middleware for pages,
by the API's exception handler for DRF views (sameboat.api.errors), and by the error
handlers in sameboat.urls for what fails outside any view (a session saved on the way out,
the CSRF check reading a form).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InternalError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views import defaults

from sameboat.core.exceptions import error_body

logger = logging.getLogger("sameboat.unavailable")

# What a client is told to wait before trying again. The SQLite busy timeout is a few
# seconds (settings.py), so a write lock held longer than that is a long job: a little
# more than that wait is a fair pause.
RETRY_AFTER_SECONDS = 10

# SQLite result codes (primary, the low byte of the extended code) that mean "the database
# cannot serve now" rather than "this statement is wrong": BUSY, LOCKED, READONLY, IOERR,
# FULL, CANTOPEN, PROTOCOL. "no such table" is also an OperationalError and stays a 500.
_SQLITE_UNAVAILABLE = {5, 6, 8, 10, 13, 14, 15}
_SQLITE_WORDS = ("database is locked", "database table is locked", "database is busy")
# PostgreSQL SQLSTATE classes and codes of the same kind: connection exceptions (08),
# insufficient resources (53: too many connections, disk full), operator intervention
# (57: shutdown, cannot connect now, a statement_timeout cancelling the query), lock
# timeouts (55P03), transactions the server asks to retry (40), a read-only standby (25006).
_PG_UNAVAILABLE_CLASSES = ("08", "53", "57", "40")
_PG_UNAVAILABLE_STATES = {"55P03", "25006"}


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database is locked, busy or unreachable (try again later)."""
    if not isinstance(exc, OperationalError | InternalError):
        return False
    cause = exc.__cause__
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _SQLITE_UNAVAILABLE
    if cause is not None and type(cause).__module__.startswith("psycopg"):
        state = getattr(cause, "sqlstate", None)
        if state is None:
            # No SQLSTATE: the client library lost or never got the connection.
            return isinstance(exc, OperationalError)
        return state[:2] in _PG_UNAVAILABLE_CLASSES or state in _PG_UNAVAILABLE_STATES
    message = str(exc).lower()
    return any(words in message for words in _SQLITE_WORDS)


@dataclass
class Refusal:
    """An honest non-500 answer to a request the server cannot serve."""

    status: int
    code: str
    message: str
    template: str
    headers: dict[str, str] = field(default_factory=dict)


def _too_large(message: str | Promise | None = None) -> Refusal:
    return Refusal(413, "too_large", str(message or _("The request is too large.")), "413.html")


def _unavailable() -> Refusal:
    return Refusal(
        503,
        "unavailable",
        _("The database is busy. Please try again in a few seconds."),
        "503.html",
        {"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def refusal_for(exc: BaseException) -> Refusal | None:
    """The answer to give for ``exc`` instead of a 500 (or a bare 400), if it has one."""
    if database_unavailable(exc):
        logger.warning("Database unavailable: %s", exc)
        return _unavailable()
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return _too_large(_("The request has too many fields."))
    if isinstance(exc, RequestDataTooBig):
        return _too_large()
    return None


def wants_json(request: HttpRequest) -> bool:
    """API paths, and clients that ask for JSON and not for a page, get the JSON error shape."""
    if request.path.startswith("/api/"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """The refusal as the one JSON error shape or as a page, in the request's language."""
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse(error_body(refusal.code, refusal.message), status=refusal.status)
    else:
        # Rendered without the request: the context processors would query the database,
        # which may be the very thing that is failing.
        html = loader.render_to_string(refusal.template, {"message": refusal.message})
        response = HttpResponse(html, status=refusal.status)
    for name, value in refusal.headers.items():
        response[name] = value
    mark_logged(response, refusal)
    return response


def mark_logged(response: HttpResponse, refusal: Refusal) -> None:
    """A 503 is not an error of ours: ``refusal_for`` logged the database's state as a
    warning, and Django would log the response again as a server error."""
    if refusal.status == 503:
        response._has_been_logged = True  # type: ignore[attr-defined]


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0  # Django refuses a malformed length itself when the body is read


class FailSafelyMiddleware:
    """413 for a body over the limits before anything reads it; 503 (not a slow 500) when a
    view meets a locked or unreachable database; 413 when a view meets too much data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._over_limit(request)
        if refusal is not None:
            return refusal_response(request, refusal)
        return self.get_response(request)

    def _over_limit(self, request: HttpRequest) -> Refusal | None:
        try:
            request.GET  # noqa: B018 -- parsed here so too many parameters is a 413, not a 400 later
        except TooManyFieldsSent as exc:
            return refusal_for(exc)
        length = _declared_length(request)
        body_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.content_type == "multipart/form-data":
            # Uploaded files stream to disk and are judged by the form (import_views), but
            # a body bigger than the largest file we accept plus the other fields is refused
            # before it is received.
            limit = settings.SAMEBOAT_IMPORT_MAX_BYTES + (body_limit or 0)
            if length > limit:
                return _too_large(
                    _("The file is %(size)s MB; the limit is %(limit)s MB.")
                    % {"size": round(length / 1e6, 1), "limit": round(settings.SAMEBOAT_IMPORT_MAX_BYTES / 1e6, 1)}
                )
            return None
        if body_limit is not None and length > body_limit:
            return _too_large()
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        refusal = refusal_for(exception)
        return refusal_response(request, refusal) if refusal is not None else None


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: too much data read outside a view (the CSRF check reading a form) is a 413."""
    refusal = refusal_for(exception)
    if refusal is not None:
        return refusal_response(request, refusal)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database failure outside a view (a session saved on the way out) is a 503."""
    exception = sys.exc_info()[1]
    refusal = refusal_for(exception) if exception is not None else None
    if refusal is not None:
        return refusal_response(request, refusal)
    return defaults.server_error(request)


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
            return JsonResponse(error_body("invalid", message, {bad.replace("\x00", ""): [message]}), status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
