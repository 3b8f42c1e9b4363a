"""Writes to logins and memberships."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sameboat.accounts.models import Membership, User
from sameboat.accounts.roles import ADMIN_ROLES, Role, grant_refusal
from sameboat.accounts.scoping import forget_memberships, membership_paths
from sameboat.core.audit import Changes, audit, snapshot
from sameboat.core.exceptions import DomainError, PermissionDenied


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
    audit(
        "accounts.user.created",
        user,
        Changes(after=snapshot(user, ["username", "email", "display_name", "language"])),
        actor=actor,
    )
    return user


def _manages_anything(actor: Any) -> bool:
    from sameboat.accounts.scoping import has_role

    return has_role(actor, *ADMIN_ROLES)


# Machine codes of refused grants and revocations (the API's error code; the audit's reason).
_REFUSAL_MESSAGES = {
    "self": gettext_lazy("Nobody may grant roles to themselves or take away their own."),
    "out_of_scope": gettext_lazy("On %(org)s you may not grant or revoke roles."),
    "above_own_role": gettext_lazy("On %(org)s you may only grant or revoke roles at or below your own."),
    "top_role_from_root_only": gettext_lazy(
        "Only HQ of the whole tree (or an administrator) may grant or revoke the role %(role)s."
    ),
}


def _refusal(actor: Any, organization: Any, role: str, user: Any = None) -> str | None:
    """Why ``actor`` may not grant (or revoke) ``role`` on ``organization`` for ``user``."""
    if actor is None:  # system work: the demo builder
        return None
    if not (getattr(actor, "is_superuser", False) and getattr(actor, "is_active", False)):
        # The rules that do not depend on who receives the role come first, so the API
        # (which checks them before looking the person up) answers with the same code. A
        # tree root's path is one step long (treebeard's steplen).
        reason = grant_refusal(membership_paths(actor), organization.path, role, organization.steplen)
        if reason is not None:
            return reason
    if user is not None and getattr(actor, "pk", None) == user.pk:
        return "self"
    return None


def _refuse(*, actor: Any, verb: str, reason: str, username: str, user: Any, organization: Any, role: str) -> None:
    """Audit a refused grant or revocation in its own transaction, then raise the 403."""
    with transaction.atomic():
        audit(
            f"accounts.membership.{verb}_refused",
            user,
            Changes(after={"user": username, "organization": organization.code, "role": role, "reason": reason}),
            actor=actor,
            organization=organization,
            object_repr=f"{username} · {role} · {organization.code}",
        )
    # Out of scope keeps the generic code clients already know; the others name the rule.
    code = "permission_denied" if reason == "out_of_scope" else f"{verb}_{reason}"
    message = _REFUSAL_MESSAGES[reason] % {"org": organization, "role": Role(role).label}
    raise PermissionDenied(str(message), code=code)


def _refuse_unless_allowed(*, actor: Any, verb: str, user: Any, username: str, organization: Any, role: str) -> None:
    """Raise the audited refusal when the grant rule forbids ``verb`` of ``role`` here."""
    reason = _refusal(actor, organization, role, user)
    if reason is not None:
        _refuse(
            actor=actor, verb=verb, reason=reason, username=username, user=user, organization=organization, role=role
        )


def grantable_roles(*, actor: Any, organization: Any) -> list[str]:
    """The roles ``actor`` may grant on ``organisation`` to someone else (for forms)."""
    return [role for role in Role.values if _refusal(actor, organization, role) is None]


def membership_grant_check(*, actor: Any, username: str, organization: Any, role: str) -> None:
    """Refuse (audited, 403) a grant the actor may not make whoever receives it.

    The API calls this before looking the person up, so that someone who may not grant
    here learns nothing about which logins exist.
    """
    _refuse_unless_allowed(
        actor=actor, verb="grant", user=None, username=username, organization=organization, role=role
    )


def membership_grant(*, actor: Any, user: User, organization: Any, role: str) -> Membership:
    """Give ``user`` a role on ``organisation`` (it reaches the whole subtree).

    Only roles at or below one the actor holds on that subtree (``roles.ROLE_COVERS``),
    never to themselves, top roles only from a tree root; a refusal is audited and raised.
    Not atomic itself: the refusal's audit event must outlive the refused change.
    """
    if role not in Role.values:
        raise DomainError(_("Unknown role %(role)s.") % {"role": role}, field="role")
    _refuse_unless_allowed(
        actor=actor, verb="grant", user=user, username=user.username, organization=organization, role=role
    )
    return _membership_create(actor=actor, user=user, organization=organization, role=role)


@transaction.atomic
def _membership_create(*, actor: Any, user: User, organization: Any, role: str) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, organization=organization, role=role)
    if created:
        audit(
            "accounts.membership.granted",
            membership,
            Changes(after={"user": user.username, "organization": organization.code, "role": role}),
            actor=actor,
            organization=organization,
        )
    forget_memberships(user)
    return membership


def membership_revoke(*, actor: Any, membership: Membership) -> None:
    """Take a role away: only one the actor could grant, and never their own.

    Refusing one's own keeps anyone from locking a tree out by mistake: a root HQ role can
    only be revoked by another root HQ (or an administrator), so one always remains.
    """
    organization, user = membership.organization, membership.user
    _refuse_unless_allowed(
        actor=actor, verb="revoke", user=user, username=user.username, organization=organization, role=membership.role
    )
    _membership_delete(actor=actor, membership=membership)


@transaction.atomic
def _membership_delete(*, actor: Any, membership: Membership) -> None:
    organization = membership.organization
    audit(
        "accounts.membership.revoked",
        membership,
        Changes(before={"user": membership.user.username, "organization": organization.code, "role": membership.role}),
        actor=actor,
        organization=organization,
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
        audit(
            "accounts.user.language_set",
            user,
            Changes(before={"language": before}, after={"language": language}),
            actor=actor,
        )
    return user


# --- API tokens ------------------------------------------------------------------------------
# django-rest-knox keeps only each token's SHA-512 digest; the token itself is shown once.


@transaction.atomic
def api_token_issue(*, user: Any) -> tuple[str, Any]:
    """A new API token for ``user``: (the token, its expiry time or None); audited.

    The user's expired tokens are dropped, and past SAMEBOAT_API_TOKENS_PER_USER live ones
    the oldest go, so a script that logs in on every run does not pile up tokens.
    """
    from django.utils import timezone
    from knox.models import get_token_model

    token_model = get_token_model()
    token_model.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    keep = max(settings.SAMEBOAT_API_TOKENS_PER_USER - 1, 0)
    surplus = list(token_model.objects.filter(user=user).order_by("-created").values_list("pk", flat=True)[keep:])
    if surplus:
        token_model.objects.filter(pk__in=surplus).delete()
    instance, token = token_model.objects.create(user=user)
    # The token itself never goes into the trail: it is a credential.
    audit("accounts.api_token.issued", user, Changes(after={"expiry": instance.expiry}), actor=user)
    return token, instance.expiry


@transaction.atomic
def api_token_revoke(*, user: Any, token: Any = None) -> int:
    """Delete one of the user's tokens, or all of them (``token=None``); how many went.

    Every client using a deleted token must ask for a new one.
    """
    from knox.models import get_token_model

    tokens = get_token_model().objects.filter(user=user)
    if token is not None:
        tokens = tokens.filter(pk=token.pk)
    deleted, _detail = tokens.delete()
    if deleted:
        audit("accounts.api_token.revoked", user, Changes(after={"count": deleted, "all": token is None}), actor=user)
    return deleted


# Who is changing a login's password or deactivating it, for the audit event the model
# hook (accounts/signals.py) records; views and the admin set it with ``acting_as``.
_credentials_actor: ContextVar[Any] = ContextVar("credentials_actor", default=None)


@contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Name the actor of password changes and deactivations saved inside the block."""
    reset = _credentials_actor.set(actor)
    try:
        yield
    finally:
        _credentials_actor.reset(reset)


@transaction.atomic
def user_credentials_changed(*, user: Any, password_changed: bool, deactivated: bool) -> int:
    """A login's password changed or it was deactivated: revoke all its API tokens and
    audit it (no secrets in the trail); how many tokens went.

    Called by the User save hook, so every path counts: the password change and reset
    pages, the admin, ``set_password`` in services and commands.
    """
    from knox.models import get_token_model

    revoked, _detail = get_token_model().objects.filter(user=user).delete()
    actor = _credentials_actor.get()
    if password_changed:
        audit(
            "accounts.password.changed",
            user,
            Changes(after={"usable": user.has_usable_password(), "api_tokens_revoked": revoked}),
            actor=actor,
        )
    elif revoked:
        audit(
            "accounts.api_token.revoked",
            user,
            Changes(after={"count": revoked, "all": True, "reason": "deactivated"}),
            actor=actor,
        )
    return revoked
