"""The audit action codes of health reporting: check-ins, follow-up, quarantines, reads."""

from __future__ import annotations

from typing import Any

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


def audit_fields() -> dict[str, Any]:
    """Keys of this app's audit payloads that are no field of the record's model: what a read
    named, an edit's revision, a dismissal's reason, the demo history's counts."""
    return {
        "checkins": _("Check-ins"),
        "quarantines": _("Quarantines"),
        "cases": _("Follow-up cases"),
        "notes": _("Case notes"),
        "employees": _("People"),
        "people": _("People"),
        "revision": _("Revision"),
        "dismissed_because": _("Reason for dismissal"),
        "case_notes": _("Case notes"),
        "follow_up_cases": _("Follow-up cases"),
        "daily_returns": _("Daily returns"),
        "days": _("Days"),
        "raw_days": _("Days of raw check-ins"),
    }
