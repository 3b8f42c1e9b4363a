"""What the supplies services share: permission checks and model validation as DomainError."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from sameboat.accounts.scoping import has_role, reaches
from sameboat.core.exceptions import DomainError, PermissionDenied


def require_reach(actor: Any, organization: Any, roles: Iterable[str]) -> None:
    """Refuse unless the actor holds one of ``roles`` on the organisation or above."""
    if not reaches(actor, organization, roles):
        raise PermissionDenied(_("You may not manage the supplies of %(org)s.") % {"org": organization})


def require_role(actor: Any, roles: Iterable[str]) -> None:
    """Refuse unless the actor holds one of ``roles`` somewhere."""
    if not has_role(actor, *roles):
        raise PermissionDenied(_("You may not change the supplies catalogue."))


def clean_or_refuse(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    """``full_clean`` the record; its first error becomes a DomainError naming the field."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors = exc.message_dict
        field = next(iter(errors))
        raise DomainError(
            " ".join(str(m) for m in errors[field]), field=None if field == "__all__" else field, code="invalid"
        ) from exc
