"""Pass 1 of the check-in upload: the columns, and each row checked against small
in-memory look-ups, the clean values spooled in COPY text format."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext_noop, pgettext_lazy

from sameboat.accounts.roles import HEALTH_VALUE_ROLES
from sameboat.accounts.scoping import scope
from sameboat.core.import_text import phrase
from sameboat.core.imports import (
    Column,
    ErrorLog,
    RowError,
    choice_words,
    fail,
    header_row,
    is_example,
    iter_rows,
    match_header,
    parse_bool,
)
from sameboat.core.jobs import JobContext
from sameboat.health.models import TEMPERATURE_MAX, TEMPERATURE_MIN, CommuteMode, Symptom, WorkStatus
from sameboat.health.services.checkins import MAX_DAYS_BACK
from sameboat.orgs.models import Employee, Region

KIND = "health.import.checkins"


COLUMNS = (
    Column("employee_no", pgettext_lazy("spreadsheet column", "Employee number"), True),
    Column("day", pgettext_lazy("spreadsheet column", "Date"), True),
    Column("temperature", pgettext_lazy("spreadsheet column", "Temperature"), True),
    Column("symptoms", pgettext_lazy("spreadsheet column", "Symptoms")),
    Column("region", pgettext_lazy("spreadsheet column", "Region code"), True),
    Column("travelled", pgettext_lazy("spreadsheet column", "Travelled in the last 14 days")),
    Column("contact", pgettext_lazy("spreadsheet column", "Contact with a case in the last 14 days")),
    Column("work_status", pgettext_lazy("spreadsheet column", "Work status"), True),
    Column("commute_mode", pgettext_lazy("spreadsheet column", "Commute mode")),
)


class Validator:
    """Turns raw rows into COPY lines, using lookups loaded once for the whole file."""

    def __init__(self, *, actor: Any, existing: bool = False):
        today = timezone.localdate()
        self.first_day = today - datetime.timedelta(days=MAX_DAYS_BACK)
        self.today = today
        # Who the uploader may report for: the roles that read health values (see checkins).
        reportable = scope(Employee.objects.filter(is_active=True), actor, roles=HEALTH_VALUE_ROLES)
        self.employees = {
            no: (pk, org) for no, pk, org in reportable.values_list("employee_no", "id", "organization_id")
        }
        self.regions = {code.lower(): pk for code, pk in Region.objects.values_list("code", "id")}
        self.work_status = choice_words(WorkStatus)
        self.commute = choice_words(CommuteMode)
        self.symptoms = choice_words(Symptom)
        self.quarantined = _quarantines(self.first_day)
        self.days: dict[str, datetime.date] = {}
        self.t_min, self.t_max = float(TEMPERATURE_MIN), float(TEMPERATURE_MAX)
        self.width = 0
        self._positions: dict[str, int] | None = None
        self.seen: dict[tuple[int, datetime.date], int] = {}
        # Which (person, day) already has a check-in, as one int each, so that rows of new
        # reports can stream straight into the check-in table (see import_checkins).
        self.existing = existing_keys(self.first_day, today) if existing else None

    def positions(self, at: dict[str, int]) -> dict[str, int]:
        """Every column key's position in the file (-1 when the file lacks the column)."""
        if self._positions is None:
            self._positions = {c.key: at.get(c.key, -1) for c in COLUMNS}
            self.width = max(at.values(), default=-1) + 1
        return self._positions

    def _day(self, text: str) -> datetime.date:
        day = self.days.get(text)
        if day is None:
            try:
                day = datetime.date.fromisoformat(text.replace("/", "-"))
            except ValueError:
                raise RowError("day", gettext_noop("%(v)s is not a date (use YYYY-MM-DD)."), v=text) from None
            self.days[text] = day
        if day > self.today:
            raise RowError("day", gettext_noop("%(d)s is in the future."), d=day.isoformat())
        if day < self.first_day:
            raise RowError(
                "day", gettext_noop("%(d)s is more than %(n)d days back."), d=day.isoformat(), n=MAX_DAYS_BACK
            )
        return day

    def row(self, number: int, values: list[str], at: dict[str, int]) -> tuple[str, bool]:
        """The row's clean values as tab-separated COPY text (no newline), and whether the
        person already has a check-in that day; or RowError naming the column.

        ``at`` maps a column key to its position in the row. This runs 200,000 times for a
        big upload, so it indexes a padded row instead of building a dict per row.
        """
        if len(values) < self.width:
            values = values + [""] * (self.width - len(values))
        pos = self.positions(at)
        i = pos["employee_no"]
        no = values[i].strip() if i >= 0 else ""
        if not no:
            raise RowError("employee_no", gettext_noop("The employee number is missing."))
        found = self.employees.get(no)
        if found is None:
            raise RowError("employee_no", gettext_noop("No employee %(no)s on a roster you manage."), no=no)
        employee_id, org_id = found
        i = pos["day"]
        day = self._day(values[i].strip() if i >= 0 else "")
        key = (employee_id, day)
        if key in self.seen:
            raise RowError(
                "employee_no", gettext_noop("Duplicate of row %(row)d (same employee and date)."), row=self.seen[key]
            )
        i = pos["temperature"]
        text = values[i].strip().replace(",", ".") if i >= 0 else ""
        try:
            temperature = float(text)
        except ValueError:
            raise RowError("temperature", gettext_noop("%(v)s is not a number."), v=text or "—") from None
        if not self.t_min <= temperature <= self.t_max:
            raise RowError(
                "temperature",
                gettext_noop("%(t)s °C is not a plausible body temperature (%(lo)s–%(hi)s °C)."),
                t=text,
                lo=str(TEMPERATURE_MIN),
                hi=str(TEMPERATURE_MAX),
            )
        i = pos["region"]
        region_text = values[i].strip() if i >= 0 else ""
        region = self.regions.get(region_text.lower())
        if region is None:
            raise RowError("region", gettext_noop("Unknown region code %(v)s."), v=region_text or "—")
        i = pos["work_status"]
        status_text = values[i].strip() if i >= 0 else ""
        status = self.work_status.get(status_text.lower())
        if status is None:
            raise RowError("work_status", gettext_noop("Unknown work status %(v)s."), v=status_text or "—")
        if (
            status == WorkStatus.ON_SITE
            and employee_id in self.quarantined
            and _in_quarantine(self.quarantined[employee_id], day)
        ):
            raise RowError(
                "work_status",
                gettext_noop("The person is in quarantine on %(d)s and cannot be on site."),
                d=day.isoformat(),
            )
        i = pos["commute_mode"]
        commute_text = values[i].strip() if i >= 0 else ""
        commute = self.commute.get(commute_text.lower()) if commute_text else CommuteMode.NONE
        if commute is None:
            raise RowError("commute_mode", gettext_noop("Unknown commute mode %(v)s."), v=commute_text)
        i = pos["symptoms"]
        symptom_text = values[i].strip() if i >= 0 else ""
        symptoms = self._symptoms(symptom_text) if symptom_text else "[]"
        i = pos["travelled"]
        travelled = parse_bool(values[i].strip(), "travelled") if i >= 0 else False
        i = pos["contact"]
        contact = parse_bool(values[i].strip(), "contact") if i >= 0 else False
        self.seen[key] = number
        existed = self.existing is not None and employee_id * 8 + (day - self.first_day).days in self.existing
        return (
            f"{employee_id}\t{org_id}\t{day.isoformat()}\t{temperature:.1f}\t{symptoms}\t"
            f"{region}\t{'t' if travelled else 'f'}\t{'t' if contact else 'f'}\t{status}\t{commute}"
        ), existed

    def _symptoms(self, text: str) -> str:
        codes = []
        for part in text.replace("、", ";").replace(",", ";").split(";"):
            part = part.strip().lower()
            if part and part not in {"none", "无", "没有"}:
                code = self.symptoms.get(part)
                if code is None:
                    raise RowError("symptoms", gettext_noop("Unknown symptom %(v)s."), v=part)
                codes.append(code)
        return json.dumps(sorted(set(codes)))


def existing_keys(first: datetime.date, last: datetime.date) -> set[int]:
    """``employee_id * 8 + days since first`` of every check-in from ``first`` to ``last``
    (at most three days: ints, not tuples, keep a big group's mornings in a few MB).

    Public so that a test can stand in for a report filed after this read, which no
    single-threaded test can otherwise place between the read and the upload's writes."""
    from sameboat.health.models import CheckIn

    assert (last - first).days < 8
    rows = CheckIn.objects.filter(day__gte=first, day__lte=last).values_list("employee_id", "day")
    return {employee_id * 8 + (day - first).days for employee_id, day in rows.iterator(chunk_size=20000)}


def _quarantines(since: datetime.date) -> dict[int, list[tuple[datetime.date, datetime.date | None]]]:
    from django.db.models import Q

    from sameboat.health.models import Quarantine

    out: dict[int, list[tuple[datetime.date, datetime.date | None]]] = {}
    for emp, start, released in (
        Quarantine.objects.filter(proposed=False)
        .filter(Q(released_on__isnull=True) | Q(released_on__gt=since))
        .values_list("employee_id", "start", "released_on")
    ):
        out.setdefault(emp, []).append((start, released))
    return out


def _in_quarantine(spans: list[tuple[datetime.date, datetime.date | None]] | None, day: datetime.date) -> bool:
    return bool(spans) and any(start <= day and (end is None or day < end) for start, end in spans or [])


def validate_file(
    path: Path,
    name: str,
    *,
    actor: Any,
    spool: IO[str],
    ctx: JobContext | None = None,
    stream_new_rows: Callable[[], AbstractContextManager[Callable[[str], Any]]] | None = None,
    new_row_tail: str = "",
) -> int:
    """Pass 1: check every row and write the clean ones to ``spool``; returns the row count.

    Each spool line ends with whether the person already has a check-in that day. With
    ``stream_new_rows`` (a context giving a writer, opened once the lookups are loaded),
    the check-in table's COPY lines of the rows that are new reports (``new_row_tail``
    completes them) are also written to it, in batches, as they are checked.
    """
    rows = iter_rows(path, name)
    # The lookups load while a workbook's reader parses it (in its own process).
    validator = Validator(actor=actor, existing=stream_new_rows is not None)
    header, header_number = header_row(rows)
    at = match_header(header, COLUMNS)
    log = ErrorLog.for_columns(COLUMNS, ctx)
    count = 0
    example = False
    size = max(1, path.stat().st_size)
    write = spool.write
    batch: list[str] = []
    with stream_new_rows() if stream_new_rows is not None else nullcontext(None) as new_rows:
        for number, raw in enumerate(rows, start=header_number + 1):
            if not any(raw):
                continue
            if not count and not example and is_example(raw):
                example = True  # the template's example row, right below the header
                continue
            count += 1
            try:
                line, existed = validator.row(number, raw, at)
            except RowError as exc:
                log.add(number, exc, {key: raw[i] if i < len(raw) else "" for key, i in at.items()})
            else:
                write(f"{line}\t{'t' if existed else 'f'}\n")
                if new_rows is not None and not existed and not log.count:
                    batch.append(line + new_row_tail)
                    if len(batch) >= 2000:
                        new_rows("".join(batch))
                        batch = []
            if ctx is not None and count % 5000 == 0:
                ctx.progress(
                    min(80, 80 * count * 60 / size), phrase(gettext_noop("Checking row %(n)s"), n=f"{count:,}")
                )
        if count == 0 and not example:
            raise fail(gettext_noop("The file has a header but no rows."))
        log.fail_if_any()
        if batch and new_rows is not None:
            new_rows("".join(batch))
    return count
