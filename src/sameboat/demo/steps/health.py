"""90 days of health reporting for the group's staff (the trade council's small roster is left out).

The step simulates every person's day in Python, then writes in bulk:

* raw check-ins only for the days the retention rule keeps (``retention_cutoff``): older
  ones would be purged anyway, and writing ~390,000 rows to delete most of them would
  cost far more than the whole rest of the world;
* the daily return of every staffed organisation for all 90 days, from the same
  simulation; for the days with raw rows ``rollup.returns_recount`` then recounts the
  check-in counters from those rows, so they hold by construction;
* quarantines (the wave after the holiday travel, recent trips, close contacts), and
  follow-up cases with their notes, opened by the fevers and symptoms that came in.

Check-ins, cases, notes and quarantines go in with plain ``executemany`` rather than
``bulk_create``: it is several times faster on SQLite, and it keeps the times the
records carry (filed at 08:12 that day, not when the demo was built), which
``auto_now_add`` fields would overwrite. Like the rosters, the history records one audit
event with its counts instead of one per row.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db import connection, models
from django.utils import timezone

from sameboat.core.audit import Changes, audit
from sameboat.demo import data_health as D
from sameboat.demo.builder import DemoContext
from sameboat.demo.data import GROUP_CODE
from sameboat.demo.data_group import GROUP
from sameboat.health.models import (
    FEVER_THRESHOLD,
    CaseNote,
    CaseStatus,
    CheckIn,
    DailyReturn,
    FollowUpCase,
    Quarantine,
    Source,
    WorkStatus,
)
from sameboat.health.services import rollup
from sameboat.health.services.checkins import cutoff_time
from sameboat.health.services.retention import retention_cutoff
from sameboat.orgs.models import RISK_ORDER, Employee, RegionRule, RiskLevel

BATCH_SIZE = 5000
# Values the database driver takes as they are (foreign keys go in as ids).
PLAIN_FIELDS = (models.BooleanField, models.IntegerField, models.CharField, models.TextField)
ON_SITE, CLOUD, LEAVE = WorkStatus.ON_SITE, WorkStatus.CLOUD, WorkStatus.LEAVE
IN_QUARANTINE = {"home": WorkStatus.HOME_QUARANTINE, "central": WorkStatus.CENTRAL_QUARANTINE}
# The check-in counters of a return, in the order the simulation keeps them.
COUNTERS = ("reported", "on_time", "on_site", "cloud_office", "leave", "fever", "symptomatic", "exposed")
STATUS_COUNTER: dict[str, int] = {ON_SITE: 2, CLOUD: 3, LEAVE: 4}
CHECKIN_COLUMNS = (
    "employee organization day temperature symptoms region travelled contact work_status commute_mode source "
    "on_time submitted_by created_at updated_at"
)
QUARANTINE_COLUMNS = "employee organization start planned_end released_on place reason proposed created_by created_at"
CASE_COLUMNS = "employee organization status reason opened_on closed_on opened_by_checkin created_at updated_at"
NOTE_COLUMNS = "case author text status_from status_to created_at"


@dataclass
class Person:
    """One person of the roster and what the history does to them."""

    id: int
    org_id: int
    unit: str
    region_id: int
    home_id: int
    user_id: int | None
    priority: float  # lower comes on site first (key research and production)
    reliability: float
    late: float
    commute: str
    baseline: float
    quiet: bool = False  # no background signals: logins and people in a story
    always: bool = False  # reports every day (the logins, people followed up closely)
    skip_today: bool = False
    away: tuple[int, int] | None = None  # went home for the holiday: (left, back) days ago
    trip: tuple[int, int, int] | None = None  # (region id, first, last) days ago
    # (start, first day out or None while open, place), days ago.
    quarantines: list[tuple[int, int | None, str]] = field(default_factory=list)
    contact_from: int | None = None
    readings: dict[int, D.Reading] = field(default_factory=dict)

    def quarantine_on(self, k: int) -> str | None:
        for start, out, place in self.quarantines:
            if start >= k and (out is None or k > out):
                return place
        return None


@dataclass
class CasePlan:
    """A follow-up case: opened by a signal, moved by status changes, maybe closed."""

    person: Person
    opened: int
    reason: str
    changes: list[tuple[int, str, str]] = field(default_factory=list)  # (days ago, status, note)
    notes: list[tuple[int, str]] = field(default_factory=list)  # signals while open
    closed: int | None = None

    def status_on(self, k: int) -> str | None:
        """The case's status at the end of day ``k``, or None when it is not open then."""
        if k > self.opened or (self.closed is not None and k <= self.closed):
            return None
        status: str = CaseStatus.WATCH
        for when, new, _ in self.changes:
            if when >= k:
                status = new
        return status


@dataclass
class Sim:
    """What the simulation produced, ready to be written."""

    checkins: list[tuple[Any, ...]] = field(default_factory=list)
    returns: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    signals: dict[int, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    minutes: dict[tuple[int, int], int] = field(default_factory=dict)  # when signalled check-ins came in
    quarantines: list[tuple[Person, int, int, int | None, str, str]] = field(default_factory=list)


def run(ctx: DemoContext) -> None:
    """Simulate 90 days of reporting for the group's staff and write it in bulk."""
    history = History(ctx)
    history.plan()
    sim = history.simulate()
    cases = history.cases(sim)
    with roomy_sqlite_cache():
        history.write(sim, cases)


@contextmanager
def roomy_sqlite_cache() -> Iterator[None]:
    """Give SQLite a 64 MB page cache while the step writes (then put the old size back).

    With the default 2 MB, the seven indexes of 120,000 new check-ins no longer fit and
    the insert runs about a third slower.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        old = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -65536")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {old}")


class History:
    """The group's 90 days, planned, simulated and written by one object sharing the lookups."""

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
        self.region_names = {r.pk: (r.name_zh, r.name_en) for r in ctx.regions.values()}
        self.region_codes = {r.pk: code for code, r in ctx.regions.items()}
        officer_unit = next(spec for spec in GROUP.walk() if spec.code == D.OFFICER_UNIT)
        self.officer_orgs = {ctx.org(spec.code).pk for spec in officer_unit.walk()}
        self.officer_id = getattr(ctx.users.get(D.OFFICER_LOGIN), "pk", None)
        self.quarantines: list[tuple[Person, int, int, int | None, str, str]] = []
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
        group_region = int(self.ctx.org(GROUP_CODE).region_id or 0)
        commutes, weights = zip(*D.COMMUTES, strict=True)
        for spec in GROUP.walk():
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
            reason=self._arrival_reason(D.RETURN_REASON, person.home_id, back),
        )

    def _arrival_reason(self, template: str, region_id: int, k: int) -> str:
        zh, en = self.region_names[region_id]
        risk_zh, risk_en = D.RISK_NAMES[self.rule(region_id, k)[0]]
        return template.format(zh=zh, en=en, risk_zh=risk_zh, risk_en=risk_en)

    def _quarantine(self, person: Person, *, start: int, days: int, out: int | None, place: str, reason: str) -> None:
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
                reason=D.CONTACT_QUARANTINE,
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
                reason = self._arrival_reason(D.TRIP_REASON, region.pk, trip.last)
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

    # --- Simulation ----------------------------------------------------------------------------

    def phase(self, k: int) -> tuple[float, float, float, float]:
        """(on-site share wanted, leave share of the rest, reporting rate low, high) on a day."""
        weekend = self.day(k).weekday() >= 5
        phase = next(p for p in D.PHASES if p.first >= k >= p.last)
        span = max(1, phase.first - phase.last)
        progress = (phase.first - k) / span
        onsite = phase.onsite_from + (phase.onsite_to - phase.onsite_from) * progress
        leave = phase.leave
        if phase.onsite_to < 0.1:  # the holiday: leave gives way to the cloud office
            leave -= D.HOLIDAY_LEAVE_DECAY * progress
        low, high = phase.rate_low, phase.rate_high
        if weekend and k:
            onsite *= D.WEEKEND_ONSITE
            leave = D.WEEKEND_LEAVE
            low, high = low - D.WEEKEND_RATE, high - D.WEEKEND_RATE
        return onsite, leave, low, high

    def simulate(self) -> Sim:
        """Every person's every day, oldest first; raw rows only for the kept days."""
        sim = Sim()
        sim.quarantines = self.quarantines
        rng = self.rng
        cutoff = cutoff_time()
        cutoff_minutes = cutoff.hour * 60 + cutoff.minute
        now = timezone.localtime()
        latest_today = max(0, now.hour * 60 + now.minute - 1)
        previous: dict[int, tuple[int, str, int]] = {}
        for k in range(D.HISTORY_DAYS - 1, -1, -1):
            raw = k <= self.raw_from
            day = self.day(k)
            wanted, leave_share, low, high = self.phase(k)
            for _code, people in self.units:
                cap = float(self.rule(people[0].region_id, k)[1])
                rate = rng.uniform(low, high)
                reporters: list[tuple[Person, str | None, str, tuple[str, ...], bool]] = []
                for person in people:
                    reading = person.readings.get(k)
                    if k == 0 and person.skip_today:
                        continue
                    place = person.quarantine_on(k) if person.quarantines else None
                    forced = person.always or reading is not None or place is not None
                    if not forced and rng.random() >= rate * person.reliability:
                        continue
                    temp, symptoms, fever = self._temperature(person, reading, raw)
                    status = self._fixed_status(person, k, reading, fever, place)
                    reporters.append((person, status, temp, symptoms, fever))
                quota = math.floor(min(wanted, cap) * len(reporters))
                counts = sim.returns.setdefault((people[0].org_id, k), [0] * len(COUNTERS))
                for person, status, temp, symptoms, fever in reporters:
                    if status is None:
                        if quota > 0:
                            status, quota = ON_SITE, quota - 1
                        else:
                            status = LEAVE if rng.random() < leave_share else CLOUD
                    late = rng.random() < person.late and not person.always
                    early, latest = D.LATE_MINUTES if late else D.ON_TIME_MINUTES
                    minutes = early + int(rng.random() * (latest - early))
                    if k == 0:
                        minutes = min(minutes, latest_today)
                    on_time = minutes <= cutoff_minutes
                    contact = person.contact_from is not None and person.contact_from >= k
                    counts[0] += 1
                    counts[1] += on_time
                    if status in STATUS_COUNTER:
                        counts[STATUS_COUNTER[status]] += 1
                    counts[5] += fever
                    counts[6] += bool(symptoms)
                    counts[7] += contact
                    reasons = (
                        self._reasons(temp if fever else None, symptoms, contact)
                        if fever or symptoms or contact
                        else ""
                    )
                    if reasons:
                        sim.signals[person.id].append((k, reasons))
                        sim.minutes[(person.id, k)] = minutes
                    if not raw:
                        continue
                    source = Source.WEB if rng.random() < D.WEB_SHARE else Source.API
                    region = self._region_on(person, k)
                    same = previous.get(person.id) == (k + 1, status, region)
                    if same and not reasons and rng.random() < D.REPEAT_SHARE:
                        source = Source.REPEAT
                    previous[person.id] = (k, status, region) if not reasons else (k, "", 0)
                    commute = person.commute if status == ON_SITE else "none"
                    travelled = self._travelled(person, k)
                    # fmt: off
                    sim.checkins.append((
                        person.id, person.org_id, day, temp, symptoms, region, travelled, contact, status,
                        commute, source, on_time, person.user_id, (day, minutes), (day, minutes),
                    ))
                    # fmt: on
        return sim

    def _temperature(self, person: Person, reading: D.Reading | None, raw: bool) -> tuple[str, tuple[str, ...], bool]:
        """(temperature, symptoms, fever): a story's, a background fever or symptom, or normal."""
        if reading is not None:
            return reading.temperature, tuple(sorted(reading.symptoms)), Decimal(reading.temperature) >= FEVER_THRESHOLD
        rng = self.rng
        draw = rng.random()
        if not person.quiet and draw < D.FEVER_RATE:
            symptoms = (rng.choice(D.BACKGROUND_SYMPTOMS),) if rng.random() < 0.5 else ()
            return f"{rng.uniform(37.3, 38.3):.1f}", tuple(sorted({"fever", *symptoms})), True
        if not person.quiet and draw < D.FEVER_RATE + D.SYMPTOM_RATE:
            return f"{min(37.1, person.baseline + 0.2):.1f}", (rng.choice(D.BACKGROUND_SYMPTOMS),), False
        if not raw:
            return "36.5", (), False  # old days keep only counts: the exact normal reading is not stored
        return f"{min(37.1, max(36.0, rng.gauss(person.baseline, 0.12))):.1f}", (), False

    def _fixed_status(
        self, person: Person, k: int, reading: D.Reading | None, fever: bool, place: str | None
    ) -> str | None:
        """The status when the day decides it (quarantine, away, a story); None: free to choose."""
        if place is not None:
            return IN_QUARANTINE[place]
        if reading is not None and reading.status:
            return reading.status
        if fever:
            return LEAVE  # people with a fever stay at home
        if person.away and person.away[0] >= k > person.away[1]:
            return CLOUD if k < D.PHASES[1].last or self.rng.random() < D.AWAY_CLOUD else LEAVE
        if person.trip and person.trip[1] >= k >= person.trip[2]:
            return CLOUD
        return None

    def _region_on(self, person: Person, k: int) -> int:
        if person.away and person.away[0] >= k > person.away[1]:
            return person.home_id
        if person.trip and person.trip[1] >= k >= person.trip[2]:
            return person.trip[0]
        return person.region_id

    @staticmethod
    def _travelled(person: Person, k: int) -> bool:
        """Outside the home region in the last 14 days (the trip, or back from home)."""
        if person.trip and person.trip[1] >= k >= person.trip[2] - 14:
            return True
        return bool(person.away and person.away[0] >= k >= person.away[1] - 14)

    @staticmethod
    def _reasons(fever: str | None, symptoms: Sequence[str], contact: bool) -> str:
        reasons = []
        if fever is not None:
            reasons.append(D.REASON_FEVER.format(t=fever))
        if symptoms:
            reasons.append(D.REASON_SYMPTOMS)
        if contact:
            reasons.append(D.REASON_CONTACT)
        return "; ".join(reasons)

    # --- Follow-up cases -----------------------------------------------------------------------

    def cases(self, sim: Sim) -> list[CasePlan]:
        """Open a case at a person's first signal; later signals note it until it clears."""
        plans: list[CasePlan] = []
        for person_id, signals in sim.signals.items():
            person = self.people[person_id]
            story = self.stories.get(person_id)
            case: CasePlan | None = None
            for k, reason in signals:  # oldest first
                if case is not None and (case.closed is None or k > case.closed):
                    case.notes.append((k, reason))
                    if story is None and person_id not in self.wave_suspects:
                        case.closed = self._clear_day(k)
                    continue
                case = CasePlan(person=person, opened=k, reason=reason[:300])
                plans.append(case)
                if story is not None:
                    case.changes = [(c.days_ago, c.status, c.note) for c in story.changes]
                    cleared = [c.days_ago for c in story.changes if c.status == D.CLEARED]
                    case.closed = cleared[0] if cleared else None
                elif person.contact_from is not None:
                    case.notes.append((k, D.CONTACT_NOTE))
                elif person_id in self.wave_suspects:
                    case.changes = [(k - offset, status, note) for offset, status, note in D.WAVE_SUSPECT_CHANGES]
                    case.closed = k - D.WAVE_SUSPECT_CHANGES[-1][0]
                else:
                    case.closed = self._clear_day(k)
        for case in plans:
            # A watch case is cleared after days of normal readings, unless that is still to come.
            if case.closed is not None and case.closed < 0:
                case.closed = None
            elif case.closed is not None and not any(s == D.CLEARED for _, s, _ in case.changes):
                case.changes.append((case.closed, D.CLEARED, D.NOTE_CLEARED))
        return plans

    def _clear_day(self, k: int) -> int:
        """The day a watch case clears (negative: not yet)."""
        return k - self.rng.randint(*D.CLEAR_AFTER)

    # --- Writing -------------------------------------------------------------------------------

    def write(self, sim: Sim, cases: list[CasePlan]) -> None:
        """Quarantines, check-ins, returns (recounted from the raw rows), cases and notes."""
        ctx = self.ctx
        self._write_quarantines(sim)
        insert_rows(
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
            ctx.org(GROUP_CODE),
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
            rows.append((person.id, person.org_id, first, end, out, place, reason[:300], False, creator, (first, 510)))
        insert_rows(Quarantine, QUARANTINE_COLUMNS.split(), rows, convert={"created_at": self._stamp})

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
        insert_rows(
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
                case.person.id, case.person.org_id, status, case.reason, opened, closed, checkin,
                (opened, minutes + 1), touched,
            ))
            # fmt: on
        stamps: dict[str, Callable[[Any], Any]] = {"created_at": self._stamp_capped, "updated_at": self._stamp_capped}
        insert_rows(FollowUpCase, CASE_COLUMNS.split(), rows, convert=stamps)
        case_ids = {
            (employee_id, opened): pk
            for pk, employee_id, opened in FollowUpCase.objects.filter(employee_id__in={c.person.id for c in cases})
            .order_by()
            .values_list("pk", "employee_id", "opened_on")
        }
        notes: list[tuple[int, int | None, str, str, str, tuple[datetime.date, int]]] = []
        for case in cases:
            case_id = case_ids[(case.person.id, self.day(case.opened))]
            author = self.officer_id if case.person.org_id in self.officer_orgs else None
            before: str = CaseStatus.WATCH
            for k, new, text in sorted(case.changes, key=lambda change: -change[0]):
                notes.append((case_id, author, text, before, new, (self.day(k), 11 * 60 + len(notes) % 50)))
                before = new
            for k, reason in case.notes:
                minutes = sim.minutes.get((case.person.id, k), 9 * 60) + 2
                text = D.NOTE_SIGNAL.format(day=self.day(k).isoformat(), reason=reason)
                notes.append((case_id, None, text, "", "", (self.day(k), minutes)))
        insert_rows(CaseNote, NOTE_COLUMNS.split(), notes, convert={"created_at": self._stamp_capped})
        # Today's suspected and confirmed are the open cases, as the health app counts them.
        for org_id in sorted({p.org_id for p in self.people.values()}):
            rollup.returns_recount_cases(org_id, ctx.today)
        return len(rows), len(notes)

    def _stamp_capped(self, value: tuple[datetime.date, int]) -> datetime.datetime:
        """A time on a day, never later than now (today's notes are written this morning)."""
        return min(self._stamp(value), timezone.now() - datetime.timedelta(minutes=1))


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    convert: dict[str, Callable[[Any], Any]] | None = None,
) -> int:
    """Write plain rows (values in ``names`` order; foreign keys as ids) in bulk.

    PostgreSQL gets them through ``COPY`` (one round trip per row made ``executemany`` the
    slowest part of the build there); SQLite, in process, through ``executemany``. Each
    distinct value is prepared for the database once (most repeat: days, temperatures,
    symptom lists, times to the minute); ``convert`` first turns a row's value into the
    field's Python value.
    """
    meta = model._meta
    fields = [cast(models.Field, meta.get_field(name)) for name in names]  # concrete columns only
    quote = connection.ops.quote_name
    table, columns = quote(meta.db_table), ", ".join(quote(f.column or f.name) for f in fields)
    convert = convert or {}
    # The driver takes ids, flags, numbers and text as they are; the rest is prepared.
    preparers = [
        (i, _memo(f, convert.get(f.name)))
        for i, f in enumerate(fields)
        if not (f.is_relation or isinstance(f, PLAIN_FIELDS))
    ]

    def prepared() -> Iterator[Sequence[Any]]:
        for row in rows:
            if preparers:
                row = list(row)  # the prepared copy stands in for the plain row
                for i, prepare in preparers:
                    row[i] = prepare(row[i])
            yield row

    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared():
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 - from meta
        batch: list[Sequence[Any]] = []
        for row in prepared():
            batch.append(row)
            if len(batch) == BATCH_SIZE:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _memo(f: models.Field, convert: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    cache: dict[Any, Any] = {}

    def prepare(value: Any) -> Any:
        try:
            return cache[value]
        except KeyError:
            python = value if value is None or convert is None else convert(value)
            cache[value] = prepared = f.get_db_prep_save(python, connection)
            return prepared

    return prepare
