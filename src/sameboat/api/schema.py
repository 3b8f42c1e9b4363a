"""OpenAPI schema helpers: the error shape as a component, documented on every operation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from sameboat.api.idempotency import HEADER, is_idempotent


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Stable machine code, e.g. not_found, invalid, permission_denied."))
    message = serializers.CharField(help_text=_("What went wrong, in the request's language."))
    # Declared fields are popped off the class, so this does not hide Serializer.fields.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages per field name; empty when the error is not about a field."),
    )


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    error = ErrorDetailSerializer()


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


# The input serializer of each write action of the shared base (api/viewsets.py).
INPUT_SERIALIZERS = {
    "create": "create_serializer_class",
    "update": "update_serializer_class",
    "partial_update": "update_serializer_class",
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the error answers each operation can give, a list's
    filters (``filter_class``), the input of the shared write actions and the
    Idempotency-Key header of the actions that take one."""

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = list(super().get_override_parameters())
        filter_class = getattr(self.view, "filter_class", None)
        if filter_class is not None and getattr(self.view, "action", None) == "list":
            parameters.append(filter_class)
        if is_idempotent(self.view):
            parameters.append(
                OpenApiParameter(
                    HEADER,
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description=_("Send the same key when retrying: the first answer is returned."),
                )
            )
        return parameters

    def get_request_serializer(self) -> Any:
        attribute = INPUT_SERIALIZERS.get(getattr(self.view, "action", None) or "")
        serializer_class = getattr(self.view, attribute, None) if attribute else None
        return serializer_class if serializer_class is not None else super().get_request_serializer()

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses

    def _error_codes(self) -> list[str]:
        # A view whose answers do not follow the resource pattern lists its own.
        own = getattr(self.view, "schema_error_codes", None)
        if own is not None:
            return list(own.get(self.method, []))
        codes: list[str] = []
        # A list (or an action answering a page) can refuse a bad filter or page number.
        is_list = getattr(self.view, "action", None) == "list" or (self.method == "GET" and self._is_list_view())
        if self.method in BODY_METHODS or is_list:
            codes.append("400")  # malformed body or filter
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.append("401")
            if self.method in WRITE_METHODS:
                codes.append("403")  # in scope but not allowed to change it (read-only roles)
        if "{" in self.path or is_list:
            codes.append("404")  # missing or out of scope: the same answer
        if self.method in WRITE_METHODS:
            codes.append("422")  # a rule of the domain refused the change
        extra = getattr(self.view, "extra_error_codes", {}).get(getattr(self.view, "action", None), [])
        return codes + [code for code in extra if code not in codes]
