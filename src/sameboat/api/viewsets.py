"""The one base of every API resource, whichever domain owns it.

Reads come from the domain's selectors (scoped: out of scope is 404, like missing); writes
go through its services, whose refusals become the one error shape (a rule broken: 422;
not allowed: 403). A list's query parameters are a serializer (``filter_class``): a bad one
answers 400 naming it, and the schema lists them. Writes validate an input serializer and
call one method the resource defines (``create_record``, ``update_record``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from sameboat.core.exceptions import DomainError


class ApiViewSet(viewsets.GenericViewSet):
    """Base of the resource viewsets: filters, paging, field names in errors."""

    # A service's field name -> the name this resource uses for it in the API.
    api_field_names: Mapping[str, str] = {}
    # The list's query parameters, validated (and documented) by this serializer.
    filter_class: type[serializers.Serializer] | None = None
    # Error statuses an action can answer beyond the usual ones (api/schema.py), e.g. a
    # service's throttle: {"create": ["429"]}.
    extra_error_codes: Mapping[str, Sequence[str]] = {}

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DomainError) and exc.field is not None and exc.field in self.api_field_names:
            exc.field = self.api_field_names[exc.field]
        return super().handle_exception(exc)

    @property
    def filters(self) -> dict[str, Any]:
        """The list's query parameters, validated by ``filter_class`` (400 naming a bad one);
        empty for the other actions, whose parameters are not filters."""
        if self.filter_class is None or self.action != "list":
            return {}
        cached: dict[str, Any] | None = getattr(self, "_filters", None)
        if cached is None:
            params = self.filter_class(data=self.request.query_params, context=self.get_serializer_context())
            params.is_valid(raise_exception=True)
            cached = self._filters = dict(params.validated_data)
        return cached

    def input(self, serializer_class: type[serializers.Serializer], **kwargs: Any) -> dict[str, Any]:
        """The request body, validated by ``serializer_class`` (400 naming each bad field)."""
        payload = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        payload.is_valid(raise_exception=True)
        return dict(payload.validated_data)

    def paged(self, queryset: Any, serializer_class: Any) -> Response:
        """One page of ``queryset`` in the paging shape."""
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


class CreateMixin:
    """POST: validate ``create_serializer_class`` and answer 201 with the new record."""

    create_serializer_class: type[serializers.Serializer]

    def create_record(self, data: dict[str, Any]) -> Any:
        """Make the record through the domain's service."""
        raise TypeError(f"{type(self).__name__} must define create_record")

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        """Add a record."""
        record = self.create_record(self.input(self.create_serializer_class))  # type: ignore[attr-defined]
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)  # type: ignore[attr-defined]


class UpdateMixin:
    """PUT replaces a record's fields and PATCH changes some: both validate
    ``update_serializer_class`` (every field, or only those sent) and call ``update_record``."""

    update_serializer_class: type[serializers.Serializer]

    def update_record(self, instance: Any, data: dict[str, Any]) -> Any:
        """Change the record through the domain's service."""
        raise TypeError(f"{type(self).__name__} must define update_record")

    def update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        """Replace the record's fields."""
        instance = self.get_object()  # type: ignore[attr-defined]
        data = self.input(self.update_serializer_class, partial=kwargs.get("partial", False))  # type: ignore[attr-defined]
        return Response(self.get_serializer(self.update_record(instance, data)).data)  # type: ignore[attr-defined]

    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        """Change some of the record's fields."""
        return self.update(request, *args, partial=True, **kwargs)
