"""API authentication: django-rest-knox's hashed, expiring tokens with a leaner lookup."""

from __future__ import annotations

import binascii
from hmac import compare_digest
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth as knox_auth
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions as drf_exceptions

from sameboat.api.fastpath import token_candidates


class TokenAuthentication(knox_auth.TokenAuthentication):
    """knox's token check, with the tokens of the key prefix and their users read in one
    query (``api.fastpath.token_candidates``).

    Same answers as knox's (a test holds them equal): the token is found by its first characters and
    matched by a constant-time comparison of its SHA-512 digest; an expired token and an
    inactive user are refused with knox's own messages. Unlike knox, an expired token is
    left for the purge (``api_token_issue`` drops a user's expired tokens) instead of being
    deleted here, so a refused request writes nothing.
    """

    def authenticate_credentials(self, token: bytes) -> tuple[Any, Any]:
        invalid = _("Invalid token.")
        try:
            text = token.decode("utf-8")
            digest = hash_token(text)
        except (UnicodeDecodeError, TypeError, binascii.Error) as exc:
            raise drf_exceptions.AuthenticationFailed(invalid) from exc
        pairs = token_candidates(text[: CONSTANTS.TOKEN_KEY_LENGTH])
        now = timezone.now()
        for user, auth_token in pairs:
            if auth_token.expiry is not None and auth_token.expiry < now:
                continue
            if not compare_digest(digest, auth_token.digest):
                continue
            if not user.is_active:
                raise drf_exceptions.AuthenticationFailed(_("User inactive or deleted."))
            return user, auth_token
        raise drf_exceptions.AuthenticationFailed(invalid)


class TokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI description of the scheme: "Authorization: Token <token>"."""

    target_class = "sameboat.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> Any:
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")  # noqa: S106 - a header prefix
