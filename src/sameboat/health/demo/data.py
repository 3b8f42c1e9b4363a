"""The shape of the demo's 90 days of health reporting: phases, rates, texts and stories.

Days are counted back from the build ("days ago", 0 is today), like the region rules in
``data``. Free text is bilingual, as the group's officers would write it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sameboat.health.models import CommuteMode, QuarantinePlace, Symptom

HISTORY_DAYS = 90

# --- How people worked, phase by phase ----------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """From ``first`` to ``last`` days ago: the share of staff wanted on site on a weekday
    (from ``onsite_from`` to ``onsite_to``, linearly; the region's rule caps it), the share of
    the rest on leave, and the day's reporting rate (drawn per unit between ``rate_low`` and
    ``rate_high``)."""

    first: int
    last: int
    onsite_from: float
    onsite_to: float
    leave: float
    rate_low: float
    rate_high: float


# fmt: off
PHASES: tuple[Phase, ...] = (
    Phase(89, 82, 0.55, 0.40, 0.30, 0.92, 0.98),  # the outbreak, days before the Spring Festival
    Phase(81, 62, 0.04, 0.06, 0.65, 0.90, 0.97),  # the extended holiday: duty staff only
    Phase(61, 8, 0.10, 0.88, 0.08, 0.93, 0.99),   # resumption in order, key work first
    Phase(7, 1, 0.90, 0.92, 0.04, 0.94, 0.99),    # nearly everyone back
    Phase(0, 0, 0.92, 0.92, 0.04, 0.86, 0.88),    # today, before noon: some still to report
)
# fmt: on
WEEKEND_ONSITE = 0.35  # share of the weekday's on-site staff who also work at weekends
WEEKEND_LEAVE = 0.75  # share on leave among the rest at weekends
WEEKEND_RATE = 0.04  # reporting is a little lower at weekends
HOLIDAY_LEAVE_DECAY = 0.45  # the holiday's leave share falls by this much towards its end

# Going home for the Spring Festival: who went (people whose home is elsewhere), when they
# left and came back (days ago); staff of a locked-down city came back after it reopened.
AWAY_SHARE = 0.8
AWAY_SHARE_OVERSEAS = 0.5
LEAVE_HOME = (86, 80)
RETURN = (76, 64)
RETURN_AFTER_LOCKDOWN = (39, 33)
AWAY_CLOUD = 0.3  # share of those away who work from their home town
CENTRAL_FROM = ("CN-HB", "CN-HB-WH")  # arrivals from here went to a central site more often
CENTRAL_SHARE = 0.4
EXTENDED_SHARE = 0.15  # quarantines extended by a few days after a second test

# Per person: most report every day; a few often forget or file late.
LAX_SHARE = 0.1
LAX_RELIABILITY = 0.9
LATE = 0.04
LATE_LAX = 0.2

# Signals in the background: per person and day.
FEVER_RATE = 0.0003
SYMPTOM_RATE = 0.0004
BACKGROUND_SYMPTOMS = (Symptom.COUGH, Symptom.SORE_THROAT, Symptom.FATIGUE)
CLEAR_AFTER = (2, 3)  # days of normal readings before a watch case is cleared
TRIP_SHARE = 0.01  # people on a short business trip (same or lower risk) in the last month

# fmt: off
COMMUTES: tuple[tuple[str, int], ...] = (
    (CommuteMode.CAR, 30), (CommuteMode.SHUTTLE, 25), (CommuteMode.WALK, 20),
    (CommuteMode.PUBLIC, 18), (CommuteMode.TAXI, 7),
)
# fmt: on
WEB_SHARE = 0.7  # the rest file from the mobile app (the API)
REPEAT_SHARE = 0.35  # healthy people with the same answers as yesterday often press "repeat"

# Filing times, in minutes after midnight: on time before the cut-off, late after it.
ON_TIME_MINUTES = (7 * 60, 9 * 60 + 50)
LATE_MINUTES = (10 * 60 + 5, 17 * 60)

# --- Stories -------------------------------------------------------------------------------------

# The one confirmed case: a test engineer in Beijing, as the city reports a local cluster.
CONFIRMED_UNIT = "TZ01-U4"
CONTACTS = 5  # colleagues traced as close contacts (fewer in a small world)
# The demo officer's unit, where a fever comes in this morning.
OFFICER_UNIT = "TZ02-U1"
EMPLOYEE_LOGIN = "employee"
OFFICER_LOGIN = "officer"


@dataclass(frozen=True)
class Reading:
    """One story check-in: temperature, symptoms and (optionally) the work status."""

    days_ago: int
    temperature: str
    symptoms: tuple[str, ...] = ()
    status: str = ""  # empty: what the simulation gives (quarantine when in one)


@dataclass(frozen=True)
class StatusChange:
    """A step in a case's follow-up, with the officer's note."""

    days_ago: int
    status: str  # a CaseStatus value
    note: str


@dataclass(frozen=True)
class Story:
    """A person in ``unit`` whose readings open a case that follows ``changes``; a quarantine
    of ``quarantine_days`` days from ``quarantine_from`` days ago when given (open unless
    ``released`` days ago)."""

    key: str
    unit: str
    readings: tuple[Reading, ...]
    changes: tuple[StatusChange, ...] = ()
    quarantine_from: int | None = None
    quarantine_place: str = QuarantinePlace.HOME
    quarantine_days: int = 14
    released: int | None = None
    quarantine_reason: str = ""


SUSPECTED = "suspected"
ISOLATED = "isolated"
CONFIRMED = "confirmed"
CLEARED = "cleared"

# fmt: off
STORIES: tuple[Story, ...] = (
    Story(
        "confirmed", CONFIRMED_UNIT,
        readings=(
            Reading(5, "38.2", (Symptom.FEVER, Symptom.COUGH, Symptom.FATIGUE), status="leave"),
            Reading(4, "38.5", (Symptom.FEVER, Symptom.COUGH)),
            Reading(3, "38.0", (Symptom.FEVER, Symptom.COUGH)),
            Reading(2, "37.6", (Symptom.COUGH,)),
            Reading(1, "37.2", (Symptom.COUGH,)),
            Reading(0, "36.9", (Symptom.COUGH,)),
        ),
        changes=(
            StatusChange(5, SUSPECTED, "发热门诊就诊，已采核酸；曾去过本市聚集性疫情相关场所 · "
                         "Seen at the fever clinic, swab taken; visited a site linked to the city's cluster"),
            StatusChange(4, ISOLATED, "转入集中隔离点，等待检测结果 · Moved to the central quarantine site "
                         "while the test is pending"),
            StatusChange(3, CONFIRMED, "核酸检测阳性，确诊；在集中隔离点接受治疗观察，密切接触者已追踪 · "
                         "Test positive: confirmed; treated at the central site, close contacts traced"),
        ),
        quarantine_from=4, quarantine_place=QuarantinePlace.CENTRAL, quarantine_days=21,
        quarantine_reason="疑似病例，集中隔离 · Suspected case, central quarantine",
    ),
    Story(
        "suspected", "TZ04-U2",
        readings=(
            Reading(1, "37.9", (Symptom.FEVER, Symptom.COUGH), status="leave"),
            Reading(0, "37.5", (Symptom.COUGH,), status="leave"),
        ),
        changes=(
            StatusChange(1, SUSPECTED, "发热伴咳嗽，已到发热门诊，等待核酸结果 · Fever and cough: "
                         "seen at the fever clinic, test result pending"),
        ),
    ),
    Story(
        "isolated", "TZ05-U1",
        readings=(
            Reading(2, "38.0", (Symptom.FEVER, Symptom.SORE_THROAT), status="leave"),
            Reading(1, "37.4", (Symptom.SORE_THROAT,)),
            Reading(0, "37.0", (Symptom.SORE_THROAT,)),
        ),
        changes=(
            StatusChange(2, ISOLATED, "居家隔离观察，社区已采样 · Isolated at home; "
                         "the neighbourhood clinic took a swab"),
        ),
        quarantine_from=2, quarantine_reason="发热待排查，居家隔离 · Fever under investigation, home isolation",
    ),
    Story(
        "cleared", "TZ03-U2",
        readings=(
            Reading(15, "38.4", (Symptom.FEVER, Symptom.FATIGUE), status="leave"),
            Reading(14, "37.8", (Symptom.FATIGUE,)),
            Reading(13, "37.1"),
        ),
        changes=(
            StatusChange(15, SUSPECTED, "高热乏力，发热门诊已采样 · High fever and fatigue, swab taken"),
            StatusChange(14, ISOLATED, "居家隔离等待结果 · Isolated at home pending the result"),
            StatusChange(11, CLEARED, "两次核酸检测阴性，解除观察 · Two negative tests: cleared"),
        ),
        quarantine_from=14, quarantine_days=14, released=11,
        quarantine_reason="发热待排查，居家隔离 · Fever under investigation, home isolation",
    ),
    Story(
        "officer_fever", OFFICER_UNIT,
        readings=(Reading(0, "37.6", (), status="leave"),),
    ),
)
# fmt: on
CONTACT_NOTE = (
    "密切接触者，居家隔离14天，每日两次测温 · Close contact: 14 days' home quarantine, temperature twice a day"
)

# Arrivals during the holiday wave who had a fever soon after: suspected, isolated, cleared.
WAVE_SUSPECTS = 2
WAVE_SUSPECT_CHANGES = (
    (0, SUSPECTED, "返岗隔离期间发热，已送发热门诊 · Fever during quarantine after the return, sent to the clinic"),
    (1, ISOLATED, "转入集中隔离点 · Moved to the central quarantine site"),
    (4, CLEARED, "核酸检测阴性，解除观察 · Test negative: cleared"),
)


@dataclass(frozen=True)
class Trip:
    """Someone from ``unit`` was in ``region`` from ``first`` to ``last`` days ago and came
    back (into quarantine when that region was riskier) the day after."""

    unit: str
    region: str
    first: int
    last: int
    place: str = QuarantinePlace.HOME


# fmt: off
TRIPS: tuple[Trip, ...] = (
    Trip("TZ01-U2", "CN-HE-SJZ", 11, 8),                          # Tianjin: 7 days, ends today
    Trip("TZ01-U1", "CN-HE-SJZ", 10, 8, QuarantinePlace.CENTRAL),  # Beijing: 14 days, open
    Trip("TZ05-U1", "LK", 26, 21, QuarantinePlace.CENTRAL),        # Shenzhen: arrivals, released
    Trip("TZ03-U1", "CN-HB-WH", 19, 17),                           # Chengdu: 7 days, released
    Trip("TZ06-U2", "MM", 24, 20),                                 # Jiangsu: 7 days, released
)
# fmt: on

# --- Texts ----------------------------------------------------------------------------------------

NOTE_SIGNAL = "{day}: {reason}"
NOTE_CLEARED = "连续两天体温正常、无症状，解除观察 · Normal for two days, no symptoms: cleared"
