"""The employee's check-in form (a plain form: it works without JavaScript)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sameboat.health.models import CommuteMode, Symptom, WorkStatus
from sameboat.orgs.models import Region
from sameboat.orgs.selectors import region_list

YES_NO = [("no", _("No")), ("yes", _("Yes"))]
NO_SYMPTOMS = "none"


def _yes(value: str) -> bool:
    return value == "yes"


class TemperatureField(forms.DecimalField):
    """A temperature typed on a phone: a decimal comma is as good as a point."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class RegionSelect(forms.Select):
    """Region options labelled by name, valued by id, carrying the code for the offline script."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        region = getattr(value, "instance", None)
        if isinstance(region, Region):
            # The API takes region codes; checkin.js reads them from here when it queues.
            option["attrs"]["data-code"] = region.code
        return option


class RegionChoiceField(forms.ModelChoiceField):
    """Regions by name in the reader's language (Region.name picks Chinese or English)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


# The questions that say "you", as asked about someone else ({name}) by an officer filing
# for them. Whole sentences per language: Chinese and English put the name differently.
ABOUT_SOMEONE_ELSE = {
    "region": _("Where is {name} today?"),
    "travelled": _("Has {name} travelled outside their home region in the last 14 days?"),
    "contact": _("Has {name} been in contact with a confirmed or suspected case in the last 14 days?"),
    "commute_mode": _("How does {name} get to work today?"),
}


class CheckInForm(forms.Form):
    """Today's answers; the service (checkin_submit) has the last word on plausibility."""

    temperature = TemperatureField(
        label=_("Temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        widget=forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "autocomplete": "off",
                "placeholder": "36.5",
                "size": 5,
                "data-testid": "checkin-temperature",
            }
        ),
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms today"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(NO_SYMPTOMS, _("None")), *Symptom.choices],
    )
    region = RegionChoiceField(label=_("Where are you today?"), queryset=Region.objects.none(), widget=RegionSelect)
    travelled = forms.TypedChoiceField(
        label=_("Travelled outside your home region in the last 14 days?"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        initial="no",
    )
    contact = forms.TypedChoiceField(
        label=_("Contact with a confirmed or suspected case in the last 14 days?"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        initial="no",
    )
    work_status = forms.ChoiceField(label=_("Work status today"), choices=WorkStatus.choices, widget=forms.RadioSelect)
    commute_mode = forms.ChoiceField(
        label=_("How do you get to work today?"),
        choices=CommuteMode.choices,
        initial=CommuteMode.NONE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, in_quarantine: bool = False, person: str = "", **kwargs: Any):
        """``person``: the name of whoever the check-in is for, when an officer files it for
        them; the questions then speak of that person instead of "you"."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = region_list()
        if person:
            for name, label in ABOUT_SOMEONE_ELSE.items():
                self.fields[name].label = format_lazy(label, name=person)
        if in_quarantine:
            # A quarantine blocks "on site" until it ends: the choice is not offered at all.
            work_status = cast(forms.ChoiceField, self.fields["work_status"])
            work_status.choices = [c for c in WorkStatus.choices if c[0] != WorkStatus.ON_SITE]
            work_status.error_messages["invalid_choice"] = _(
                "In quarantine today: “On site” is not possible until the quarantine ends."
            )

    def clean_symptoms(self) -> list[str]:
        """“None” or a list of symptoms, never both."""
        chosen = [s for s in self.cleaned_data["symptoms"] if s != NO_SYMPTOMS]
        if chosen and NO_SYMPTOMS in self.cleaned_data["symptoms"]:
            raise forms.ValidationError(_("Choose “None” or symptoms, not both."))
        return chosen
