"""API tokens: exchange a user name and password for a token, or give the token back.

The password check goes through ``django.contrib.auth.authenticate`` with the request, so
django-axes counts failures and locks the name out exactly as on the login page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sameboat.accounts import services as account_services
from sameboat.api import serializers as s
from sameboat.api.errors import error_response
from sameboat.api.schema import AutoSchema, ErrorSerializer


class TokenView(APIView):
    """POST: your API token for a user name and password. DELETE: revoke your token."""

    schema = AutoSchema()
    schema_error_codes = {"POST": ["400"], "DELETE": ["401"]}

    def get_authenticators(self) -> list[Any]:
        # Asking for a token needs no credentials but the password; a stale session or
        # token in the same request must not turn it into a 401 or a CSRF failure.
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self) -> list[Any]:
        if self.request is not None and self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={
            200: s.TokenResponseSerializer,
            400: OpenApiResponse(ErrorSerializer, description=_("Missing fields, or a wrong user name or password.")),
            429: OpenApiResponse(ErrorSerializer, description=_("Too many failed attempts: locked out for a while.")),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Return the caller's token, creating it on first use."""
        payload = s.TokenRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            request=django_request,
            username=payload.validated_data["username"],
            password=payload.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # AxesMiddleware would swap this answer for the HTML lockout page; the refusal
            # itself is already made (authenticate returned nothing), so answer in JSON.
            django_request.axes_locked_out = False  # type: ignore[attr-defined]
            return error_response(
                "locked_out",
                _("Too many failed attempts; try again later."),
                getattr(settings, "AXES_HTTP_RESPONSE_CODE", status.HTTP_429_TOO_MANY_REQUESTS),
            )
        if user is None or not user.is_active:
            return error_response(
                "invalid_credentials", _("The user name or password is wrong."), status.HTTP_400_BAD_REQUEST
            )
        key = account_services.api_token_issue(user=user)
        # A token is a login: axes clears the failures, last_login is kept up to date.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        return Response({"token": key})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        """Revoke your token; clients using it must ask for a new one."""
        account_services.api_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
