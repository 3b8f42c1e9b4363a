"""Spreadsheet upload of check-ins, for staff without phones (unit officers upload).

Built for 200,000-row files: pass 1 streams the file (csv module or python-calamine),
validates each row against small in-memory lookups and writes the clean values in
PostgreSQL COPY text format to a spool file; nothing is written to the database if any row
is wrong. Pass 2 loads the spool into a temporary staging table (COPY on PostgreSQL, batched
inserts on SQLite) and applies it with set-based statements in one transaction: revisions
of changed rows, one upsert, the returns of the touched units and days recounted, follow-up
cases opened. The audit trail gets one event for the upload.
"""

from __future__ import annotations

import datetime
import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sameboat.accounts.roles import HEALTH_VALUE_ROLES
from sameboat.core.audit import audit_record
from sameboat.core.imports import Column, ErrorLog, RowError, choice_words, iter_rows, match_header, parse_bool
from sameboat.core.jobs import JOB_READER_ROLES, JobContext, JobFailed, register_job
from sameboat.core.scoping import scope
from sameboat.health.models import TEMPERATURE_MAX, TEMPERATURE_MIN, CommuteMode, Symptom, WorkStatus
from sameboat.health.services import rollup
from sameboat.health.services.checkins import MAX_DAYS_BACK, VALUE_FIELDS
from sameboat.orgs.models import Employee, Region

KIND = "health.import.checkins"


COLUMNS = (
    Column("employee_no", gettext_lazy("Employee number"), True),
    Column("day", gettext_lazy("Date"), True),
    Column("temperature", gettext_lazy("Temperature"), True),
    Column("symptoms", gettext_lazy("Symptoms")),
    Column("region", gettext_lazy("Region code"), True),
    Column("travelled", gettext_lazy("Travelled in the last 14 days")),
    Column("contact", gettext_lazy("Contact with a case in the last 14 days")),
    Column("work_status", gettext_lazy("Work status"), True),
    Column("commute_mode", gettext_lazy("Commute mode")),
)
# --- Validating ------------------------------------------------------------------------------------


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
        self.existing = _existing_keys(self.first_day, today) if existing else None

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
                raise RowError("day", _("%(v)s is not a date (use YYYY-MM-DD).") % {"v": text}) from None
            self.days[text] = day
        if day > self.today:
            raise RowError("day", _("%(d)s is in the future.") % {"d": day})
        if day < self.first_day:
            raise RowError("day", _("%(d)s is more than %(n)d days back.") % {"d": day, "n": MAX_DAYS_BACK})
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
            raise RowError("employee_no", _("The employee number is missing."))
        found = self.employees.get(no)
        if found is None:
            raise RowError("employee_no", _("No employee %(no)s on a roster you manage.") % {"no": no})
        employee_id, org_id = found
        i = pos["day"]
        day = self._day(values[i].strip() if i >= 0 else "")
        key = (employee_id, day)
        if key in self.seen:
            raise RowError(
                "employee_no", _("Duplicate of row %(row)d (same employee and date).") % {"row": self.seen[key]}
            )
        i = pos["temperature"]
        text = values[i].strip().replace(",", ".") if i >= 0 else ""
        try:
            temperature = float(text)
        except ValueError:
            raise RowError("temperature", _("%(v)s is not a number.") % {"v": text or "—"}) from None
        if not self.t_min <= temperature <= self.t_max:
            raise RowError(
                "temperature",
                _("%(t)s °C is not a plausible body temperature (%(lo)s–%(hi)s °C).")
                % {"t": text, "lo": TEMPERATURE_MIN, "hi": TEMPERATURE_MAX},
            )
        i = pos["region"]
        region_text = values[i].strip() if i >= 0 else ""
        region = self.regions.get(region_text.lower())
        if region is None:
            raise RowError("region", _("Unknown region code %(v)s.") % {"v": region_text or "—"})
        i = pos["work_status"]
        status_text = values[i].strip() if i >= 0 else ""
        status = self.work_status.get(status_text.lower())
        if status is None:
            raise RowError("work_status", _("Unknown work status %(v)s.") % {"v": status_text or "—"})
        if (
            status == WorkStatus.ON_SITE
            and employee_id in self.quarantined
            and _in_quarantine(self.quarantined[employee_id], day)
        ):
            raise RowError("work_status", _("The person is in quarantine on %(d)s and cannot be on site.") % {"d": day})
        i = pos["commute_mode"]
        commute_text = values[i].strip() if i >= 0 else ""
        commute = self.commute.get(commute_text.lower()) if commute_text else CommuteMode.NONE
        if commute is None:
            raise RowError("commute_mode", _("Unknown commute mode %(v)s.") % {"v": commute_text})
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
                    raise RowError("symptoms", _("Unknown symptom %(v)s.") % {"v": part})
                codes.append(code)
        return json.dumps(sorted(set(codes)))


def _existing_keys(first: datetime.date, last: datetime.date) -> set[int]:
    """``employee_id * 8 + days since first`` of every check-in from ``first`` to ``last``
    (at most three days: ints, not tuples, keep a big group's mornings in a few MB)."""
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
    at = match_header(next(rows, None), COLUMNS)
    log = ErrorLog(labels={c.key: str(c.label) for c in COLUMNS})
    count = 0
    size = max(1, path.stat().st_size)
    write = spool.write
    batch: list[str] = []
    with stream_new_rows() if stream_new_rows is not None else nullcontext(None) as new_rows:
        for number, raw in enumerate(rows, start=2):
            if not any(raw):
                continue
            count += 1
            try:
                line, existed = validator.row(number, raw, at)
            except RowError as exc:
                log.add(number, exc.column, exc.message)
            else:
                write(f"{line}\t{'t' if existed else 'f'}\n")
                if new_rows is not None and not existed and not log.count:
                    batch.append(line + new_row_tail)
                    if len(batch) >= 2000:
                        new_rows("".join(batch))
                        batch = []
            if ctx is not None and count % 5000 == 0:
                ctx.progress(min(80, 80 * count * 60 / size), _("Checking row %(n)s") % {"n": f"{count:,}"})
        if count == 0:
            raise JobFailed(_("The file has a header but no rows."))
        log.fail_if_any()
        if batch and new_rows is not None:
            new_rows("".join(batch))
    return count


# --- Writing -----------------------------------------------------------------------------------------

_STAGE_COLUMNS = (
    "employee_id",
    "organization_id",
    "day",
    "temperature",
    "symptoms",
    "region_id",
    "travelled",
    "contact",
    "work_status",
    "commute_mode",
    "existed",
)
# The check-in table's columns an upload's COPY fills: the staged values, then the tail.
_CHECKIN_COLUMNS = (*_STAGE_COLUMNS[:-1], "source", "on_time", "submitted_by_id", "created_at", "updated_at")
_VALUE_COLUMNS = VALUE_FIELDS  # the values an upload may change, as an edit in the app may


def _stage(spool: IO[str]) -> None:
    spool.seek(0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Dropped at commit; dropped here too for a second upload in one transaction.
            cursor.execute("DROP TABLE IF EXISTS pg_temp.checkin_stage")
            cursor.execute(
                "CREATE TEMP TABLE checkin_stage (employee_id bigint, organization_id bigint, day date,"
                " temperature numeric(3,1), symptoms jsonb, region_id bigint, travelled boolean, contact boolean,"
                " work_status varchar(20), commute_mode varchar(10), existed boolean) ON COMMIT DROP"
            )
            columns = ", ".join(_STAGE_COLUMNS)
            with cursor.cursor.copy(f"COPY checkin_stage ({columns}) FROM STDIN") as copy:
                while chunk := spool.read(1 << 20):
                    copy.write(chunk)
        else:
            cursor.execute("DROP TABLE IF EXISTS temp.checkin_stage")
            cursor.execute(
                "CREATE TEMP TABLE checkin_stage (employee_id integer, organization_id integer, day date,"
                " temperature decimal, symptoms text, region_id integer, travelled bool, contact bool,"
                " work_status text, commute_mode text, existed bool)"
            )
            batch: list[list[Any]] = []
            sql = f"INSERT INTO checkin_stage ({', '.join(_STAGE_COLUMNS)}) VALUES ({', '.join(['%s'] * 11)})"  # noqa: S608 - constant names
            for line in spool:
                v = line.rstrip("\n").split("\t")
                batch.append(
                    [
                        int(v[0]),
                        int(v[1]),
                        v[2],
                        v[3],
                        v[4],
                        int(v[5]),
                        v[6] == "t",
                        v[7] == "t",
                        v[8],
                        v[9],
                        v[10] == "t",
                    ]
                )
                if len(batch) >= 5000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


def _apply(*, actor: Any, direct: bool) -> dict[str, Any]:
    """Set-based writes from the staging table; returns counts.

    ``direct``: the rows of new reports are already in the check-in table (streamed there
    while the file was checked); only the rows marked ``existed`` are revised and upserted.
    """
    pg = connection.vendor == "postgresql"
    actor_id = getattr(actor, "pk", None)
    now = timezone.now()
    differs = " OR ".join(
        f"c.{col}::text <> s.{col}::text" if pg and col == "symptoms" else f"c.{col} <> s.{col}"
        for col in _VALUE_COLUMNS
    )
    values_json = (
        "jsonb_build_object('temperature', c.temperature::text, 'symptoms', c.symptoms, 'region_id', c.region_id,"
        " 'travelled', c.travelled, 'contact', c.contact, 'work_status', c.work_status, 'commute_mode', c.commute_mode)"
        if pg
        else "json_object('temperature', printf('%.1f', c.temperature), 'symptoms', json(c.symptoms), 'region_id',"
        " c.region_id, 'travelled', json(CASE WHEN c.travelled THEN 'true' ELSE 'false' END), 'contact',"
        " json(CASE WHEN c.contact THEN 'true' ELSE 'false' END), 'work_status', c.work_status,"
        " 'commute_mode', c.commute_mode)"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM checkin_stage")
        total = cursor.fetchone()[0]
        if pg:
            cursor.execute("ANALYZE checkin_stage")  # so the joins below plan as hash joins
        if direct:
            cursor.execute("SELECT COUNT(*) FROM checkin_stage WHERE existed")
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM checkin_stage s JOIN health_checkin c ON c.employee_id = s.employee_id"
                " AND c.day = s.day"
            )
        existing = cursor.fetchone()[0]
        only_existed = " AND s.existed" if direct else ""
        updated = 0
        # The values an edit replaces go to revisions, as for edits made in the app.
        if existing:
            cursor.execute(
                'INSERT INTO health_checkinrevision (checkin_id, "values", actor_id, recorded_at)'  # noqa: S608
                f" SELECT c.id, {values_json}, %s, %s FROM health_checkin c JOIN checkin_stage s"
                f" ON c.employee_id = s.employee_id AND c.day = s.day WHERE ({differs}){only_existed}",
                [actor_id, now],
            )
            updated = cursor.rowcount
        created = total - existing
        sets = ", ".join(f"{col} = excluded.{col}" for col in _VALUE_COLUMNS)
        if existing or not direct:
            cursor.execute(
                f"INSERT INTO health_checkin (employee_id, organization_id, day, temperature, symptoms, region_id,"  # noqa: S608
                f" travelled, contact, work_status, commute_mode, source, on_time, submitted_by_id, created_at,"
                f" updated_at) SELECT employee_id, organization_id, day, temperature, symptoms, region_id, travelled,"
                f" contact, work_status, commute_mode, 'import', {'false' if pg else '0'}, %s, %s, %s"
                " FROM checkin_stage"
                f" WHERE {'existed' if direct else 'true'}"
                f" ON CONFLICT (employee_id, day) DO UPDATE SET {sets}, source = 'import',"
                f" updated_at = excluded.updated_at"
                f" WHERE {differs.replace('c.', 'health_checkin.').replace('s.', 'excluded.')}",
                [actor_id, now, now],
            )
        cursor.execute("SELECT DISTINCT organization_id, day FROM checkin_stage")
        pairs = [(org, _as_date(day)) for org, day in cursor.fetchall()]
    rollup.returns_recount(pairs)
    followed = _follow_up()
    return {
        "rows": total,
        "created": created,
        "updated": updated,
        "unchanged": total - created - updated,
        "units": len({org for org, _day in pairs}),
        "cases_opened": followed,
    }


def _follow_up() -> int:
    """Cases for fever, symptoms or contact in the upload, and quarantine proposals for
    people who arrive from another region; returns the number of cases opened."""
    from sameboat.health.models import FEVER_THRESHOLD, CheckIn
    from sameboat.health.services.followup import after_checkins_bulk

    pg = connection.vendor == "postgresql"
    window = "s.day - 14" if pg else "date(s.day, '-14 days')"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT employee_id, day FROM checkin_stage WHERE temperature >= %s OR contact OR "  # noqa: S608
            + ("symptoms::text <> '[]'" if pg else "symptoms <> '[]'"),
            [FEVER_THRESHOLD],
        )
        flagged = {(e, _as_date(d)) for e, d in cursor.fetchall()}
        # Only people with an earlier check-in in another region can be arriving from one.
        # The literal bounds let the planner cut the check-in table to the 14 days before
        # the upload before joining (an upload of today's rows joins nothing).
        cursor.execute("SELECT MIN(day), MAX(day) FROM checkin_stage")
        first, last = (_as_date(d) for d in cursor.fetchone())
        cursor.execute(
            "SELECT DISTINCT s.employee_id, s.day FROM checkin_stage s JOIN health_checkin c"  # noqa: S608
            f" ON c.employee_id = s.employee_id AND c.day < s.day AND c.day >= {window}"
            " AND c.region_id <> s.region_id WHERE c.day >= %s AND c.day < %s",
            [first - datetime.timedelta(days=14), last],
        )
        arriving = {(e, _as_date(d)) for e, d in cursor.fetchall()}
    keys = flagged | arriving
    if not keys:
        return 0
    checkins = [
        c
        for c in CheckIn.objects.filter(
            employee_id__in={e for e, _day in keys}, day__in={d for _e, d in keys}
        ).select_related("employee__organization", "region")
        if (c.employee_id, c.day) in keys
    ]
    return after_checkins_bulk(checkins=checkins, arrivals={e for e, _day in arriving})


def _as_date(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def import_checkins(*, path: Path, name: str, actor: Any, ctx: JobContext | None = None) -> dict[str, Any]:
    """Validate the whole file, then write all of it in one transaction (or nothing).

    On PostgreSQL the rows of new reports (a morning's upload is nearly all new reports)
    stream into the check-in table by COPY inside the transaction while the file is still
    being checked, so the database indexes them while Python checks the next rows; a row
    error anywhere rolls all of it back. If someone files a report for one of those
    people and days meanwhile, the COPY meets their row and the upload is done again the
    careful way, every row through the staging table's upsert.
    """
    if connection.vendor == "postgresql":
        try:
            return _import(path=path, name=name, actor=actor, ctx=ctx, direct=True)
        except IntegrityError:
            pass
    return _import(path=path, name=name, actor=actor, ctx=ctx, direct=False)


def _import(*, path: Path, name: str, actor: Any, ctx: JobContext | None, direct: bool) -> dict[str, Any]:
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as spool:
        if direct:
            # The whole upload is one transaction here, so progress goes by a second session.
            with ctx.reporting_aside() if ctx is not None else nullcontext(), transaction.atomic():
                count = _validate_streaming_new_rows(path, name, actor=actor, spool=spool, ctx=ctx)
                _saving(ctx, count)
                result = _write(spool, name=name, actor=actor, ctx=ctx, direct=True)
        else:
            count = validate_file(path, name, actor=actor, spool=spool, ctx=ctx)
            _saving(ctx, count)
            with transaction.atomic():
                result = _write(spool, name=name, actor=actor, ctx=ctx, direct=False)
    result["summary"] = _("%(created)s new, %(updated)s changed, %(unchanged)s unchanged check-ins.") % result
    return result


def _validate_streaming_new_rows(path: Path, name: str, *, actor: Any, spool: IO[str], ctx: JobContext | None) -> int:
    """Pass 1 with the new reports' rows COPYed into the check-in table as they pass."""
    now = timezone.now().isoformat()
    submitter = str(actor.pk) if getattr(actor, "pk", None) else "\\N"
    tail = f"\timport\tf\t{submitter}\t{now}\t{now}\n"

    @contextmanager
    def copy_into_checkins() -> Iterator[Callable[[str], Any]]:
        with connection.cursor() as cursor:
            columns = ", ".join(_CHECKIN_COLUMNS)
            with (
                connection.wrap_database_errors,  # a unique violation is Django's IntegrityError
                cursor.cursor.copy(f"COPY health_checkin ({columns}) FROM STDIN") as copy,
            ):
                yield copy.write

    return validate_file(
        path, name, actor=actor, spool=spool, ctx=ctx, stream_new_rows=copy_into_checkins, new_row_tail=tail
    )


def _saving(ctx: JobContext | None, count: int) -> None:
    if ctx is not None:
        ctx.progress(80, _("Saving %(n)s rows…") % {"n": f"{count:,}"}, force=True)


def _write(spool: IO[str], *, name: str, actor: Any, ctx: JobContext | None, direct: bool) -> dict[str, Any]:
    _stage(spool)
    result = _apply(actor=actor, direct=direct)
    audit_record(
        actor=actor,
        action="health.checkins.imported",
        object_repr=name[:300],
        organization=ctx.job.organization if ctx else None,
        after=result,
    )
    return result


# Its row errors quote temperatures and quarantines: other people's uploads are for the roles
# that read health values.
JOB_READER_ROLES[KIND] = HEALTH_VALUE_ROLES


@register_job(KIND, gettext_lazy("Check-in upload"))
def run_checkin_upload(ctx: JobContext) -> dict[str, Any]:
    """The background job behind the officer's upload page."""
    job = ctx.job
    return import_checkins(path=Path(job.input_file.path), name=job.input_name, actor=job.created_by, ctx=ctx)
