"""Domain exceptions: services raise these; views and the API turn them into messages."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the request; ``code`` is stable for machines."""

    code = "domain_error"

    def __init__(self, message: Any, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class PermissionDenied(DomainError):
    """The actor may see the record but may not do this to it."""

    code = "permission_denied"


def error_body(code: str, message: Any, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """The one error shape as plain data, shared by the API and by middleware that answers JSON."""
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}
