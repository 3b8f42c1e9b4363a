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
from sameboat.accounts.services import user_language_set
from sameboat.core.exceptions import DomainError


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

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = getattr(form.get_user(), "language", "")
        return apply_language_cookie(response, language) if language else response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The person's memberships and preferred language."""
    user: Any = request.user
    form = LanguageForm(request.POST or None, initial={"language": user.language})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        try:
            user_language_set(actor=user, user=user, language=language)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            if language:
                translation.activate(language)
            messages.success(request, _("Your preferences were saved."))
            return apply_language_cookie(redirect("accounts:profile"), language)
    memberships = user.memberships.select_related("organization").order_by("organization__path", "role")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})
