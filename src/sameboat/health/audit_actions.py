"""The audit action codes of health reporting: check-ins, follow-up, quarantines, reads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "health.checkin.submitted": _("Check-in submitted"),
    "health.checkin.edited": _("Check-in corrected"),
    "health.checkins.imported": _("Check-ins imported"),
    "health.case.opened": _("Follow-up case opened"),
    "health.case.status_changed": _("Follow-up case status changed"),
    "health.case.noted": _("Note added to a follow-up case"),
    "health.quarantine.proposed": _("Quarantine proposed"),
    "health.quarantine.started": _("Quarantine started"),
    "health.quarantine.confirmed": _("Quarantine confirmed"),
    "health.quarantine.dismissed": _("Quarantine proposal dismissed"),
    "health.quarantine.released": _("Quarantine ended"),
    "health.chase.sent": _("Check-in reminders sent"),
    "health.retention.purged": _("Old health records purged"),
    "health.checkins.read": _("Check-ins viewed"),
    "health.cases.read": _("Follow-up cases viewed"),
    "health.quarantines.read": _("Quarantines viewed"),
    "health.dashboard.read": _("Health dashboard viewed"),
    # Health's step of the demo world (sameboat.health.demo) records its history's counts.
    "demo.health.built": _("Demo health history built"),
}
