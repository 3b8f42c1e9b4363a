"""What health adds to the shared screens and hooks: menu entries, the check-in import, a
readiness check (today's returns rate), the situation report's returns section and its URLs in
the scope matrix. ``HealthConfig.ready()`` calls ``register()``."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sameboat.accounts.roles import HEALTH_VALUE_ROLES, READ_ROLES, RETURNS_ROLES, ROSTER_ROLES
from sameboat.accounts.scoping import has_role
from sameboat.core.contributions import (
    HomeCard,
    NavEntry,
    Readiness,
    ReadinessCheck,
    ReadinessResult,
    SitrepSection,
    home_cards,
    navigation,
    readiness_checks,
    scope_entries,
    sitrep_sections,
)
from sameboat.core.import_kinds import ImportKind, choice_labels, choice_list, import_kinds, yes_no, yes_no_words
from sameboat.health.importers import COLUMNS, KIND
from sameboat.health.models import CommuteMode, Symptom, WorkStatus
from sameboat.health.selectors import checkin_today_for, employee_for_user, returns_of_subtree, returns_subtree
from sameboat.health.services.checkins import MAX_DAYS_BACK
from sameboat.orgs.contributions import region_words
from sameboat.orgs.selectors import organization_roots, organization_top_of_scope

# Work may resume where at least this share of the roster reported today (per cent); below the
# second figure the check fails outright, between the two it is borderline.
RETURNS_RATE_READY = 90
RETURNS_RATE_BORDERLINE = 75


def checkin_allowed_values() -> dict[str, str]:
    """The check-in template's instructions, column by column."""
    return {
        "employee_no": _("the number of a person on a roster you manage"),
        "day": _("YYYY-MM-DD: today or up to %(n)d days back") % {"n": MAX_DAYS_BACK},
        "temperature": _("°C, e.g. 36.5"),
        "symptoms": _("empty, or several separated by ; from: %(list)s") % {"list": choice_list(Symptom)},
        "region": region_words(),
        "travelled": yes_no_words(_("no")),
        "contact": yes_no_words(_("no")),
        "work_status": choice_list(WorkStatus),
        "commute_mode": choice_list(CommuteMode),
    }


def checkin_choices() -> dict[str, list[str]]:
    """The check-in template's drop-down lists, in the active language."""
    return {
        "symptoms": choice_labels(Symptom),
        "travelled": yes_no(),
        "contact": yes_no(),
        "work_status": choice_labels(WorkStatus),
        "commute_mode": choice_labels(CommuteMode),
    }


def checkin_example() -> dict[str, str]:
    """The check-in template's example row (never imported)."""
    from django.utils import timezone

    return {
        "employee_no": "A-0001",
        "day": timezone.localdate().isoformat(),
        "temperature": "36.5",
        "symptoms": "",
        "region": "CN-SC",
        "travelled": _("no"),
        "contact": _("no"),
        "work_status": str(WorkStatus.ON_SITE.label),
        "commute_mode": str(CommuteMode.choices[0][1]),
    }


def returns_rate_check(organization: Any, day: datetime.date) -> ReadinessResult:
    """Whether enough of the subtree's roster reported on the day."""
    totals = returns_of_subtree(organization=organization, day=day)
    label = _("Daily health returns")
    if not totals["headcount"]:
        return ReadinessResult(Readiness.UNKNOWN, label, _("Nobody is on the roster here."))
    detail = _("%(rate)d%% reported (%(reported)d of %(headcount)d); %(ready)d%% needed.") % {
        "rate": totals["rate"],
        "reported": totals["reported"],
        "headcount": totals["headcount"],
        "ready": RETURNS_RATE_READY,
    }
    if totals["rate"] >= RETURNS_RATE_READY:
        status = Readiness.PASS
    elif totals["rate"] >= RETURNS_RATE_BORDERLINE:
        status = Readiness.WARN
    else:
        status = Readiness.FAIL
    return ReadinessResult(status, label, detail)


def returns_section(user: Any, day: datetime.date) -> dict[str, Any]:
    """The day's returns for each organisation at the top of the person's scope."""
    return {
        "day": day,
        "lines": [
            {"organization": org, **returns_subtree(user=user, organization=org, day=day)}
            for org in organization_roots(user=user)
        ],
    }


# URL names of the health pages and API, by who may open them (tests/health/test_need_to_know.py
# holds what each role gets from each).
PAGES_OWN = ["health:checkin", "health:checkin_repeat", "health:my_history"]
PAGES_READ = ["health:dashboard", "health:missing", "health:returns_export"]
PAGES_VALUES = [
    "health:cases",
    "health:fevers",
    "health:case",
    "health:quarantines",
    "health:quarantine_new",
    "health:quarantine",
    "health:person_checkins",
]
PAGES_ROSTER = ["health:remind"]
PAGES_PUBLIC = ["health:service_worker", "health:manifest"]
API_READ = ["health-returns"]
API_VALUES = ["checkin-list", "checkin-detail", "case-list", "case-detail", "quarantine-list", "quarantine-detail"]


def register() -> None:
    """Register health's contributions (called once, from ``HealthConfig.ready()``)."""
    # The employee's home opens on today's state, as DingTalk and Feishu do: done, or a tap away.
    home_cards.register(HomeCard("checkin", "health/_home_checkin.html", lambda u: checkin_today_for(user=u), 10))
    # Anyone on a roster files a daily check-in; every reading role sees the returns; only the
    # roles that read health values get the lists of people (follow-up, quarantines).
    navigation.register(
        NavEntry("checkin", gettext_lazy("Check in"), "health:checkin", 10, lambda u: employee_for_user(u) is not None)
    )
    navigation.register(
        NavEntry("health", gettext_lazy("Health"), "health:dashboard", 20, lambda u: has_role(u, *RETURNS_ROLES))
    )
    navigation.register(
        NavEntry("followup", gettext_lazy("Follow-up"), "health:cases", 30, lambda u: has_role(u, *HEALTH_VALUE_ROLES))
    )
    navigation.register(
        NavEntry(
            "quarantines",
            gettext_lazy("Quarantines"),
            "health:quarantines",
            40,
            lambda u: has_role(u, *HEALTH_VALUE_ROLES),
        )
    )
    # Check-ins are always all-or-nothing: a half-loaded day would make the returns wrong.
    import_kinds.register(
        ImportKind(
            key="checkins",
            label=gettext_lazy("Daily check-ins (staff without phones)"),
            job_kind=KIND,
            columns=COLUMNS,
            may_use=lambda user: has_role(user, *ROSTER_ROLES),
            owner=lambda user: organization_top_of_scope(user=user, roles=ROSTER_ROLES),
            allowed_values=checkin_allowed_values,
            choices=checkin_choices,
            several=frozenset({"symptoms"}),
            example=checkin_example,
            keep_valid_allowed=False,
            order=30,
        )
    )
    readiness_checks.register(
        ReadinessCheck("health.returns_rate", gettext_lazy("Daily health returns"), returns_rate_check, 10)
    )
    sitrep_sections.register(
        SitrepSection(
            "health.returns",
            gettext_lazy("Daily health returns"),
            returns_section,
            10,
            lambda u: has_role(u, *READ_ROLES),
        )
    )
    scope_entries(app="health", roles=None)(PAGES_OWN)
    scope_entries(app="health", roles=READ_ROLES)(PAGES_READ + API_READ)
    scope_entries(app="health", roles=HEALTH_VALUE_ROLES)(PAGES_VALUES + API_VALUES)
    scope_entries(app="health", roles=ROSTER_ROLES)(PAGES_ROSTER)
    scope_entries(app="health", roles=None, scoped=False)(PAGES_PUBLIC)
