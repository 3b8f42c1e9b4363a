"""The check-in's hand-written SQL: a morning's reports and the spreadsheet upload.

These are the two paths where a benchmark showed the ORM costs more than the database
(bench/bench_checkin_api.py, bench/bench_checkin_import.py): compiling the check-in's
queries took longer than running them, and an upload of 200,000 rows needs COPY and
set-based statements. Every function here has a plain counterpart written with the ORM
(named in its docstring) that the service runs when ``SAMEBOAT_FAST_PATHS=false``, and
tests/health/test_fastpath.py holds each pair equal on SQLite and PostgreSQL: the same
rows written, the same answers read, the same scope decisions. Table and column names come
from the models; values are parameters.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from functools import cache
from typing import IO, Any, cast

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from sameboat.accounts.roles import HEALTH_VALUE_ROLES
from sameboat.accounts.scoping import reach_sql
from sameboat.api.idempotency import AlreadyAnswered, Receipt
from sameboat.core.db import bulk_writer, column, fast_paths, hot_cursor, model_from_row, select_columns
from sameboat.core.models import AuditEvent
from sameboat.health.models import (
    CHECKIN_VALUE_FIELDS,
    FEVER_THRESHOLD,
    RETURN_COUNTERS,
    CheckIn,
    CheckInRevision,
    DailyReturn,
    Quarantine,
    Source,
)
from sameboat.health.selectors import ARRIVAL_LOOKBACK_DAYS, CheckInSubject
from sameboat.orgs.models import Employee, Organization

enabled = fast_paths


def _table(model: Any) -> str:
    return cast(str, connection.ops.quote_name(model._meta.db_table))


def _col(model: Any, name: str) -> str:
    return column(connection, model, name)


# --- The check-in: who it is for, and a quiet first report in one statement -------------


def checkin_subject(*, actor: Any, employee_id: int, day: datetime.date, region_id: int) -> CheckInSubject | None:
    """``selectors.checkin_subject`` in one hand-written query, and on PostgreSQL with an id
    drawn for the check-in (``reserved_checkin_id``), so that ``checkin_file_quiet`` can
    write its answer in the check-in's own statement.

    The check-in is the busiest write of the day: the plain version is four round trips,
    and the ORM took longer to compile this one than the database took to answer it.
    """
    ops = connection.ops
    if actor is None:
        may_sql, may_params = "1 = 1", cast(list[Any], [])
    else:
        # Filing for someone shows their day's answers: the same roles as reading them.
        may_sql, may_params = reach_sql(actor, f"o.{_col(Organization, 'path')}", HEALTH_VALUE_ROLES)
        if getattr(actor, "is_authenticated", False):
            may_sql, may_params = f"(e.{_col(Employee, 'user')} = %s OR {may_sql})", [actor.pk, *may_params]
    head, tail = _subject_sql(connection.alias)
    sql = f"{head}{may_sql},{tail}"
    on_day = ops.adapt_datefield_value(day)
    since = ops.adapt_datefield_value(day - datetime.timedelta(days=ARRIVAL_LOOKBACK_DAYS))
    with hot_cursor(connection) as cursor:
        cursor.execute(sql, [*may_params, on_day, on_day, since, on_day, region_id, employee_id])
        row = cursor.fetchone()
    if row is None:
        return None
    n, m = len(Employee._meta.concrete_fields), len(Organization._meta.concrete_fields)
    employee = model_from_row(Employee, row[:n], connection)
    employee.organization = model_from_row(Organization, row[n : n + m], connection)
    may_report, in_quarantine, elsewhere, reserved = row[n + m :]
    return CheckInSubject(employee, bool(may_report), bool(in_quarantine), bool(elsewhere), reserved)


@cache
def _subject_sql(alias: str) -> tuple[str, str]:
    """``checkin_subject``'s statement around its scope test, built once per process."""
    from django.db import connections

    conn = connections[alias]
    quote = conn.ops.quote_name

    def col(model: Any, name: str) -> str:
        return column(conn, model, name)

    reserve = (
        f", nextval(pg_get_serial_sequence('{CheckIn._meta.db_table}', '{CheckIn._meta.pk.column}'))"
        if conn.vendor == "postgresql"
        else ", NULL"
    )
    e_id, o_id = col(Employee, "id"), col(Organization, "id")
    q = {n: col(Quarantine, n) for n in ("employee", "proposed", "start", "released_on")}
    c = {n: col(CheckIn, n) for n in ("employee", "day", "region")}
    head = f"SELECT {select_columns(Employee, 'e')}, {select_columns(Organization, 'o')}, "
    tail = (
        f" EXISTS (SELECT 1 FROM {quote(Quarantine._meta.db_table)} q WHERE q.{q['employee']} = e.{e_id}"  # noqa: S608 - names from the models
        f"  AND NOT q.{q['proposed']} AND q.{q['start']} <= %s"
        f"  AND (q.{q['released_on']} IS NULL OR q.{q['released_on']} > %s)),"
        f" EXISTS (SELECT 1 FROM {quote(CheckIn._meta.db_table)} c WHERE c.{c['employee']} = e.{e_id}"
        f"  AND c.{c['day']} >= %s AND c.{c['day']} < %s AND c.{c['region']} <> %s)"
        f"{reserve}"
        f" FROM {quote(Employee._meta.db_table)} e"
        f" JOIN {quote(Organization._meta.db_table)} o ON o.{o_id} = e.{col(Employee, 'organization')}"
        f" WHERE e.{e_id} = %s"
    )
    return head, tail


_COUNTERS = frozenset(RETURN_COUNTERS)


def increment_sql(org_id: int, day: datetime.date, delta: Mapping[str, int]) -> tuple[str, list[Any]] | None:
    """``UPDATE … SET n = n + d …`` adding ``delta`` to one return row (None: nothing to
    add), to run inside a larger statement; the plain counterpart is ``rollup.returns_apply``."""
    changes = sorted((k, v) for k, v in delta.items() if v)
    if not changes:
        return None
    if any(k not in _COUNTERS for k, _ in changes):
        raise ValueError(f"unknown return counters: {sorted(delta)}")
    sql = _increment_sql(connection.alias, tuple(k for k, _ in changes))
    return sql, [*(v for _, v in changes), org_id, connection.ops.adapt_datefield_value(day)]


@cache
def _increment_sql(alias: str, counters: tuple[str, ...]) -> str:
    """``increment_sql``'s statement for these counters, built once per process."""
    from django.db import connections

    conn = connections[alias]
    sets = ", ".join(f"{column(conn, DailyReturn, k)} = {column(conn, DailyReturn, k)} + %s" for k in counters)
    return (
        f"UPDATE {conn.ops.quote_name(DailyReturn._meta.db_table)} SET {sets}"  # noqa: S608 - names from the models
        f" WHERE {column(conn, DailyReturn, 'organization')} = %s AND {column(conn, DailyReturn, 'day')} = %s"
    )


def checkin_file_quiet(checkin: CheckIn, delta: dict[str, int], event: AuditEvent, receipt: Receipt | None) -> bool:
    """On PostgreSQL, file a quiet first report in one statement; False if it did not.

    The plain counterpart is the service's transactional path (insert, return increment,
    audit row, idempotency key). Here the report (INSERT … ON CONFLICT DO NOTHING) and,
    only if it went in, its return's increment, its audit row and the request's key are
    data-modifying CTEs of one statement, which outside a transaction commits on its own:
    one round trip where BEGIN, four writes and COMMIT took six. Nothing is written (False)
    when the person already reported that day or the unit's return row for the day is not
    open yet; the caller then takes the transactional path. A key already stored fails the
    whole statement, and AlreadyAnswered says the request is answered from it.
    """
    increment = increment_sql(checkin.organization_id, checkin.day, delta)
    if connection.vendor != "postgresql" or checkin.pk is None or increment is None:
        return False
    inc_sql, inc_params = increment
    pk = _col(CheckIn, "id")
    c_sql, c_params = _insert_select(checkin, {})
    a_sql, a_params = _insert_select(event, {"object_id": f"CAST(c.{pk} AS varchar)"})
    conflict = f"{_col(CheckIn, 'employee')}, {_col(CheckIn, 'day')}"
    day_open = (
        f"SELECT 1 FROM {_table(DailyReturn)} WHERE {_col(DailyReturn, 'organization')} = %s"  # noqa: S608
        f" AND {_col(DailyReturn, 'day')} = %s"
    )
    parts = [
        f"c AS ({c_sql} WHERE EXISTS ({day_open}) ON CONFLICT ({conflict}) DO NOTHING RETURNING {pk})",
        f"r AS ({inc_sql} AND EXISTS (SELECT 1 FROM c))",  # noqa: S608
        f"a AS ({a_sql} FROM c)",
    ]
    params = [*c_params, checkin.organization_id, checkin.day, *inc_params, *a_params]
    if receipt is not None:
        k_sql, k_params = _insert_select(receipt.record(checkin, True), {})
        parts.append(f"k AS ({k_sql} FROM c)")
        params += k_params
    sql = f"WITH {', '.join(parts)} SELECT {pk} FROM c"  # noqa: S608 - names from the models, values as parameters
    try:
        # Inside a caller's transaction (a test, a bulk job) a savepoint keeps a duplicate
        # key from breaking it; on its own the statement is its own transaction.
        with transaction.atomic() if connection.in_atomic_block else nullcontext(), hot_cursor(connection) as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    except IntegrityError as exc:
        if getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) == "idempotency_key_unique":
            raise AlreadyAnswered from exc
        raise
    if row is None:
        if receipt is not None:
            receipt.answer = None
        return False
    checkin._state.adding = False
    checkin._state.db = connection.alias
    return True


def _insert_select(obj: Any, expressions: dict[str, str]) -> tuple[str, list[Any]]:
    """``INSERT INTO t (…) SELECT …`` of ``obj``'s values, each cast to its column's type
    (a SELECT list gives the database no column to infer a parameter's type from), with
    ``expressions`` replacing the values of the fields they name."""
    model: Any = type(obj)
    sql, fields, kept = _insert_template(model, obj.pk is None, tuple(sorted(expressions.items())), connection.alias)
    # Each field's pre_save runs as save() runs it (auto_now stamps the object too).
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    return sql, [values[i] for i in kept]


@cache
def _insert_template(
    model: Any, pk_unset: bool, expressions: tuple[tuple[str, str], ...], alias: str
) -> tuple[str, list[Any], list[int]]:
    """The statement of ``_insert_select`` for a model, built once per process: its
    columns and casts are the same on every request (building them was a tenth of a
    check-in's time in Python); returns the SQL, the fields, and which fields' values are
    parameters (the others are ``expressions``)."""
    from django.db import connections

    conn = connections[alias]
    replaced = dict(expressions)
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and pk_unset)]
    exprs, kept = [], []
    for i, field in enumerate(fields):
        if field.attname in replaced:
            exprs.append(replaced[field.attname])
        else:
            exprs.append(f"CAST(%s AS {field.db_type(conn)})")
            kept.append(i)
    columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    table = conn.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({columns}) SELECT {', '.join(exprs)}", fields, kept


# --- The upload: a staging table and set-based statements -------------------------------

# A temporary table, dropped at commit on PostgreSQL: not a model, its columns are.
STAGE_TABLE = "checkin_stage"
# The check-in columns an upload's rows carry, in the spool's order (then ``existed``):
# who, which unit, which day, and the values an edit may change.
STAGE_FIELDS = ("employee", "organization", "day", *CHECKIN_VALUE_FIELDS)
# The rest of a new report's check-in row, after the staged values (``new_row_tail``).
TAIL_FIELDS = ("source", "on_time", "submitted_by", "created_at", "updated_at")


def _existed_field() -> models.BooleanField[Any, Any]:
    field: models.BooleanField[Any, Any] = models.BooleanField()
    field.set_attributes_from_name("existed")
    return field


def _stage_fields() -> list[Any]:
    return [*(CheckIn._meta.get_field(name) for name in STAGE_FIELDS), _existed_field()]


def stage_load(spool: IO[str]) -> None:
    """Load the spool (COPY text lines: the staged values and ``existed``) into a fresh
    staging table shaped like the check-in table's columns."""
    quote = connection.ops.quote_name
    fields = _stage_fields()
    columns = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        # Dropped here too for a second upload in one transaction.
        cursor.execute(f"DROP TABLE IF EXISTS {'pg_temp' if pg else 'temp'}.{STAGE_TABLE}")
        cursor.execute(f"CREATE TEMP TABLE {STAGE_TABLE} ({columns}){' ON COMMIT DROP' if pg else ''}")
    spool.seek(0)
    with bulk_writer(CheckIn, fields, table=STAGE_TABLE) as writer:
        while chunk := spool.read(1 << 20):
            # Whole lines only: the SQLite writer parses each one.
            chunk += spool.readline()
            writer.text(chunk)


@contextmanager
def checkin_copy() -> Iterator[Callable[[str], Any]]:
    """A writer of whole check-in rows (the staged values, then ``TAIL_FIELDS``) as COPY
    text straight into the check-in table: the upload's new reports while the file is
    still being checked. A row that meets an existing one raises IntegrityError."""
    fields = [*STAGE_FIELDS, *TAIL_FIELDS]
    with bulk_writer(CheckIn, fields) as writer:
        yield writer.text


def _revision_values(pg: bool) -> str:
    """The revision's JSON of a check-in row ``c`` (``checkins.checkin_values``'s shape)."""
    parts = []
    for name in CHECKIN_VALUE_FIELDS:
        field = CheckIn._meta.get_field(name)
        col = f"c.{_col(CheckIn, name)}"
        if isinstance(field, models.DecimalField):
            expr = f"{col}::text" if pg else f"printf('%.{field.decimal_places}f', {col})"
        elif isinstance(field, models.JSONField) and not pg:
            expr = f"json({col})"
        elif isinstance(field, models.BooleanField) and not pg:
            expr = f"json(CASE WHEN {col} THEN 'true' ELSE 'false' END)"
        else:
            expr = col
        parts.append(f"'{name}', {expr}")
    return f"{'jsonb_build_object' if pg else 'json_object'}({', '.join(parts)})"


def stage_apply(*, actor: Any, direct: bool) -> dict[str, Any]:
    """Revisions of changed rows and one upsert from the staging table; returns the counts
    (``rows``, ``created``, ``updated``) and the (unit, day) ``pairs`` touched.

    The plain counterpart is ``importers.plain.apply_rows``. ``direct``: the rows of new
    reports are already in the check-in table (``checkin_copy``); only the rows marked
    ``existed`` are revised and upserted.
    """
    pg = connection.vendor == "postgresql"
    actor_id = getattr(actor, "pk", None)
    now = timezone.now()
    checkins, revisions = _table(CheckIn), _table(CheckInRevision)
    value_cols = [_col(CheckIn, name) for name in CHECKIN_VALUE_FIELDS]
    symptoms = _col(CheckIn, "symptoms")

    def differs(old: str, new: str) -> str:
        return " OR ".join(
            f"{old}.{col}::text <> {new}.{col}::text" if pg and col == symptoms else f"{old}.{col} <> {new}.{col}"
            for col in value_cols
        )

    same_key = " AND ".join(f"c.{_col(CheckIn, n)} = s.{_col(CheckIn, n)}" for n in ("employee", "day"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {STAGE_TABLE}")  # noqa: S608
        total = cursor.fetchone()[0]
        if pg:
            cursor.execute(f"ANALYZE {STAGE_TABLE}")  # so the joins below plan as hash joins
        if direct:
            cursor.execute(f"SELECT COUNT(*) FROM {STAGE_TABLE} WHERE existed")  # noqa: S608
        else:
            cursor.execute(f"SELECT COUNT(*) FROM {STAGE_TABLE} s JOIN {checkins} c ON {same_key}")  # noqa: S608
        existing = cursor.fetchone()[0]
        only_existed = " AND s.existed" if direct else ""
        updated = 0
        # The values an edit replaces go to revisions, as for edits made in the app.
        if existing:
            rev_cols = ", ".join(_col(CheckInRevision, n) for n in ("checkin", "values", "actor", "recorded_at"))
            cursor.execute(
                f"INSERT INTO {revisions} ({rev_cols})"  # noqa: S608 - names from the models
                f" SELECT c.{_col(CheckIn, 'id')}, {_revision_values(pg)}, %s, %s FROM {checkins} c"
                f" JOIN {STAGE_TABLE} s ON {same_key} WHERE ({differs('c', 's')}){only_existed}",
                [actor_id, now],
            )
            updated = cursor.rowcount
        if existing or not direct:
            staged = ", ".join(_col(CheckIn, n) for n in STAGE_FIELDS)
            tail = ", ".join(_col(CheckIn, n) for n in TAIL_FIELDS)
            sets = ", ".join(f"{col} = excluded.{col}" for col in value_cols)
            source, updated_at = _col(CheckIn, "source"), _col(CheckIn, "updated_at")
            conflict = f"{_col(CheckIn, 'employee')}, {_col(CheckIn, 'day')}"
            cursor.execute(
                f"INSERT INTO {checkins} ({staged}, {tail}) SELECT {staged}, %s, %s, %s, %s, %s"  # noqa: S608
                f" FROM {STAGE_TABLE} WHERE {'existed' if direct else '1 = 1'}"
                f" ON CONFLICT ({conflict}) DO UPDATE SET {sets}, {source} = excluded.{source},"
                f" {updated_at} = excluded.{updated_at}"
                f" WHERE {differs(checkins, 'excluded')}",
                [Source.IMPORT, False, actor_id, now, now],
            )
        org, day = _col(CheckIn, "organization"), _col(CheckIn, "day")
        cursor.execute(f"SELECT DISTINCT {org}, {day} FROM {STAGE_TABLE}")  # noqa: S608
        pairs = {(o, as_date(d)) for o, d in cursor.fetchall()}
    created = total - existing
    return {"rows": total, "created": created, "updated": updated, "pairs": pairs}


def stage_follow_up_keys() -> tuple[set[tuple[int, datetime.date]], set[tuple[int, datetime.date]]]:
    """The (person, day) of the staged rows with fever, symptoms or contact, and of those
    arriving from another region (a check-in of the 14 days before in another region);
    the plain counterpart is ``importers.plain.follow_up_keys``."""
    pg = connection.vendor == "postgresql"
    emp, day, region = _col(CheckIn, "employee"), _col(CheckIn, "day"), _col(CheckIn, "region")
    temp, contact, symptoms = _col(CheckIn, "temperature"), _col(CheckIn, "contact"), _col(CheckIn, "symptoms")
    days = ARRIVAL_LOOKBACK_DAYS
    window = f"s.{day} - {days}" if pg else f"date(s.{day}, '-{days} days')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {emp}, {day} FROM {STAGE_TABLE} WHERE {temp} >= %s OR {contact} OR "  # noqa: S608
            + (f"{symptoms}::text <> '[]'" if pg else f"{symptoms} <> '[]'"),
            [FEVER_THRESHOLD],
        )
        flagged = {(e, as_date(d)) for e, d in cursor.fetchall()}
        # Only people with an earlier check-in in another region can be arriving from one.
        # The literal bounds let the planner cut the check-in table to the 14 days before
        # the upload before joining (an upload of today's rows joins nothing).
        cursor.execute(f"SELECT MIN({day}), MAX({day}) FROM {STAGE_TABLE}")  # noqa: S608
        first, last = (as_date(d) for d in cursor.fetchone())
        cursor.execute(
            f"SELECT DISTINCT s.{emp}, s.{day} FROM {STAGE_TABLE} s JOIN {_table(CheckIn)} c"  # noqa: S608
            f" ON c.{emp} = s.{emp} AND c.{day} < s.{day} AND c.{day} >= {window}"
            f" AND c.{region} <> s.{region} WHERE c.{day} >= %s AND c.{day} < %s",
            [first - datetime.timedelta(days=days), last],
        )
        arriving = {(e, as_date(d)) for e, d in cursor.fetchall()}
    return flagged, arriving


def as_date(value: Any) -> datetime.date:
    """A date column's value (SQLite gives text from a temporary table)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
