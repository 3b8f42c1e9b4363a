"""The audit action codes of the organisation tree, regions, rosters and leadership groups."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "orgs.organization.created": _("Organisation created"),
    "orgs.organization.updated": _("Organisation changed"),
    "orgs.organization.moved": _("Organisation moved"),
    "orgs.region.created": _("Region created"),
    "orgs.region.rules_set": _("Region rules set"),
    "orgs.employee.created": _("Person added to the roster"),
    "orgs.employee.updated": _("Roster entry changed"),
    "orgs.leadership.created": _("Leadership group created"),
    "orgs.leadership.updated": _("Leadership group changed"),
    "orgs.leadership.member_added": _("Leadership group member added"),
    "orgs.leadership.member_removed": _("Leadership group member removed"),
    "orgs.import.employees": _("Roster imported"),
    "orgs.import.employee_created": _("Person added by a roster import"),
    "orgs.import.employee_updated": _("Roster entry changed by an import"),
    "orgs.import.employee_deactivated": _("Person deactivated by a roster import"),
    "orgs.import.organizations": _("Organisations imported"),
    "orgs.people.exported": _("Roster exported"),
}
