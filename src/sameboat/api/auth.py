"""API tokens: exchange a user name and password for a token, or give tokens back.

Tokens are django-rest-knox's: only a digest is stored, each expires (REST_KNOX TOKEN_TTL)
and can be revoked. The password check goes through ``django.contrib.auth.authenticate``
with the request, so django-axes counts failures and locks the (user name, client
address) out exactly as on the login page; throttles limit token requests and failed
logins per client address (api/throttling.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from knox.models import get_token_model
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sameboat.accounts import services as account_services
from sameboat.api.errors import error_response
from sameboat.api.schema import ErrorSerializer
from sameboat.api.throttling import AuthFailureThrottle, TokenRequestThrottle


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=gettext_lazy('Send it as the header "Authorization: Token <token>".'))
    expiry = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy("When the token stops working; ask for a new one before then.")
    )


class TokenView(APIView):
    """POST: a new API token for a user name and password. DELETE: revoke tokens."""

    schema_error_codes = {"POST": ["400", "429"], "DELETE": ["401"]}
    # Failures first: an address over its failed-login budget is refused before its
    # request is even counted or a password hashed.
    throttle_classes = [AuthFailureThrottle, TokenRequestThrottle]

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
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(ErrorSerializer, description=_("Missing fields, or a wrong user name or password.")),
            429: OpenApiResponse(
                ErrorSerializer,
                description=_("Too many requests or failed attempts: locked out for a while (see Retry-After)."),
            ),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Issue a new token; it is shown only now (the server keeps only its digest)."""
        payload = TokenRequestSerializer(data=request.data)
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
                headers={"Retry-After": str(max(1, round(float(settings.AXES_COOLOFF_TIME or 0) * 3600)))},
            )
        if user is None or not user.is_active:
            return error_response(
                "invalid_credentials", _("The user name or password is wrong."), status.HTTP_400_BAD_REQUEST
            )
        token, expiry = account_services.api_token_issue(user=user)
        # A token is a login: axes clears the failures, last_login is kept up to date.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        return Response(TokenResponseSerializer({"token": token, "expiry": expiry}).data)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[
            OpenApiParameter(
                "all",
                OpenApiTypes.BOOL,
                description=_("Revoke every token of yours (log out everywhere), not only this one."),
            )
        ],
    )
    def delete(self, request: Request) -> Response:
        """Revoke the token of this request (or all yours with ?all=true, or when signed in
        with a session); clients using a revoked token must ask for a new one."""
        everything = request.query_params.get("all", "").lower() in {"1", "true", "yes"}
        current = request.auth if isinstance(request.auth, get_token_model()) else None
        account_services.api_token_revoke(user=request.user, token=None if everything else current)
        return Response(status=status.HTTP_204_NO_CONTENT)
