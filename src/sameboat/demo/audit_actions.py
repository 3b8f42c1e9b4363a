"""The demo builder's audit action codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "demo.world.built": _("Demo world built"),
    "demo.user.made_superuser": _("Demo login made administrator"),
}
