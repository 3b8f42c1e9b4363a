"""One JSON error shape for every API error: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sameboat.core.exceptions import DomainError


def _flatten(detail: Any) -> Any:
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return str(detail)


def error_response(code: str, message: str, http_status: int, fields: Any = None) -> Response:
    """Build the one error shape."""
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return Response(body, status=http_status)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, reshaped; domain errors become 422 (or 403 for permission)."""
    if isinstance(exc, DomainError):
        http_status = status.HTTP_403_FORBIDDEN if exc.code == "permission_denied" else 422
        fields = {exc.field: [str(exc.message)]} if exc.field else None
        return error_response(exc.code, str(exc.message), http_status, fields)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return error_response("invalid", _("Some fields are not valid."), response.status_code, _flatten(exc.detail))
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        detail = exc.detail
        message = str(detail) if not isinstance(detail, list | dict) else _("Request failed.")
        response.data = {"error": {"code": code, "message": message}}
    return response
