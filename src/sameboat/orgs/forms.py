"""Forms of the organisation pages. They validate input; the services do the writing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sameboat.accounts.roles import Role
from sameboat.core.filters import FilterForm
from sameboat.core.widgets import DateField
from sameboat.orgs.models import (
    Employee,
    LeadershipPosition,
    Organization,
    Region,
    RiskLevel,
)
from sameboat.orgs.picker import OrganizationField

ORG_FORM_FIELDS = [
    "code",
    "name_zh",
    "name_en",
    "kind",
    "country",
    "region",
    "address",
    "contact_email",
    "contact_phone",
    "is_active",
]
EMPLOYEE_FORM_FIELDS = [
    "employee_no",
    "name",
    "name_en",
    "title",
    "phone",
    "email",
    "home_region",
    "is_active",
]


def values_for_service(form: forms.ModelForm, names: list[str]) -> dict[str, Any]:
    """The cleaned values a service takes as keyword arguments (model field names)."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class OrganizationForm(forms.ModelForm):
    """An organisation's own fields (never its place in the tree)."""

    class Meta:
        model = Organization
        fields = ORG_FORM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = Region.objects.order_by("country", "code")
        self.fields["code"].widget.attrs["autocapitalize"] = "characters"


class MoveForm(forms.Form):
    """Where to move an organisation: its new parent, chosen with the picker."""

    new_parent = OrganizationField(
        label=_("New parent"),
        help_text=_("The organisation and everything under it move under this one. Type part of its name or its code."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(OrganizationField, self.fields["new_parent"]).for_user(user)


class EmployeeForm(forms.ModelForm):
    """A roster entry; on edit the unit can be changed by its code."""

    organization_code = OrganizationField(
        label=_("Unit"),
        required=False,
        help_text=_("Leave as it is to keep the person in the same unit. Type part of its name or its code."),
    )

    class Meta:
        model = Employee
        fields = EMPLOYEE_FORM_FIELDS

    def __init__(self, *args: Any, allow_move: bool = False, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["home_region"]).queryset = Region.objects.order_by("country", "code")
        if allow_move and self.instance.pk:
            field = cast(OrganizationField, self.fields["organization_code"])
            field.for_user(user)
            field.initial = self.instance.organization
        else:
            del self.fields["organization_code"]

    def validate_unique(self) -> None:
        # Uniqueness of the number within the group is the service's to check: the group
        # is not a form field, and the service's message names the number.
        return None


class MembershipGrantForm(forms.Form):
    """Give an existing login a role on this organisation."""

    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, roles: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer only the roles the actor may grant here; the service is still the check.
        if roles is not None:
            field = self.fields["role"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(value, label) for value, label in Role.choices if value in roles]


class LeadershipGroupForm(forms.Form):
    """Set up or rename the organisation's emergency leadership group."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    established_on = DateField(label=_("Established on"), required=False)


class LeadershipMemberForm(forms.Form):
    """Seat someone in the leadership group."""

    position = forms.ChoiceField(label=_("Position"), choices=LeadershipPosition.choices)
    person_name = forms.CharField(label=_("Name"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    duty = forms.CharField(label=_("Duty"), max_length=300, required=False)


class RegionRuleForm(forms.Form):
    """A region's risk level and rules from a date on."""

    effective_from = DateField(label=_("Effective from"))
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    # Typed as people say it, a percentage; stored as the model's 0–1 share (rule_values).
    # One decimal place at most: the model keeps the share to three.
    max_onsite_percent = forms.DecimalField(
        label=_("Maximum on site (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=4,
        decimal_places=1,
        help_text=_("Percentage of staff allowed on site, from 0 to 100."),
        error_messages={
            "invalid": _("The maximum on site is a percentage from 0 to 100."),
            "min_value": _("The maximum on site is a percentage from 0 to 100."),
            "max_value": _("The maximum on site is a percentage from 0 to 100."),
            "max_decimal_places": _("Give the maximum on site with at most one decimal place, such as 12.5."),
            "max_digits": _("The maximum on site is a percentage from 0 to 100."),
        },
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "100", "inputmode": "decimal"}),
    )
    quarantine_days = forms.IntegerField(
        label=_("Quarantine days for arrivals from higher-risk regions"), min_value=0, max_value=60
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def rule_values(self) -> dict[str, Any]:
        """The cleaned answers as ``region_rule_set`` takes them: the percentage as a 0–1 share."""
        values = dict(self.cleaned_data)
        values["max_onsite_ratio"] = values.pop("max_onsite_percent") / 100
        return values

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()


ACTIVE_CHOICES = [("1", _("On the roster")), ("0", _("Left the roster")), ("all", _("Everyone"))]


class PeopleFilterForm(FilterForm):
    """Filters of the roster list and its export (a bad value is a message beside its field)."""

    org = OrganizationField(label=_("Organisation"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Name or employee number"))
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False, initial="1")

    def selector_filters(self) -> dict[str, Any]:
        """The filters as ``employee_list`` takes them."""
        values = self.values()
        active = values["active"] or "1"
        return {
            "organization": values["org"],
            "search": (values["q"] or "").strip(),
            "active": None if active == "all" else active == "1",
        }


class OrgSearchForm(forms.Form):
    """The tree page's search box."""

    q = forms.CharField(label=_("Search organisations"), required=False, max_length=100)
