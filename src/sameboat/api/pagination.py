"""One paging style for every list in the API."""

from typing import Any

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from sameboat.api.fields import BoundedIntegerField


class Pagination(PageNumberPagination):
    """Page-number paging; clients may ask for up to 500 rows a page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        # DRF would answer a page of "abc" with 404 and quietly ignore a page_size of -1:
        # a bad number is a 400 naming the parameter. A page past the end stays a 404 and a
        # page_size over the limit is cut to it.
        errors = {}
        for name in (self.page_query_param, self.page_size_query_param):
            value = request.query_params.get(name)
            if value is None or (name == self.page_query_param and value in self.last_page_strings):
                continue
            try:
                BoundedIntegerField(min_value=1).run_validation(value)
            except serializers.ValidationError as exc:
                errors[name] = exc.detail
        if errors:
            raise serializers.ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)
