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
    # Alerts for the epidemic-prevention office (issue 9): who hears what, see
    # services/alerts.py.
    register_event(
        "health.case.confirmed",
        _("Confirmed case: %(person)s (%(unit)s)"),
        _("A follow-up case was confirmed on %(day)s. Open it for its history."),
    )
    register_event(
        "health.fever.reported",
        _("Fever: %(person)s (%(unit)s), %(t)s °C"),
        _("Reported on %(day)s by someone whose follow-up case is already open."),
    )
    register_event(
        "health.fevers.reported",
        _("Fevers reported in %(unit)s: %(n)s"),
        _("Reported on %(day)s by people whose follow-up cases are already open."),
    )
    register_event(
        "health.rate.low",
        _("Reporting rate in %(unit)s: %(rate)s%% at the cut-off on %(day)s"),
        _("Below the target of %(target)s%%: %(missing)s people have not reported."),
    )
