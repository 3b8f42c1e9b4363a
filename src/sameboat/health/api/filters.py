"""Query-parameter filters of the health lists (a viewset's ``filter_class``), validated
like any other input: a bad one answers 400 naming the parameter."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class CheckInFilter(serializers.Serializer):
    day = serializers.DateField(required=False, help_text=_("Only the check-ins of this day (YYYY-MM-DD)."))


class CaseFilter(serializers.Serializer):
    all = serializers.BooleanField(required=False, default=False, help_text=_("1: closed cases too."))


class ReturnsFilter(serializers.Serializer):
    org = serializers.CharField(required=False, help_text=_("Organisation code (default: the top of your scope)."))
    day = serializers.DateField(required=False, help_text=_("Defaults to today (YYYY-MM-DD)."))
