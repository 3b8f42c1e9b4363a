"""One JSON error shape for every API error: {"error": {"code", "message", "fields"}}.

``code`` is stable for machines, ``message`` is for people (in the request's language) and
``fields`` maps a field name to its messages ({} when the error is not about a field).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from sameboat.core.exceptions import DomainError, PermissionDenied, error_body
from sameboat.core.middleware import mark_logged, refusal_for
from sameboat.core.throttle import Throttled

logger = logging.getLogger("django.request")

# Where errors about the body as a whole go (DRF's own name for them).
NON_FIELD = "non_field_errors"


def _flatten(detail: Any) -> Any:
    if isinstance(detail, list):
        return [_flatten(item) if isinstance(item, dict | list) else str(item) for item in detail]
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    return [str(detail)]


def error_response(
    code: str, message: str, http_status: int, fields: dict[str, Any] | None = None, headers: Any = None
) -> Response:
    """Build the one error shape."""
    return Response(error_body(code, message, fields), status=http_status, headers=headers)


def _validation_fields(detail: Any) -> dict[str, Any]:
    fields = _flatten(detail)
    # A refusal of the whole body (not of one field) still lands under a field name, so
    # clients read errors one way only.
    return fields if isinstance(fields, dict) else {NON_FIELD: fields}


def _django_validation_fields(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    return {NON_FIELD: [str(m) for m in exc.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, reshaped; domain errors become 422 (or 403 for permission)."""
    # A locked or unreachable database (503) and a body over the limits (413).
    refusal = refusal_for(exc)
    if refusal is not None:
        refused = error_response(refusal.code, refusal.message, refusal.status, headers=refusal.headers)
        mark_logged(refused, refusal)
        return refused
    if isinstance(exc, Throttled):
        # A service's throttle (a check-in edited too often): DRF's 429 with Retry-After.
        exc = exceptions.Throttled(wait=exc.wait)
    elif isinstance(exc, DomainError):
        # A refusal keeps its own machine code (grant_to_self, ...) and is still a 403.
        forbidden = isinstance(exc, PermissionDenied) or exc.code == "permission_denied"
        http_status = status.HTTP_403_FORBIDDEN if forbidden else 422
        fields = {exc.field: [str(exc.message)]} if exc.field else None
        return error_response(exc.code, str(exc.message), http_status, fields)
    if isinstance(exc, DjangoValidationError):
        # A model's full_clean() refusing what a service was asked to store.
        return error_response("invalid", _("Some fields are not valid."), 422, _django_validation_fields(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return _server_error(exc, context)
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", _("Some fields are not valid."), _validation_fields(exc.detail))
        return response
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        detail = exc.detail
        message = str(detail) if not isinstance(detail, list | dict) else _("Request failed.")
        response.data = error_body(code, message)
    return response


def _server_error(exc: Exception, context: dict[str, Any]) -> Response | None:
    """An unexpected exception: logged with its traceback, answered in the error shape.

    With DEBUG on, DRF re-raises instead so the developer sees Django's debug page.
    """
    if settings.DEBUG:
        return None
    view = context.get("view")
    request = getattr(context.get("request"), "_request", None)
    logger.error(
        "Internal Server Error: %s",
        getattr(request, "path", "?"),
        exc_info=(type(exc), exc, exc.__traceback__) if exc.__traceback__ else sys.exc_info(),
        extra={"status_code": 500, "request": request, "view": view},
    )
    # Listeners (error reporters, the test client) hear about it as for any other 500.
    got_request_exception.send(sender=None, request=request)
    response = error_response("server_error", _("Something went wrong on our side; it has been logged."), 500)
    # Django's handler would log the 500 again without the traceback.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class NotFoundView(APIView):
    """Unknown paths under /api/ answer the error shape, not an HTML page."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        message = _("Not found.")
        # The routes end in a slash; a path without it gets a hint instead of a redirect
        # that would turn a POST into a GET.
        path = request.path_info
        if not path.endswith("/"):
            try:
                match = resolve(path + "/")
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not NotFoundView:
                message = _("Not found. Did you mean %(path)s?") % {"path": request.path + "/"}
        return error_response("not_found", message, status.HTTP_404_NOT_FOUND)

    post = put = patch = delete = options = get
