"""The audit action codes of the organisation tree, regions, rosters and leadership groups."""

from __future__ import annotations

from typing import Any

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


def audit_fields() -> dict[str, Any]:
    """Keys of this app's audit payloads that are no field of the record's model: a region's
    rules (a region's event carries its new rule's fields), a parent by its code, the demo
    world's counts."""
    from sameboat.orgs.models import RegionRule

    rule = {name: RegionRule._meta.get_field(name) for name in RULE_FIELDS}
    return {
        **rule,
        "parent": _("Parent organisation"),
        "organisations": _("Organisations"),
        "organizations": _("Organisations"),
        "employees": _("People"),
        "leadership_groups": _("Leadership groups"),
        "leadership_members": _("Leadership group members"),
        "regions": _("Regions"),
        "region_rules": _("Region rules"),
        "memberships": _("Roles"),
        "logins": _("Logins"),
    }


RULE_FIELDS = ("effective_from", "risk_level", "max_onsite_ratio", "quarantine_days", "note")
