"""What orgs adds to the shared screens: menu entries, dashboard shortcuts and tiles, the roster
and organisation imports, and its URLs in the scope matrix. ``OrgsConfig.ready()`` calls
``register()``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sameboat.accounts.roles import ADMIN_ROLES, READ_ROLES, ROSTER_ROLES
from sameboat.accounts.scoping import has_role
from sameboat.core.contributions import (
    DashboardTile,
    NavEntry,
    dashboard_tiles,
    navigation,
    scope_entries,
    shortcuts,
)
from sameboat.core.import_kinds import (
    ImportKind,
    choice_labels,
    choice_list,
    import_kinds,
    may_import,
    yes_no,
    yes_no_words,
)
from sameboat.orgs.importers import EMPLOYEE_COLUMNS, ORG_COLUMNS
from sameboat.orgs.models import OrgKind
from sameboat.orgs.selectors import employee_list, organization_list, organization_top_of_scope


def reads(user: Any) -> bool:
    """Every reading role sees the tree, the roster and the regions."""
    return has_role(user, *READ_ROLES)


def region_words() -> str:
    """What a region-code column accepts (the check-in import says the same)."""
    return _("a region code known to Sameboat (Regions page), e.g. CN-SC")


def employee_allowed_values() -> dict[str, str]:
    """The roster template's instructions, column by column."""
    return {
        "employee_no": _("up to 40 characters, unique in the group; the same number updates the person"),
        "unit": _("the code of a unit you manage"),
        "email": _("an e-mail address, or empty"),
        "home_region": region_words(),
        "active": yes_no_words(_("yes")),
    }


def organization_allowed_values() -> dict[str, str]:
    """The organisation template's instructions, column by column."""
    return {
        "code": _("up to 40 characters, unique; the same code updates the organisation"),
        "kind": choice_list(OrgKind),
        "parent": _("the code of an organisation you manage, above in this file or already in Sameboat"),
        "country": _("two letters (ISO 3166), e.g. CN, LK, PK; empty means CN"),
        "region": region_words(),
        "contact_email": _("an e-mail address, or empty"),
        "active": yes_no_words(_("yes")),
    }


def employee_example() -> dict[str, str]:
    """The roster template's example row (never imported)."""
    return {
        "employee_no": "A-0001",
        "name": _("Zhang San"),
        "name_en": "Zhang San",
        "unit": "UNIT-01",
        "title": _("Engineer"),
        "phone": "13800000000",
        "email": "zhang.san@example.com",
        "home_region": "CN-SC",
        "active": _("yes"),
    }


def organization_example() -> dict[str, str]:
    """The organisation template's example row (never imported)."""
    return {
        "code": "UNIT-01",
        "name_zh": "示例单位",
        "name_en": "Example unit",
        "kind": str(OrgKind.UNIT.label),
        "parent": "GROUP",
        "country": "CN",
        "region": "CN-SC",
        "address": "",
        "contact_email": "office@example.com",
        "contact_phone": "",
        "active": _("yes"),
    }


# URL names of the orgs pages and of the API resources it owns, by who may open them.
PAGES_READ = [
    "orgs:tree",
    "orgs:detail",
    "orgs:tree_children",
    "orgs:people",
    "orgs:people_export",
    "orgs:person",
    "orgs:regions",
    "orgs:region",
    "orgs:org_search",
]
PAGES_ADMIN = [
    "orgs:edit",
    "orgs:add_child",
    "orgs:move",
    "orgs:member_grant",
    "orgs:member_revoke",
    "orgs:leadership_set",
    "orgs:leader_add",
    "orgs:leader_remove",
]
PAGES_ROSTER = ["orgs:person_add", "orgs:person_edit", "orgs:import_start", "orgs:import_template"]
# An import's rejected rows: whoever may follow the job (its creator, or a reader of its
# organisation with the roles its kind asks for; accounts.selectors.job_get).
PAGES_JOB = ["orgs:import_rejected"]
# Organisation-owned API resources (out of scope answers like missing) and reference data.
API_SCOPED = [
    "organization-list",
    "organization-detail",
    "organization-children",
    "employee-list",
    "employee-detail",
    "membership-list",
    "membership-detail",
    "leadership-group-list",
    "leadership-group-detail",
]
API_ADMIN = ["organization-move"]
API_REFERENCE = ["region-list", "region-detail", "region-rules"]


def register() -> None:
    """Register orgs' contributions (called once, from ``OrgsConfig.ready()``)."""
    navigation.register(NavEntry("orgs", gettext_lazy("Organisations"), "orgs:tree", 50, reads))
    navigation.register(NavEntry("people", gettext_lazy("People"), "orgs:people", 60, reads))
    navigation.register(NavEntry("regions", gettext_lazy("Regions"), "orgs:regions", 70, reads))
    navigation.register(NavEntry("import", gettext_lazy("Import"), "orgs:import_start", 80, may_import))
    shortcuts.register(NavEntry("tree", gettext_lazy("Organisation tree"), "orgs:tree", 10, reads))
    shortcuts.register(NavEntry("people", gettext_lazy("People on the roster"), "orgs:people", 20, reads))
    shortcuts.register(NavEntry("regions", gettext_lazy("Regions and their rules"), "orgs:regions", 30, reads))
    shortcuts.register(NavEntry("import", gettext_lazy("Import a spreadsheet"), "orgs:import_start", 40, may_import))
    dashboard_tiles.register(
        DashboardTile(
            "orgs",
            gettext_lazy("Organisations in scope"),
            lambda user: organization_list(user=user).count(),
            "orgs:tree",
            10,
            query="?all=1",
        )
    )
    dashboard_tiles.register(
        DashboardTile(
            "people",
            gettext_lazy("People on the roster"),
            lambda user: employee_list(user=user).count(),
            "orgs:people",
            20,
        )
    )
    import_kinds.register(
        ImportKind(
            key="employees",
            label=gettext_lazy("Employee roster"),
            job_kind="orgs.import.employees",
            columns=EMPLOYEE_COLUMNS,
            may_use=lambda user: has_role(user, *ROSTER_ROLES),
            owner=lambda user: organization_top_of_scope(user=user, roles=ROSTER_ROLES),
            allowed_values=employee_allowed_values,
            choices=lambda: {"active": yes_no()},
            example=employee_example,
            order=10,
        )
    )
    import_kinds.register(
        ImportKind(
            key="organizations",
            label=gettext_lazy("Organisations"),
            job_kind="orgs.import.organizations",
            columns=ORG_COLUMNS,
            may_use=lambda user: has_role(user, *ADMIN_ROLES),
            owner=lambda user: organization_top_of_scope(user=user, roles=ADMIN_ROLES),
            allowed_values=organization_allowed_values,
            choices=lambda: {"kind": choice_labels(OrgKind), "active": yes_no()},
            example=organization_example,
            order=20,
        )
    )
    scope_entries(app="orgs", roles=READ_ROLES)(PAGES_READ)
    scope_entries(app="orgs", roles=ADMIN_ROLES)(PAGES_ADMIN)
    scope_entries(app="orgs", roles=ROSTER_ROLES)(PAGES_ROSTER)
    scope_entries(app="orgs", roles=READ_ROLES)(PAGES_JOB)
    scope_entries(app="orgs", roles=READ_ROLES)(API_SCOPED)
    scope_entries(app="orgs", roles=ADMIN_ROLES)(API_ADMIN)
    scope_entries(app="orgs", roles=None, scoped=False)(API_REFERENCE)
