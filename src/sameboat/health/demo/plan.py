"""Planning the health history: the roster, the holiday, the stories and the trips."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from sameboat.core.demo import DemoContext
from sameboat.health.demo import data as D
from sameboat.health.demo.records import Person, Reasons
from sameboat.health.services.retention import retention_cutoff
from sameboat.orgs.models import RISK_ORDER, Employee, RegionRule, RiskLevel


class Planner:
    """The group's 90 days, planned: who is on the roster, who went home for the holiday,
    the stories and trips; with the lookups the simulation and the writing share. The
    simulation (``simulate.Simulator``) and the writing (``write.History``) extend it, one
    object sharing the lookups and one random generator, drawn in a fixed order."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        # The oldest day whose raw check-ins the retention rule keeps, in days ago.
        self.raw_from = min(D.HISTORY_DAYS - 1, (ctx.today - retention_cutoff(ctx.today)).days)
        self.units: list[tuple[str, list[Person]]] = []
        self.people: dict[int, Person] = {}
        self.rules: dict[int, list[RegionRule]] = defaultdict(list)
        for rule in RegionRule.objects.filter(region__in=list(ctx.regions.values())).order_by("effective_from"):
            self.rules[rule.region_id].append(rule)
        self.region_codes = {r.pk: code for code, r in ctx.regions.items()}
        officer_unit = next(spec for spec in self.ctx.group.walk() if spec.code == D.OFFICER_UNIT)
        self.officer_orgs = {ctx.org(spec.code).pk for spec in officer_unit.walk()}
        self.officer_id = getattr(ctx.users.get(D.OFFICER_LOGIN), "pk", None)
        self.quarantines: list[tuple[Person, int, int, int | None, str, str | Reasons]] = []
        self.stories: dict[int, D.Story] = {}
        self.wave_suspects: dict[int, int] = {}  # person -> the day of the fever (days ago)
        self._rule_cache: dict[tuple[int, int], tuple[str, Decimal, int]] = {}

    # --- Lookups -------------------------------------------------------------------------------

    def day(self, k: int) -> datetime.date:
        return self.ctx.days_ago(k)

    def rule(self, region_id: int, k: int) -> tuple[str, Decimal, int]:
        """(risk level, maximum on-site ratio, quarantine days) in force ``k`` days ago."""
        key = (region_id, k)
        if key not in self._rule_cache:
            day = self.day(k)
            found = [r for r in self.rules.get(region_id, []) if r.effective_from <= day]
            last = found[-1] if found else None
            self._rule_cache[key] = (
                (last.risk_level, last.max_onsite_ratio, last.quarantine_days)
                if last
                else (RiskLevel.LOW, Decimal(1), 14)
            )
        return self._rule_cache[key]

    def risk(self, region_id: int, k: int) -> int:
        return RISK_ORDER[RiskLevel(self.rule(region_id, k)[0])]

    def busy(self, person: Person) -> bool:
        """Already in a story, a login, on a trip or in a quarantine during the kept days."""
        return (
            person.quiet
            or person.user_id is not None
            or person.trip is not None
            or any(out is None or min(start, self.raw_from) > out for start, out, _ in person.quarantines)
        )

    def _pick(self, candidates: Sequence[Person]) -> Person | None:
        free = [p for p in candidates if not self.busy(p)]
        return self.rng.choice(free) if free else None

    # --- Planning ------------------------------------------------------------------------------

    def plan(self) -> None:
        """Who is on the roster, who went home for the holiday, and the stories."""
        rng = self.rng
        group_region = int(self.ctx.org(self.ctx.group.code).region_id or 0)
        commutes, weights = zip(*D.COMMUTES, strict=True)
        for spec in self.ctx.group.walk():
            roster = self.ctx.employees.get(spec.code, [])
            if not roster:
                continue
            org = self.ctx.org(spec.code)
            region_id: int = org.region_id or group_region
            people = []
            for employee in roster:
                lax = rng.random() < D.LAX_SHARE
                person = Person(
                    id=employee.pk,
                    org_id=org.pk,
                    unit=spec.code,
                    region_id=region_id,
                    home_id=employee.home_region_id or region_id,
                    user_id=None,
                    priority=rng.random(),
                    reliability=D.LAX_RELIABILITY if lax else 1.0,
                    late=D.LATE_LAX if lax else D.LATE,
                    commute=rng.choices(commutes, weights)[0],
                    baseline=rng.gauss(36.5, 0.15),
                )
                self._plan_holiday(person, overseas=spec.country != "CN")
                people.append(person)
                self.people[person.id] = person
            people.sort(key=lambda p: p.priority)
            self.units.append((spec.code, people))
        logins = Employee.objects.filter(user__username__in=[D.EMPLOYEE_LOGIN, D.OFFICER_LOGIN], pk__in=self.people)
        for employee_id, user_id, username in logins.values_list("pk", "user_id", "user__username"):
            person = self.people[employee_id]
            person.user_id, person.quiet, person.always = user_id, True, True
            person.skip_today = username == D.EMPLOYEE_LOGIN  # the check-in page is the demo
        self._plan_stories()
        self._plan_trips()

    def _plan_holiday(self, person: Person, *, overseas: bool) -> None:
        """Home for the Spring Festival and back, into quarantine when home was riskier."""
        rng = self.rng
        if person.home_id == person.region_id:
            return
        if rng.random() >= (D.AWAY_SHARE_OVERSEAS if overseas else D.AWAY_SHARE):
            return
        left = rng.randint(*sorted(D.LEAVE_HOME))
        back = rng.randint(*sorted(D.RETURN))
        if self.rule(person.region_id, back)[1] == 0:  # the unit's city was locked down
            back = rng.randint(*sorted(D.RETURN_AFTER_LOCKDOWN))
        person.away = (left, back)
        if self.risk(person.home_id, back) <= self.risk(person.region_id, back):
            return
        days = self.rule(person.region_id, back)[2]
        home = self.region_codes[person.home_id]
        central = home in D.CENTRAL_FROM and rng.random() < D.CENTRAL_SHARE
        extra = rng.randint(1, 4) if rng.random() < D.EXTENDED_SHARE else 0
        self._quarantine(
            person,
            start=back,
            days=days,
            out=back - days - extra,
            place="central" if central else "home",
            reason=self._arrival_reason(person.home_id, back),
        )

    def _arrival_reason(self, region_id: int, k: int) -> Reasons:
        # As the check-in service proposes it (health.reasons): codes, said in words when read;
        # the writer adds the day.
        return [{"code": "arrival", "region": self.region_codes[region_id], "risk": self.rule(region_id, k)[0]}]

    def _quarantine(
        self, person: Person, *, start: int, days: int, out: int | None, place: str, reason: str | Reasons
    ) -> None:
        """Plan a quarantine of ``days`` days from ``start``; ``out`` is the first day back."""
        released = out if out is not None and out >= 0 else None
        person.quarantines.append((start, released, place))
        self.quarantines.append((person, start, days, released, place, reason))

    def _unit(self, code: str) -> list[Person]:
        return next((people for unit, people in self.units if unit == code), [])

    def _plan_stories(self) -> None:
        """The scripted cases: one confirmed (with its contacts), suspected, isolated, cleared."""
        for story in D.STORIES:
            person = self._pick(self._unit(story.unit))
            if person is None:
                continue
            person.quiet = person.always = True
            person.readings = {r.days_ago: r for r in story.readings}
            self.stories[person.id] = story
            if story.quarantine_from is not None:
                out = story.released if story.released is not None else story.quarantine_from - story.quarantine_days
                self._quarantine(
                    person,
                    start=story.quarantine_from,
                    days=story.quarantine_days,
                    out=out,
                    place=story.quarantine_place,
                    reason=story.quarantine_reason,
                )
            if story.key == "confirmed":
                self._plan_contacts(person, story)
        self._plan_wave_suspects()

    def _plan_contacts(self, patient: Person, story: D.Story) -> None:
        confirmed_on = next(c.days_ago for c in story.changes if c.status == D.CONFIRMED)
        colleagues = self._unit(patient.unit)
        wanted = min(D.CONTACTS, max(1, len(colleagues) // 3))
        for _ in range(wanted):
            person = self._pick(colleagues)
            if person is None:
                return
            person.quiet = person.always = True
            person.contact_from = confirmed_on
            days = self.rule(person.region_id, confirmed_on)[2]
            self._quarantine(
                person,
                start=confirmed_on,
                days=days,
                out=confirmed_on - days,
                place="home",
                reason=[{"code": "contact"}],
            )

    def _plan_wave_suspects(self) -> None:
        """A fever or two among the arrivals in quarantine after the holiday."""
        arrivals = [
            p
            for p, start, _, _, _, _ in self.quarantines
            if p.away and p.away[1] == start and start - 4 > self.raw_from and not self.busy(p)
        ]
        for _ in range(min(D.WAVE_SUSPECTS, len(arrivals))):
            person = self.rng.choice(arrivals)
            arrivals.remove(person)
            person.quiet = True
            fever_on = person.away[1] - 2 if person.away else 0
            person.readings = {
                fever_on: D.Reading(fever_on, "38.1", ("fever", "cough")),
                fever_on - 1: D.Reading(fever_on - 1, "37.6", ("cough",)),
            }
            self.wave_suspects[person.id] = fever_on

    def _plan_trips(self) -> None:
        """Recent trips: a few to riskier places (quarantine on return), some ordinary ones."""
        rng = self.rng
        for trip in D.TRIPS:
            person = self._pick(self._unit(trip.unit))
            region = self.ctx.regions.get(trip.region)
            if person is None or region is None:
                continue
            person.quiet = True
            person.trip = (region.pk, trip.first, trip.last)
            back = trip.last - 1
            if self.risk(region.pk, trip.last) > self.risk(person.region_id, back):
                days = self.rule(person.region_id, back)[2]
                reason = self._arrival_reason(region.pk, trip.last)
                self._quarantine(person, start=back, days=days, out=back - days, place=trip.place, reason=reason)
        domestic = [r.pk for code, r in sorted(self.ctx.regions.items()) if r.country == "CN"]
        if self.raw_from < 10:
            return
        for _, people in self.units:
            for person in people:
                if self.busy(person) or rng.random() >= D.TRIP_SHARE:
                    continue
                last = rng.randint(3, self.raw_from - 5)
                first = last + rng.randint(1, 3)
                back_risk = self.risk(person.region_id, last - 1)
                safe = [
                    r
                    for r in domestic
                    if r != person.region_id and all(self.risk(r, k) <= back_risk for k in range(last, first + 1))
                ]
                if safe:
                    person.trip = (rng.choice(safe), first, last)
