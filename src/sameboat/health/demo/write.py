"""Writing the simulated health history in bulk, with one audit event for it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from sameboat.core.audit import Changes, audit
from sameboat.core.db import bulk_insert
from sameboat.health.demo import data as D
from sameboat.health.demo.records import (
    CASE_COLUMNS,
    CHECKIN_COLUMNS,
    COUNTERS,
    NOTE_COLUMNS,
    QUARANTINE_COLUMNS,
    CasePlan,
    Sim,
)
from sameboat.health.demo.simulate import Simulator
from sameboat.health.models import (
    CaseNote,
    CaseStatus,
    CheckIn,
    DailyReturn,
    FollowUpCase,
    Quarantine,
)
from sameboat.health.services import rollup


class History(Simulator):
    """The group's 90 days, planned, simulated and written by one object sharing the lookups."""

    # --- Writing -------------------------------------------------------------------------------

    def write(self, sim: Sim, cases: list[CasePlan]) -> None:
        """Quarantines, check-ins, returns (recounted from the raw rows), cases and notes."""
        ctx = self.ctx
        self._write_quarantines(sim)
        bulk_insert(
            CheckIn,
            CHECKIN_COLUMNS.split(),
            sim.checkins,
            convert={"created_at": self._stamp, "updated_at": self._stamp, "symptoms": list},
        )
        self._write_returns(sim, cases)
        case_count, note_count = self._write_cases(sim, cases)
        counts = {
            "checkins": len(sim.checkins),
            "daily_returns": len(sim.returns),
            "quarantines": len(sim.quarantines),
            "follow_up_cases": case_count,
            "case_notes": note_count,
        }
        ctx.counts.update(counts)
        audit(
            "demo.health.built",
            ctx.org(ctx.group.code),
            Changes(
                after={"days": D.HISTORY_DAYS, "raw_days": self.raw_from + 1, "people": len(self.people), **counts}
            ),
            actor=None,
            object_repr="demo health history",
        )

    def _stamp(self, value: tuple[datetime.date, int]) -> datetime.datetime:
        day, minutes = value
        return datetime.datetime.combine(
            day, datetime.time(minutes // 60, minutes % 60), tzinfo=timezone.get_current_timezone()
        )

    def _write_quarantines(self, sim: Sim) -> None:
        rows = []
        for person, start, days, released, place, reason in sim.quarantines:
            creator = self.officer_id if person.org_id in self.officer_orgs else None
            first, end = self.day(start), self.day(start) + datetime.timedelta(days=days)
            out = self.day(released) if released is not None else None
            text, codes = (reason, []) if isinstance(reason, str) else ("", [_dated(r, first) for r in reason])
            # fmt: off
            rows.append((
                person.id, person.org_id, first, end, out, place, text[:300], codes, False, creator, (first, 510),
            ))
            # fmt: on
        bulk_insert(Quarantine, QUARANTINE_COLUMNS.split(), rows, convert={"created_at": self._stamp})

    def _write_returns(self, sim: Sim, cases: list[CasePlan]) -> None:
        """All 90 days from the simulation, then the kept days recounted from raw rows."""
        heads: dict[int, int] = defaultdict(int)
        for person in self.people.values():
            heads[person.org_id] += 1
        quarantined: dict[tuple[int, int], int] = defaultdict(int)
        for person in {p.id: p for p, *_ in sim.quarantines}.values():
            for k in range(D.HISTORY_DAYS):
                if person.quarantine_on(k) is not None:
                    quarantined[(person.org_id, k)] += 1
        cases_on: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])  # suspected, confirmed
        for case in cases:
            for k in range(case.opened, -1, -1):
                status = case.status_on(k)
                if status in (CaseStatus.SUSPECTED, CaseStatus.ISOLATED):
                    cases_on[case.person.org_id, k][0] += 1
                elif status == CaseStatus.CONFIRMED:
                    cases_on[case.person.org_id, k][1] += 1
        rows = [
            (org_id, self.day(k), heads[org_id], *values, quarantined[org_id, k], *cases_on[org_id, k])
            for (org_id, k), values in sorted(sim.returns.items(), key=lambda item: (-item[0][1], item[0][0]))
        ]
        bulk_insert(
            DailyReturn, ("organization", "day", "headcount", *COUNTERS, "quarantined", "suspected", "confirmed"), rows
        )
        # The invariant the health app keeps: where raw rows exist, the return is their recount.
        rollup.returns_recount((org_id, self.day(k)) for org_id, k in sim.returns if k <= self.raw_from)
        touched = {
            p.org_id for p, start, _, out, _, _ in sim.quarantines if out is None or min(start, self.raw_from) > out
        }
        for org_id in sorted(touched):
            rollup.returns_recount_quarantined(org_id, self.day(self.raw_from), self.ctx.today)

    def _write_cases(self, sim: Sim, cases: list[CasePlan]) -> tuple[int, int]:
        ctx = self.ctx
        signalled = {(c.person.id, self.day(c.opened)) for c in cases if c.opened <= self.raw_from}
        checkin_ids = {
            (employee_id, day): pk
            for pk, employee_id, day in CheckIn.objects.filter(
                employee_id__in={e for e, _ in signalled}, day__gte=self.day(self.raw_from)
            ).values_list("pk", "employee_id", "day")
        }
        rows = []
        for case in cases:
            opened = self.day(case.opened)
            minutes = sim.minutes.get((case.person.id, case.opened), 9 * 60)
            last = min([k for k, _, _ in case.changes] + [k for k, _ in case.notes] + [case.opened])
            status = case.status_on(0) if case.closed is None else CaseStatus.CLEARED
            closed = self.day(case.closed) if case.closed is not None else None
            checkin = checkin_ids.get((case.person.id, opened))
            touched = (self.day(last), minutes + 90 if last == case.opened else 11 * 60)
            # fmt: off
            rows.append((
                case.person.id, case.person.org_id, status, "", case.reason, opened, closed, checkin,
                (opened, minutes + 1), touched,
            ))
            # fmt: on
        stamps: dict[str, Callable[[Any], Any]] = {"created_at": self._stamp_capped, "updated_at": self._stamp_capped}
        bulk_insert(FollowUpCase, CASE_COLUMNS.split(), rows, convert=stamps)
        case_ids = {
            (employee_id, opened): pk
            for pk, employee_id, opened in FollowUpCase.objects.filter(employee_id__in={c.person.id for c in cases})
            .order_by()
            .values_list("pk", "employee_id", "opened_on")
        }
        notes: list[tuple[int, int | None, str, dict[str, Any] | None, str, str, tuple[datetime.date, int]]] = []
        for case in cases:
            case_id = case_ids[(case.person.id, self.day(case.opened))]
            author = self.officer_id if case.person.org_id in self.officer_orgs else None
            before: str = CaseStatus.WATCH
            for k, new, text in sorted(case.changes, key=lambda change: -change[0]):
                notes.append((case_id, author, text, None, before, new, (self.day(k), 11 * 60 + len(notes) % 50)))
                before = new
            for k, reason in case.notes:
                stamp = (self.day(k), sim.minutes.get((case.person.id, k), 9 * 60) + 2)
                day = self.day(k).isoformat()
                if isinstance(reason, str):  # an officer's note
                    notes.append((case_id, None, D.NOTE_SIGNAL.format(day=day, reason=reason), None, "", "", stamp))
                else:  # a signal: its reasons as codes, as the check-in service writes them
                    notes.append((case_id, None, "", {"day": day, "reasons": reason}, "", "", stamp))
        bulk_insert(CaseNote, NOTE_COLUMNS.split(), notes, convert={"created_at": self._stamp_capped})
        # Today's suspected and confirmed are the open cases, as the health app counts them.
        for org_id in sorted({p.org_id for p in self.people.values()}):
            rollup.returns_recount_cases(org_id, ctx.today)
        return len(rows), len(notes)

    def _stamp_capped(self, value: tuple[datetime.date, int]) -> datetime.datetime:
        """A time on a day, never later than now (today's notes are written this morning)."""
        return min(self._stamp(value), timezone.now() - datetime.timedelta(minutes=1))


def _dated(reason: dict[str, Any], day: datetime.date) -> dict[str, Any]:
    """An arrival's reason names the day of the arrival, as the check-in service's does."""
    return {**reason, "day": day.isoformat()} if reason.get("code") == "arrival" else reason
