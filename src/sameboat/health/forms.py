"""The employee's check-in form (a plain form: it works without JavaScript)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sameboat.health.models import CommuteMode, Symptom, WorkStatus
from sameboat.orgs.models import Region

YES_NO = [("no", _("No")), ("yes", _("Yes"))]


class CheckInForm(forms.Form):
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        widget=forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "autocomplete": "off",
                "placeholder": "36.5",
                "data-testid": "checkin-temperature",
            }
        ),
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms today"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("none", _("None")), *Symptom.choices],
    )
    region = forms.ModelChoiceField(label=_("Where are you today?"), queryset=Region.objects.order_by("code"))
    travelled = forms.TypedChoiceField(
        label=_("Travelled outside your home region in the last 14 days?"),
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )
    contact = forms.TypedChoiceField(
        label=_("Contact with a confirmed or suspected case in the last 14 days?"),
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )
    work_status = forms.ChoiceField(label=_("Work status today"), choices=WorkStatus.choices, widget=forms.RadioSelect)
    commute_mode = forms.ChoiceField(
        label=_("How do you get to work?"), choices=CommuteMode.choices, initial=CommuteMode.NONE
    )

    def __init__(self, *args: Any, in_quarantine: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The region's code travels with each option so the offline script can send it.
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.label_from_instance = lambda r: f"{r.name} ({r.code})"  # type: ignore[method-assign,assignment]
        status = self.fields["work_status"]
        if in_quarantine and isinstance(status, forms.ChoiceField):
            status.choices = [c for c in WorkStatus.choices if c[0] != WorkStatus.ON_SITE]

    def clean_symptoms(self) -> list[str]:
        chosen = [s for s in self.cleaned_data["symptoms"] if s != "none"]
        if chosen and "none" in self.cleaned_data["symptoms"]:
            raise forms.ValidationError(_("Choose “None” or symptoms, not both."))
        return chosen
