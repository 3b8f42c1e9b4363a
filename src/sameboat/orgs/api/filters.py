"""Query-parameter filters of the organisation lists (a viewset's ``filter_class``),
validated like any other input.

A bad filter answers 400 naming the parameter. An organisation code out of the caller's
scope is refused with the same words as one that does not exist.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sameboat.accounts.roles import Role
from sameboat.orgs.api.serializers import ScopedOrganizationField
from sameboat.orgs.models import OrgKind


class OrganizationFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrgKind.choices, required=False)
    search = serializers.CharField(required=False, allow_blank=True, help_text=_("Part of a name or code."))
    parent = ScopedOrganizationField(  # type: ignore[assignment]
        required=False, help_text=_("Code of an organisation: only its direct children are listed.")
    )


class RegionFilter(serializers.Serializer):
    country = serializers.CharField(required=False, max_length=2, help_text=_("Two-letter country code."))
    search = serializers.CharField(required=False, allow_blank=True, help_text=_("Part of a name or code."))


ACTIVE_CHOICES = {"true": True, "false": False, "all": None}


class EmployeeFilter(serializers.Serializer):
    org = ScopedOrganizationField(required=False, help_text=_("Code of an organisation: its whole subtree."))
    search = serializers.CharField(required=False, allow_blank=True, help_text=_("Part of a name or employee number."))
    active = serializers.ChoiceField(
        choices=list(ACTIVE_CHOICES),
        required=False,
        default="true",
        help_text=_("true (default): on the roster; false: left it; all: both."),
    )


class MembershipFilter(serializers.Serializer):
    org = ScopedOrganizationField(required=False, help_text=_("Code of an organisation: its whole subtree."))
    role = serializers.ChoiceField(choices=Role.choices, required=False)
