"""Forms of the account pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The login form, with the browser hints a phone keyboard needs."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "autocomplete": "username", "data-testid": "login-username"}
        )
        self.fields["password"].widget.attrs.update(
            {"autocomplete": "current-password", "data-testid": "login-password"}
        )


class LanguageForm(forms.Form):
    """The person's preferred language; empty follows the browser."""

    language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,
        choices=[("", _("As my browser asks")), *settings.LANGUAGES],
    )
