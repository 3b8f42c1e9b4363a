"""Account pages: login (with the person's language applied) and the profile."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from sameboat.accounts.forms import LanguageForm, LoginForm
from sameboat.accounts.services import acting_as, user_language_set
from sameboat.core.client_ip import client_ip
from sameboat.core.forms import domain_errors
from sameboat.core.throttle import Throttled, throttle_check, throttle_hit, throttled_response


def apply_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    """Remember the language in the same cookie Django's language switcher sets."""
    if not language:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH)
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(Any, settings.LANGUAGE_COOKIE_SAMESITE),
    )
    return response


class SameboatLoginView(auth_views.LoginView):
    """Django's login, in our template, switching to the person's preferred language."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # An address that failed too many logins lately (any user names), or that posts
        # too fast, is refused before a password is hashed; axes still locks out each
        # (user name, address) after its own failures.
        ident = f"ip:{client_ip(request)}"
        try:
            throttle_check("auth_failures", ident)
            throttle_hit("login", ident)
        except Throttled as exc:
            return throttled_response(request, exc)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = getattr(form.get_user(), "language", "")
        return apply_language_cookie(response, language) if language else response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; the change is audited as the person's own (the User
    save hook revokes their API tokens and writes the event)."""

    def form_valid(self, form: Any) -> HttpResponse:
        with acting_as(self.request.user):
            return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset by e-mailed link; the new password is set by the person themselves."""

    def form_valid(self, form: Any) -> HttpResponse:
        with acting_as(form.user):
            return super().form_valid(form)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The person's memberships and preferred language."""
    user: Any = request.user
    form = LanguageForm(request.POST or None, initial={"language": user.language})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        with domain_errors(form) as outcome:
            user_language_set(actor=user, user=user, language=language)
        if not outcome.failed:
            if language:
                translation.activate(language)
            messages.success(request, _("Your preferences were saved."))
            return apply_language_cookie(redirect("accounts:profile"), language)
    memberships = user.memberships.select_related("organization").order_by("organization__path", "role")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})
