"""Writes to logins and memberships."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from sameboat.accounts.models import Membership, User
from sameboat.accounts.roles import ADMIN_ROLES, Role
from sameboat.core.audit import audit_record, snapshot
from sameboat.core.exceptions import DomainError, PermissionDenied
from sameboat.core.scoping import forget_memberships, reaches


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None = None,
    email: str = "",
    display_name: str = "",
    language: str = "",
) -> User:
    """Create a login (administrators, HQ and unit managers; the demo builder as system)."""
    if actor is not None and not (actor.is_superuser or _manages_anything(actor)):
        raise PermissionDenied(_("You may not create logins."))
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("The user name %(name)s is taken.") % {"name": username}, field="username")
    user = User(username=username, email=email, display_name=display_name, language=language)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        actor=actor,
        action="accounts.user.created",
        obj=user,
        after=snapshot(user, ["username", "email", "display_name", "language"]),
    )
    return user


def _manages_anything(actor: Any) -> bool:
    from sameboat.core.scoping import has_role

    return has_role(actor, *ADMIN_ROLES)


@transaction.atomic
def membership_grant(*, actor: Any, user: User, organization: Any, role: str) -> Membership:
    """Give ``user`` a role on ``organisation`` (it reaches the whole subtree)."""
    if role not in Role.values:
        raise DomainError(_("Unknown role %(role)s.") % {"role": role}, field="role")
    if actor is not None and not reaches(actor, organization, ADMIN_ROLES):
        raise PermissionDenied(_("You may not grant roles on %(org)s.") % {"org": organization})
    membership, created = Membership.objects.get_or_create(user=user, organization=organization, role=role)
    if created:
        audit_record(
            actor=actor,
            action="accounts.membership.granted",
            obj=membership,
            organization=organization,
            after={"user": user.username, "organization": organization.code, "role": role},
        )
    forget_memberships(user)
    return membership


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> None:
    """Take a role away."""
    organization = membership.organization
    if actor is not None and not reaches(actor, organization, ADMIN_ROLES):
        raise PermissionDenied(_("You may not revoke roles on %(org)s.") % {"org": organization})
    audit_record(
        actor=actor,
        action="accounts.membership.revoked",
        obj=membership,
        organization=organization,
        before={"user": membership.user.username, "organization": organization.code, "role": membership.role},
    )
    user = membership.user
    membership.delete()
    forget_memberships(user)


@transaction.atomic
def user_language_set(*, actor: Any, user: Any, language: str) -> Any:
    """Set a person's preferred language ("" follows the browser); only for themselves."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("You may only change your own preferences."))
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise DomainError(_("Unknown language %(code)s.") % {"code": language}, field="language")
    before = user.language
    if before != language:
        user.language = language
        user.save(update_fields=["language"])
        audit_record(
            actor=actor,
            action="accounts.user.language_set",
            obj=user,
            before={"language": before},
            after={"language": language},
        )
    return user


# --- API tokens ------------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, user: Any) -> str:
    """The user's API token key, created (and audited) on first use."""
    from rest_framework.authtoken.models import Token

    token, created = Token.objects.get_or_create(user=user)
    if created:
        # The key itself never goes into the trail: it is a credential.
        audit_record(actor=user, action="accounts.api_token.issued", obj=user)
    return token.key


@transaction.atomic
def api_token_revoke(*, user: Any) -> bool:
    """Delete the user's API token (every client using it must log in again)."""
    from rest_framework.authtoken.models import Token

    deleted, _detail = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=user, action="accounts.api_token.revoked", obj=user)
    return bool(deleted)
