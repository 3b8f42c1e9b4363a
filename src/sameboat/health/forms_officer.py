"""Forms of the officer's follow-up pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sameboat.core.filters import FilterForm
from sameboat.core.widgets import DateField
from sameboat.health.models import CaseStatus, QuarantinePlace
from sameboat.orgs.picker import OrganizationField


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CaseNoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class QuarantineForm(forms.Form):
    employee_no = forms.CharField(label=_("Employee number"), max_length=40)
    start = DateField(label=_("Start"), initial=timezone.localdate)
    place = forms.ChoiceField(label=_("Place"), choices=QuarantinePlace.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    planned_end = DateField(
        label=_("Planned end"),
        required=False,
        help_text=_("Leave empty to use the quarantine days of the unit's region."),
    )


class ReleaseForm(forms.Form):
    released_on = DateField(
        label=_("First day back"),
        initial=timezone.localdate,
        help_text=_("Today, or a later day when the return is planned ahead."),
    )


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Why no quarantine is needed"), max_length=300)


class UnitFilterForm(FilterForm):
    """The unit filter of the officer's lists: any organisation in scope, chosen with the
    searchable picker; one that is unknown or out of scope is a message beside the field."""

    org = OrganizationField(label=_("Unit"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choosing a unit shows its list at once (app.js); without JavaScript, a button does.
        self.fields["org"].widget.attrs["data-autosubmit"] = ""


class UnitDayFilterForm(UnitFilterForm):
    """The unit and day filters of the lists of one day (who has not reported, fevers)."""

    day = DateField(label=_("Day"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].widget.attrs.update({"max": timezone.localdate().isoformat(), "data-autosubmit": ""})
