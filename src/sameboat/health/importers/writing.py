"""Pass 2 of the check-in upload: the spool staged and applied with set-based
statements in one transaction, and the job that runs both passes."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sameboat.accounts.roles import HEALTH_VALUE_ROLES
from sameboat.core.audit import Changes, audit
from sameboat.core.jobs import JOB_READER_ROLES, JobContext, register_job
from sameboat.health.importers.checking import KIND, validate_file
from sameboat.health.services import rollup
from sameboat.health.services.checkins import VALUE_FIELDS

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
    audit(
        "health.checkins.imported",
        None,
        Changes(after=result),
        actor=actor,
        object_repr=name[:300],
        organization=ctx.job.organization if ctx else None,
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
