"""Health's notification codes: what each says, filled in the reader's language when read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sameboat.core.notify import register_event


def register_notifications() -> None:
    """Called from ``HealthConfig.ready``."""
    register_event("health.case.opened", _("Follow-up needed: %(person)s (%(unit)s)"), _("%(reason)s"))
    register_event("health.cases.opened", _("New follow-up cases in %(unit)s: %(n)s"))
    register_event("health.quarantine.proposed", _("Quarantine proposed: %(person)s (%(unit)s)"), _("%(reason)s"))
    register_event(
        "health.checkin.reminder",
        _("Please file your health check-in for %(day)s"),
        _("It takes less than 30 seconds."),
    )
    register_event(
        "health.checkin.missing",
        _("%(n)s people in %(unit)s have not reported for %(day)s"),
        _("Open the unit's list to see who, and remind them again."),
    )
