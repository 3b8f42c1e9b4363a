"""Pass 2 of the check-in upload: the spool written in one transaction (staged and
applied with set-based statements by ``health.fastpath``, or by ``importers.plain`` with
the fast paths off), and the job that runs both passes."""

from __future__ import annotations

import datetime
import tempfile
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from sameboat.accounts.roles import HEALTH_VALUE_ROLES
from sameboat.core.audit import Changes, audit
from sameboat.core.import_text import phrase
from sameboat.core.jobs import JOB_READER_ROLES, JobContext, register_job
from sameboat.health import fastpath
from sameboat.health.importers import plain
from sameboat.health.importers.checking import KIND, validate_file
from sameboat.health.services import rollup


def _apply(spool: IO[str], *, actor: Any, direct: bool) -> dict[str, Any]:
    """Write the spooled rows: revisions of changed reports, new and changed check-ins,
    the returns of the touched units and days recounted, follow-up cases opened.

    ``direct``: the rows of new reports are already in the check-in table (streamed there
    while the file was checked); only the others are written here.
    """
    if fastpath.enabled():
        fastpath.stage_load(spool)
        written = fastpath.stage_apply(actor=actor, direct=direct)
        flagged, arriving = fastpath.stage_follow_up_keys()
    else:
        written = plain.apply_rows(spool, actor=actor)
        flagged, arriving = plain.follow_up_keys(spool)
    pairs = written.pop("pairs")
    rollup.returns_recount(pairs)
    written["unchanged"] = written["rows"] - written["created"] - written["updated"]
    written["units"] = len({org for org, _day in pairs})
    written["cases_opened"] = _follow_up(flagged | arriving, {e for e, _day in arriving})
    return written


def _follow_up(keys: set[tuple[int, datetime.date]], arrivals: set[int]) -> int:
    """Cases for fever, symptoms or contact in the upload, and quarantine proposals for
    people who arrive from another region; returns the number of cases opened."""
    from sameboat.health.models import CheckIn
    from sameboat.health.services.followup import after_checkins_bulk

    if not keys:
        return 0
    checkins = [
        c
        for c in CheckIn.objects.filter(
            employee_id__in={e for e, _day in keys}, day__in={d for _e, d in keys}
        ).select_related("employee__organization", "region")
        if (c.employee_id, c.day) in keys
    ]
    return after_checkins_bulk(checkins=checkins, arrivals=arrivals)


def import_checkins(*, path: Path, name: str, actor: Any, ctx: JobContext | None = None) -> dict[str, Any]:
    """Validate the whole file, then write all of it in one transaction (or nothing).

    On PostgreSQL the rows of new reports (a morning's upload is nearly all new reports)
    stream into the check-in table by COPY inside the transaction while the file is still
    being checked, so the database indexes them while Python checks the next rows; a row
    error anywhere rolls all of it back. If someone files a report for one of those
    people and days meanwhile, the COPY meets their row and the upload is done again the
    careful way, every row through the staging table's upsert.
    """
    if connection.vendor == "postgresql" and fastpath.enabled():
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
                result = _write(spool, name=name, actor=actor, ctx=ctx, direct=True) if count else _nothing()
        else:
            count = validate_file(path, name, actor=actor, spool=spool, ctx=ctx)
            _saving(ctx, count)
            with transaction.atomic():
                result = _write(spool, name=name, actor=actor, ctx=ctx, direct=False) if count else _nothing()
    # A phrase, read in the reader's language (core.import_text).
    result["summary"] = phrase(
        gettext_noop("%(created)s new, %(updated)s changed, %(unchanged)s unchanged check-ins."),
        created=result["created"],
        updated=result["updated"],
        unchanged=result["unchanged"],
    )
    return result


def _nothing() -> dict[str, Any]:
    """The result of a file with only the template's example row: nothing to write."""
    return {"rows": 0, "created": 0, "updated": 0, "unchanged": 0, "units": 0, "cases_opened": 0}


def _validate_streaming_new_rows(path: Path, name: str, *, actor: Any, spool: IO[str], ctx: JobContext | None) -> int:
    """Pass 1 with the new reports' rows COPYed into the check-in table as they pass."""
    now = timezone.now().isoformat()
    submitter = str(actor.pk) if getattr(actor, "pk", None) else "\\N"
    tail = f"\timport\tf\t{submitter}\t{now}\t{now}\n"

    return validate_file(
        path, name, actor=actor, spool=spool, ctx=ctx, stream_new_rows=fastpath.checkin_copy, new_row_tail=tail
    )


def _saving(ctx: JobContext | None, count: int) -> None:
    if ctx is not None:
        ctx.progress(80, phrase(gettext_noop("Saving %(n)s rows…"), n=f"{count:,}"), force=True)


def _write(spool: IO[str], *, name: str, actor: Any, ctx: JobContext | None, direct: bool) -> dict[str, Any]:
    result = _apply(spool, actor=actor, direct=direct)
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
