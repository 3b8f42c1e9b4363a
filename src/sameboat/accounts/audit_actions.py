"""The audit action codes of logins, roles and API tokens."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "accounts.user.created": _("Login created"),
    "accounts.user.language_set": _("Preferred language set"),
    "accounts.membership.granted": _("Role granted"),
    "accounts.membership.revoked": _("Role revoked"),
    "accounts.membership.grant_refused": _("Role grant refused"),
    "accounts.membership.revoke_refused": _("Role revocation refused"),
    "accounts.password.changed": _("Password changed"),
    "accounts.api_token.issued": _("API token issued"),
    "accounts.api_token.revoked": _("API token revoked"),
}

# Keys of this app's audit payloads that are no field of the record's model.
AUDIT_FIELDS = {
    "api_tokens_revoked": _("API tokens revoked"),
    "usable": _("Password usable"),
    "expiry": _("Expires"),
}
