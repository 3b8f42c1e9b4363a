"""The records of this app that notifications may name, looked up when a person reads them.

Each answers only what the reader may see now: a unit they no longer reach, or a person
who left their scope, reads as a neutral placeholder rather than a name.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sameboat.accounts.scoping import scope
from sameboat.core.i18n import pick
from sameboat.core.notify import register_reference
from sameboat.orgs.models import Employee, Organization, Region, RiskLevel


def _organizations(reader: Any, ids: list[Any]) -> dict[str, str]:
    rows = scope(Organization.objects.filter(pk__in=ids), reader, via=None).values_list("pk", "name_zh", "name_en")
    return {str(pk): pick(zh, en) for pk, zh, en in rows}


def _employees(reader: Any, ids: list[Any]) -> dict[str, str]:
    rows = scope(Employee.objects.filter(pk__in=ids), reader, own="user").values_list("pk", "name", "name_en")
    return {str(pk): pick(zh, en) for pk, zh, en in rows}


def _regions(reader: Any, ids: list[Any]) -> dict[str, str]:
    # Regions and their risk levels are public reference data, named for everyone.
    rows = Region.objects.filter(pk__in=ids).values_list("pk", "name_zh", "name_en")
    return {str(pk): pick(zh, en) for pk, zh, en in rows}


def _risk_levels(reader: Any, codes: list[Any]) -> dict[str, str]:
    return {str(code): str(RiskLevel(code).label) for code in codes if code in RiskLevel.values}


def register_notifications() -> None:
    """Called from ``OrgsConfig.ready``."""
    register_reference("orgs.organization", _organizations, _("a unit"))
    register_reference("orgs.employee", _employees, _("someone"))
    register_reference("orgs.region", _regions, _("another region"))
    register_reference("orgs.risk_level", _risk_levels, _("a higher risk"))
