"""Follow-up cases and quarantines: opened by signals in check-ins, worked by unit officers."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.accounts.roles import ROSTER_ROLES
from sameboat.accounts.scoping import reaches
from sameboat.core.audit import Changes, audit
from sameboat.core.exceptions import DomainError, PermissionDenied
from sameboat.core.notify import notify, phrase, ref
from sameboat.health.models import (
    CaseNote,
    CaseStatus,
    CheckIn,
    FollowUpCase,
    Quarantine,
    QuarantinePlace,
)
from sameboat.health.reasons import ARRIVED, arrival, as_phrases, checkin_reasons
from sameboat.health.selectors import (
    cases_open_by_person,
    checkins_elsewhere_before,
    default_quarantine_days,
    quarantine_open_on,
)
from sameboat.health.services import alerts, rollup
from sameboat.orgs.models import RISK_ORDER, Employee, Organization, RiskLevel
from sameboat.orgs.selectors import officers_by_unit, unit_officers


def _require(actor: Any, organization: Organization) -> None:
    if actor is not None and not reaches(actor, organization, ROSTER_ROLES):
        raise PermissionDenied(_("You may not follow up staff of %(org)s.") % {"org": organization})


# --- Signals from check-ins -------------------------------------------------------------------


def _note(checkin: CheckIn, reasons: list[dict[str, Any]]) -> dict[str, Any]:
    return {"day": checkin.day.isoformat(), "reasons": reasons}


def after_checkin(*, actor: Any, checkin: CheckIn, elsewhere: bool = True) -> None:
    """Open a follow-up case on fever, symptoms or exposure; propose quarantine on arrival.

    ``elsewhere=False`` says the caller already knows the person filed no check-in from
    another region in the last 14 days (``selectors.checkin_subject``), so there is no
    arrival to look at.
    """
    reasons = checkin_reasons(checkin)
    if reasons:
        _case_open_or_note(checkin=checkin, reasons=reasons)
    if elsewhere:
        _propose_quarantine_if_arriving(checkin=checkin)


def _case_open_or_note(*, checkin: CheckIn, reasons: list[dict[str, Any]]) -> FollowUpCase:
    employee = checkin.employee
    case = FollowUpCase.objects.select_for_update().filter(employee=employee, closed_on__isnull=True).first()
    if case is not None:
        CaseNote.objects.create(case=case, author=None, params=_note(checkin, reasons))
        if checkin.has_fever:
            alerts.fever_on_open_case(checkin=checkin)
        return case
    case = FollowUpCase.objects.create(
        employee=employee,
        organization_id=employee.organization_id,
        status=CaseStatus.WATCH,
        reasons=reasons,
        opened_on=checkin.day,
        opened_by_checkin=checkin,
    )
    audit("health.case.opened", case, Changes(after={"status": case.status, "opened_on": case.opened_on}), actor=None)
    notify(
        event="health.case.opened",
        recipients=unit_officers(employee.organization),
        params={
            "person": ref("orgs.employee", employee),
            "unit": ref("orgs.organization", employee.organization_id),
            "reason": as_phrases(reasons),
        },
        url=reverse("health:case", args=[case.pk]),
        organization=employee.organization,
    )
    return case


def _propose_quarantine_if_arriving(*, checkin: CheckIn) -> None:
    """Someone who was in a higher-risk region in the last 14 days and is now in a lower one."""
    from sameboat.orgs.selectors import region_rule_on

    employee = checkin.employee
    # Cheapest test first: most people have not been anywhere else in the last 14 days.
    earlier = checkins_elsewhere_before(checkin=checkin, days=14)
    if not earlier or quarantine_open_on(employee=employee, day=checkin.day):
        return
    today_rule = region_rule_on(region=checkin.region, day=checkin.day)
    if today_rule is None:
        return
    for previous in earlier:
        rule = region_rule_on(region=previous.region, day=previous.day)
        if rule and RISK_ORDER[RiskLevel(rule.risk_level)] > RISK_ORDER[RiskLevel(today_rule.risk_level)]:
            why = phrase(
                ARRIVED,
                region=ref("orgs.region", previous.region_id),
                risk=ref("orgs.risk_level", rule.risk_level),
                day=checkin.day.isoformat(),
            )
            quarantine_start(
                actor=None,
                employee=employee,
                start=checkin.day,
                reason="",
                reasons=[arrival(region=previous.region, risk=rule.risk_level, day=checkin.day)],
                reason_phrase=why,
                place=QuarantinePlace.HOME,
                proposed=True,
            )
            return


def after_checkins_bulk(*, checkins: list[CheckIn], arrivals: set[int]) -> int:
    """``after_checkin`` for an upload: cases opened and notes added in bulk, one message per
    unit to its officers; the arrival check runs only for ``arrivals`` (employees whose
    earlier check-ins were in another region). Returns the number of cases opened."""
    from sameboat.core.audit import audit_bulk

    flagged = [(c, r) for c in checkins if (r := checkin_reasons(c))]
    open_cases = cases_open_by_person(employee_ids={c.employee_id for c, _r in flagged})
    new_cases: list[FollowUpCase] = []
    notes: list[CaseNote] = []
    fevers_on_open: list[CheckIn] = []
    for checkin, reasons in flagged:
        case = open_cases.get(checkin.employee_id)
        if case is None:
            case = FollowUpCase(
                employee=checkin.employee,
                organization_id=checkin.employee.organization_id,
                status=CaseStatus.WATCH,
                reasons=reasons,
                opened_on=checkin.day,
                opened_by_checkin=checkin,
            )
            open_cases[checkin.employee_id] = case
            new_cases.append(case)
        else:
            notes.append(CaseNote(case=case, params=_note(checkin, reasons)))
            if checkin.has_fever and case.pk:
                fevers_on_open.append(checkin)
    FollowUpCase.objects.bulk_create(new_cases)
    CaseNote.objects.bulk_create([n for n in notes if n.case.pk])
    audit_bulk(
        actor=None,
        action="health.case.opened",
        objects=new_cases,
        after=lambda c: {"status": c.status, "opened_on": c.opened_on},
    )
    by_unit: dict[int, list[FollowUpCase]] = {}
    for case in new_cases:
        by_unit.setdefault(case.organization_id, []).append(case)
    officers = officers_by_unit([cases[0].employee.organization for cases in by_unit.values()])
    for unit_id, cases in by_unit.items():
        unit = cases[0].employee.organization
        notify(
            event="health.cases.opened",
            recipients=officers.get(unit_id, []),
            params={"n": len(cases), "unit": ref("orgs.organization", unit)},
            url=reverse("health:cases") + f"?org={unit.pk}",
            organization=unit,
        )
    alerts.fevers_on_open_cases(checkins=fevers_on_open)
    for checkin in checkins:
        if checkin.employee_id in arrivals:
            _propose_quarantine_if_arriving(checkin=checkin)
    return len(new_cases)


# --- Cases ------------------------------------------------------------------------------------------


@transaction.atomic
def case_set_status(*, actor: Any, case: FollowUpCase, status: str, note: str = "") -> FollowUpCase:
    """Move a case to another status with a note; cleared closes it."""
    _require(actor, case.organization)
    if status not in CaseStatus.values:
        raise DomainError(_("Unknown case status %(s)s.") % {"s": status}, field="status")
    case = FollowUpCase.objects.select_for_update().get(pk=case.pk)
    if case.closed_on is not None:
        raise DomainError(_("This case is closed."), field="status")
    old = case.status
    if old == status and not note:
        return case
    case.status = status
    if status == CaseStatus.CLEARED:
        case.closed_on = timezone.localdate()
    case.save()
    if status == CaseStatus.CONFIRMED and old != CaseStatus.CONFIRMED:
        alerts.case_confirmed(case=case)
    CaseNote.objects.create(
        case=case,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        text=note,
        status_from=old,
        status_to=status,
    )
    rollup.returns_recount_cases(case.organization_id, timezone.localdate())
    audit("health.case.status_changed", case, Changes(before={"status": old}, after={"status": status}), actor=actor)
    return case


@transaction.atomic
def case_add_note(*, actor: Any, case: FollowUpCase, text: str) -> CaseNote:
    """Add a note to a case."""
    _require(actor, case.organization)
    if not text.strip():
        raise DomainError(_("Write a note."), field="text")
    note = CaseNote.objects.create(
        case=case, author=actor if getattr(actor, "is_authenticated", False) else None, text=text.strip()
    )
    audit("health.case.noted", case, Changes(after={"note": note.pk}), actor=actor)
    return note


# --- Quarantines ------------------------------------------------------------------------------------

# How far ahead a quarantine's days may be planned: its start, and the first day back.
PLANNING_DAYS = 30


@transaction.atomic
def quarantine_start(
    *,
    actor: Any,
    employee: Employee,
    start: datetime.date,
    reason: str,
    place: str = QuarantinePlace.HOME,
    planned_end: datetime.date | None = None,
    proposed: bool = False,
    reason_phrase: dict[str, Any] | None = None,
    reasons: list[dict[str, Any]] | None = None,
) -> Quarantine:
    """Put a person in quarantine (or propose it, for an officer to confirm).

    ``reason_phrase`` is the reason as a ``phrase`` when the system wrote it, so that the
    officers' notification reads in each officer's language, and ``reasons`` the same as
    codes for the quarantine itself (health.reasons); a person's words are kept as is.
    """
    _require(actor, employee.organization)
    if place not in QuarantinePlace.values:
        raise DomainError(_("Choose home or central quarantine."), field="place")
    if not reason.strip() and not reasons:
        raise DomainError(_("Give a reason for the quarantine."), field="reason")
    if start > timezone.localdate() + datetime.timedelta(days=PLANNING_DAYS):
        raise DomainError(_("The start is too far in the future."), field="start")
    end = planned_end or start + datetime.timedelta(days=default_quarantine_days(employee))
    if end < start:
        raise DomainError(_("The planned end is before the start."), field="planned_end")
    if quarantine_open_on(employee=employee, day=start):
        raise DomainError(_("This person already has an open quarantine."), field="start")
    q = Quarantine.objects.create(
        employee=employee,
        organization_id=employee.organization_id,
        start=start,
        planned_end=end,
        place=place,
        reason=reason.strip()[:300],
        reasons=reasons or [],
        proposed=proposed,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if not proposed:
        rollup.returns_recount_quarantined(q.organization_id, start, timezone.localdate())
    audit(
        "health.quarantine.proposed" if proposed else "health.quarantine.started",
        q,
        Changes(after={"start": start, "planned_end": end, "place": place}),
        actor=actor,
    )
    if proposed:
        notify(
            event="health.quarantine.proposed",
            recipients=unit_officers(employee.organization),
            params={
                "person": ref("orgs.employee", employee),
                "unit": ref("orgs.organization", employee.organization_id),
                "reason": reason_phrase or reason.strip(),
            },
            url=reverse("health:quarantines"),
            organization=employee.organization,
        )
    return q


@transaction.atomic
def quarantine_confirm(*, actor: Any, quarantine: Quarantine) -> Quarantine:
    """Confirm a proposed quarantine: from now on it blocks on-site status."""
    _require(actor, quarantine.organization)
    q = Quarantine.objects.select_for_update().get(pk=quarantine.pk)
    if not q.proposed:
        return q
    q.proposed = False
    q.save(update_fields=["proposed"])
    rollup.returns_recount_quarantined(q.organization_id, q.start, timezone.localdate())
    audit("health.quarantine.confirmed", q, Changes(before={"proposed": True}, after={"proposed": False}), actor=actor)
    return q


@transaction.atomic
def quarantine_dismiss(*, actor: Any, quarantine: Quarantine, reason: str) -> None:
    """Turn down a proposed quarantine (the person did not need one)."""
    _require(actor, quarantine.organization)
    q = Quarantine.objects.select_for_update().get(pk=quarantine.pk)
    if not q.proposed:
        raise DomainError(_("Only a proposed quarantine can be dismissed; release it instead."))
    audit(
        "health.quarantine.dismissed",
        q,
        Changes(before={"start": q.start, "reason": q.reason}, after={"dismissed_because": reason}),
        actor=actor,
    )
    q.delete()


@transaction.atomic
def quarantine_release(*, actor: Any, quarantine: Quarantine, released_on: datetime.date | None = None) -> Quarantine:
    """End a quarantine: the person may be on site from ``released_on`` (today by default).

    The first day back may lie ahead: the officer plans the return and tells the person on
    which day to come back (up to ``PLANNING_DAYS`` ahead); until then the quarantine is in
    force, and a planned return that has not come yet may be moved.
    """
    _require(actor, quarantine.organization)
    q = Quarantine.objects.select_for_update().get(pk=quarantine.pk)
    today = timezone.localdate()
    day = released_on or today
    if q.proposed:
        raise DomainError(_("Confirm or dismiss the proposal first."))
    before = q.released_on
    if before is not None and before <= today:
        raise DomainError(_("This quarantine has already ended."))
    if day < q.start:
        raise DomainError(_("The release cannot be before the start."), field="released_on")
    if day > today + datetime.timedelta(days=PLANNING_DAYS):
        raise DomainError(
            _("The first day back can be planned at most %(n)d days ahead.") % {"n": PLANNING_DAYS},
            field="released_on",
        )
    q.released_on = day
    q.save(update_fields=["released_on"])
    # Daily returns already opened for the days in between count the person again.
    rollup.returns_recount_quarantined(q.organization_id, q.start, max(today, day, before or today))
    audit(
        "health.quarantine.released",
        q,
        Changes(before={"released_on": before} if before else None, after={"released_on": day}),
        actor=actor,
    )
    return q
