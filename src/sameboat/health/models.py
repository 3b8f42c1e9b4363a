"""Daily check-ins, follow-up cases, quarantines and the per-unit daily return."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

FEVER_THRESHOLD = Decimal("37.3")
TEMPERATURE_MIN = Decimal("34.0")
TEMPERATURE_MAX = Decimal("43.0")
# A check-in's values: what an edit (in the app or by an upload) may change, and what a
# revision keeps.
CHECKIN_VALUE_FIELDS = (
    "temperature",
    "symptoms",
    "region_id",
    "travelled",
    "contact",
    "work_status",
    "commute_mode",
)


class Symptom(models.TextChoices):
    FEVER = "fever", _("Fever")
    COUGH = "cough", _("Cough")
    SORE_THROAT = "sore_throat", _("Sore throat")
    FATIGUE = "fatigue", _("Fatigue")
    SHORT_BREATH = "short_breath", _("Shortness of breath")
    TASTE_SMELL = "taste_smell", _("Loss of taste or smell")


class WorkStatus(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    CLOUD = "cloud", _("Cloud office")
    LEAVE = "leave", _("Leave")
    HOME_QUARANTINE = "home_quarantine", _("Home quarantine")
    CENTRAL_QUARANTINE = "central_quarantine", _("Central quarantine")


QUARANTINE_STATUSES = frozenset({WorkStatus.HOME_QUARANTINE, WorkStatus.CENTRAL_QUARANTINE})


class CommuteMode(models.TextChoices):
    NONE = "none", _("No commute")
    WALK = "walk", _("Walk or bicycle")
    CAR = "car", _("Own car")
    SHUTTLE = "shuttle", _("Company shuttle")
    PUBLIC = "public", _("Public transport")
    TAXI = "taxi", _("Taxi or ride-hailing")


class Source(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    IMPORT = "import", _("Spreadsheet upload")
    REPEAT = "repeat", _("Same as yesterday")


class CheckIn(models.Model):
    """One employee's report for one day; a second submission that day edits it."""

    # No index of its own on the employee or the unit: the unique (employee, day) and the
    # (organization, day) indexes lead with them, and every index is written by each of a
    # morning's hundred thousand reports.
    #
    # The employee, unit, region and submitter are checked by Django (CASCADE, PROTECT,
    # SET_NULL), not by database foreign keys. A key check takes a key-share lock on the
    # referenced row for every check-in: for the same few unit, region and user rows that
    # was 5 of a 200,000-row upload's 14 seconds, and for the employees it was 0.9 s more
    # (bench/checkin_import). Every check-in is written by a service or an upload that has
    # just read its employee; people leave the roster by deactivation, and deleting one
    # (the admin site) deletes their check-ins first.
    employee = models.ForeignKey(
        "orgs.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="checkins",
        db_index=False,
        db_constraint=False,
    )
    # The unit the person belonged to when reporting: returns count by it, and it keeps
    # yesterday's return right when someone moves unit today.
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    day = models.DateField(_("day"))
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    region = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("today's region"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    travelled = models.BooleanField(_("travelled outside the home region in the last 14 days"), default=False)
    contact = models.BooleanField(_("contact with a confirmed or suspected case in the last 14 days"), default=False)
    work_status = models.CharField(_("work status"), max_length=20, choices=WorkStatus.choices)
    commute_mode = models.CharField(
        _("commute mode"), max_length=10, choices=CommuteMode.choices, default=CommuteMode.NONE
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.WEB)
    on_time = models.BooleanField(_("filed by the cut-off"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-day", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "day"], name="checkin_one_per_person_day"),
            models.CheckConstraint(
                condition=models.Q(temperature__gte=TEMPERATURE_MIN, temperature__lte=TEMPERATURE_MAX),
                name="checkin_temperature_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(work_status__in=WorkStatus.values), name="checkin_work_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["organization", "day"], name="checkin_org_day_idx")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.day}"

    @property
    def audit_repr(self) -> str:
        """How the audit trail names the record: by the person it is about."""
        return str(self.employee)

    @property
    def has_fever(self) -> bool:
        return self.temperature >= FEVER_THRESHOLD

    @property
    def needs_follow_up(self) -> bool:
        return self.has_fever or bool(self.symptoms) or self.contact


class CheckInRevision(models.Model):
    """The values a check-in had before an edit.

    The audit trail records who edited which fields and points here for the values, so the
    retention purge can delete health values with the check-in while the append-only
    trail keeps its metadata.
    """

    checkin = models.ForeignKey(CheckIn, verbose_name=_("check-in"), on_delete=models.CASCADE, related_name="revisions")
    values = models.JSONField(_("values before the edit"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("edited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in revision")
        verbose_name_plural = _("check-in revisions")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.checkin_id} @ {self.recorded_at:%Y-%m-%d %H:%M}"


class CaseStatus(models.TextChoices):
    WATCH = "watch", _("Watch")
    SUSPECTED = "suspected", _("Suspected")
    ISOLATED = "isolated", _("Isolated")
    CLEARED = "cleared", _("Cleared")
    CONFIRMED = "confirmed", _("Confirmed")


OPEN_CASE_STATUSES = frozenset({CaseStatus.WATCH, CaseStatus.SUSPECTED, CaseStatus.ISOLATED, CaseStatus.CONFIRMED})

# Which open cases each figure of the daily return counts. One definition for the return's
# counters (services.rollup) and for the list a dashboard tile opens (health.figures): an
# isolated person is still a suspected case, so the "suspected" list must show them too.
CASE_FIGURES: dict[str, tuple[str, ...]] = {
    "suspected": (CaseStatus.SUSPECTED, CaseStatus.ISOLATED),
    "confirmed": (CaseStatus.CONFIRMED,),
}


class FollowUpCase(models.Model):
    """A person on the unit officer's follow-up list, opened by a fever, symptoms or exposure."""

    employee = models.ForeignKey(
        "orgs.Employee", verbose_name=_("employee"), on_delete=models.CASCADE, related_name="cases"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.WATCH)
    # Free text (an old case, or one opened by hand); a check-in's reasons are in ``reasons``.
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Codes and values (health.reasons), put in words in the reader's language when shown.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    opened_by_checkin = models.ForeignKey(
        CheckIn, verbose_name=_("check-in"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("follow-up case")
        verbose_name_plural = _("follow-up cases")
        ordering = ["-opened_on", "-id"]
        constraints = [
            # One open case per person: new signals add notes to it instead of new cases.
            models.UniqueConstraint(
                fields=["employee"], condition=models.Q(closed_on__isnull=True), name="case_one_open_per_person"
            ),
            models.CheckConstraint(condition=models.Q(status__in=CaseStatus.values), name="case_status_valid"),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="case_org_status_idx")]

    def __str__(self) -> str:
        return f"{self.employee} · {self.get_status_display()}"

    @property
    def audit_repr(self) -> str:
        """How the audit trail names the record: by the person it is about."""
        return str(self.employee)

    @property
    def reason_shown(self) -> str:
        """Why the case was opened, in the active language (stored text for old cases)."""
        from sameboat.health.reasons import reasons_text

        return reasons_text(self.reasons) if self.reasons else self.reason


class CaseNote(models.Model):
    """A note on a follow-up case (a call, a test result, a change of status)."""

    case = models.ForeignKey(FollowUpCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"), blank=True)
    # A note the system adds for a new signal: its day and reasons as codes (health.reasons),
    # put in words in the reader's language; ``text`` is what a person wrote.
    params = models.JSONField(_("signal"), null=True, blank=True)
    status_from = models.CharField(_("status before"), max_length=12, blank=True)
    status_to = models.CharField(_("status after"), max_length=12, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def text_shown(self) -> str:
        """The note in the active language: a signal's words, or what its author wrote."""
        from sameboat.health.reasons import note_text

        return note_text(self.params) if self.params and not self.text else self.text


class QuarantinePlace(models.TextChoices):
    HOME = "home", _("Home")
    CENTRAL = "central", _("Central facility")


class Quarantine(models.Model):
    """A period in which the person may not be on site."""

    employee = models.ForeignKey(
        "orgs.Employee", verbose_name=_("employee"), on_delete=models.CASCADE, related_name="quarantines"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"))
    released_on = models.DateField(
        _("released on"),
        null=True,
        blank=True,
        help_text=_("First day back: the person is out of quarantine from this day."),
    )
    place = models.CharField(_("place"), max_length=10, choices=QuarantinePlace.choices)
    # What a person wrote; the system's reasons (an arrival) are codes in ``reasons``.
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    proposed = models.BooleanField(
        _("proposed automatically"),
        default=False,
        help_text=_("Proposed by the system for an arrival from a higher-risk region; an officer confirms it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quarantine")
        verbose_name_plural = _("quarantines")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("start")), name="quarantine_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(released_on__isnull=True) | models.Q(released_on__gte=models.F("start")),
                name="quarantine_release_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organization", "start"], name="quarantine_org_start_idx")]

    def __str__(self) -> str:
        return f"{self.employee} {self.start}→{self.released_on or self.planned_end}"

    @property
    def audit_repr(self) -> str:
        """How the audit trail names the record: by the person it is about."""
        return str(self.employee)

    @property
    def reason_shown(self) -> str:
        """Why, in the active language (a person's words as they wrote them)."""
        from sameboat.health.reasons import reasons_text

        return reasons_text(self.reasons) if self.reasons else self.reason

    def active_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        """Whether the quarantine covers ``day`` (unconfirmed proposals do not)."""
        return not self.proposed and self.start <= day and (self.released_on is None or day < self.released_on)


# Counters of the daily return, in display order; "missing" is headcount - reported.
RETURN_COUNTERS = (
    "headcount",
    "reported",
    "on_time",
    "on_site",
    "cloud_office",
    "leave",
    "quarantined",
    "fever",
    "symptomatic",
    "exposed",
    "suspected",
    "confirmed",
)


class DailyReturn(models.Model):
    """One organisation's counts for one day, for its own staff (not its sub-units).

    Kept up to date as check-ins, quarantines and cases change (no nightly batch). Totals
    for a subtree are sums over these rows, which is cheap: one row per unit per day.
    """

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    headcount = models.PositiveIntegerField(_("headcount"), default=0)
    reported = models.IntegerField(_("reported"), default=0)
    on_time = models.IntegerField(_("reported by the cut-off"), default=0)
    on_site = models.IntegerField(_("on site"), default=0)
    cloud_office = models.IntegerField(_("cloud office"), default=0)
    leave = models.IntegerField(_("leave"), default=0)
    quarantined = models.IntegerField(_("quarantined"), default=0)
    fever = models.IntegerField(_("fever"), default=0)
    symptomatic = models.IntegerField(_("with symptoms"), default=0)
    exposed = models.IntegerField(_("exposed"), default=0)
    suspected = models.IntegerField(_("suspected"), default=0)
    confirmed = models.IntegerField(_("confirmed"), default=0)

    class Meta:
        verbose_name = _("daily return")
        verbose_name_plural = _("daily returns")
        ordering = ["-day", "organization_id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "day"], name="daily_return_one_per_org_day"),
            models.CheckConstraint(
                condition=models.Q(
                    reported__gte=0,
                    on_time__gte=0,
                    on_site__gte=0,
                    cloud_office__gte=0,
                    leave__gte=0,
                    quarantined__gte=0,
                    fever__gte=0,
                    symptomatic__gte=0,
                    exposed__gte=0,
                    suspected__gte=0,
                    confirmed__gte=0,
                ),
                name="daily_return_counts_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["day", "organization"], name="daily_return_day_org_idx")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.day}"


class OpenedDay(models.Model):
    """A day whose returns were opened for every organisation with staff (``health_open_day``).

    ``exact`` says that, since the opening, each organisation's return for the day has
    matched its live roster: its headcount is the active roster and every report of the day
    counted there is by a person still active there. While that holds, the people missing
    in a subtree are its headcount minus its reports, read from the returns instead of
    counted person by person; a roster change that breaks it (a person who reported today
    leaves or moves) clears the flag, and the count goes back to the people themselves.
    """

    day = models.DateField(_("day"), unique=True)
    exact = models.BooleanField(_("returns match the roster"), default=False)

    class Meta:
        verbose_name = _("opened day")
        verbose_name_plural = _("opened days")

    def __str__(self) -> str:
        return f"{self.day} {'exact' if self.exact else 'inexact'}"
