"""Health pages: the employee's check-in (checkin.py), officers' follow-up (officer.py,
quarantines.py) and the live dashboard with its export (dashboard.py)."""

from sameboat.health.views.checkin import checkin, checkin_repeat, manifest, my_history, service_worker
from sameboat.health.views.dashboard import dashboard, returns_export
from sameboat.health.views.officer import case, cases, fevers, missing, person_checkins, remind
from sameboat.health.views.quarantines import quarantine, quarantine_new, quarantines

__all__ = [
    "case",
    "cases",
    "checkin",
    "checkin_repeat",
    "dashboard",
    "fevers",
    "manifest",
    "missing",
    "my_history",
    "person_checkins",
    "quarantine",
    "quarantine_new",
    "quarantines",
    "remind",
    "returns_export",
    "service_worker",
]
