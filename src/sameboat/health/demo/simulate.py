"""Simulating the health history day by day, and the follow-up cases its signals open."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from sameboat.health.demo import data as D
from sameboat.health.demo.plan import Planner
from sameboat.health.demo.records import (
    CLOUD,
    COUNTERS,
    IN_QUARANTINE,
    LEAVE,
    ON_SITE,
    STATUS_COUNTER,
    CasePlan,
    Person,
    Reasons,
    Sim,
)
from sameboat.health.models import (
    FEVER_THRESHOLD,
    Source,
)
from sameboat.health.services.checkins import cutoff_time


class Simulator(Planner):
    """The planned history, simulated: every person's day, and the cases it opens."""

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
                        else []
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
    def _reasons(fever: str | None, symptoms: Sequence[str], contact: bool) -> Reasons:
        # Codes, as the check-in service stores them (health.reasons), said in words when read.
        reasons: Reasons = []
        if fever is not None:
            reasons.append({"code": "fever", "t": fever})
        if symptoms:
            reasons.append({"code": "symptoms"})
        if contact:
            reasons.append({"code": "contact"})
        return reasons

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
                case = CasePlan(person=person, opened=k, reason=reason)
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
