"""Background jobs: create, report progress, finish; and notice a job whose worker died.

The work itself runs in a django-tasks task (``run_job``) that looks up a handler by the
job's ``kind``. Handlers receive a ``JobContext`` to report progress and return a result.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from sameboat.core.audit import audit_record
from sameboat.core.exceptions import DomainError
from sameboat.core.models import Job, JobStatus
from sameboat.core.notify import notify

log = logging.getLogger(__name__)

Handler = Callable[["JobContext"], dict[str, Any]]
HANDLERS: dict[str, tuple[Handler, Any]] = {}


def register_job(kind: str, label: Any) -> Callable[[Handler], Handler]:
    """Declare the function that does the work of one kind of job."""

    def wrap(fn: Handler) -> Handler:
        HANDLERS[kind] = (fn, label)
        return fn

    return wrap


def job_label(kind: str) -> str:
    """The job kind in words, in the active language."""
    entry = HANDLERS.get(kind)
    return str(entry[1]) if entry else kind


class JobFailed(DomainError):
    """A handler's clean refusal: the message (and row errors) are shown to the person."""

    code = "job_failed"

    def __init__(self, message: Any, errors: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.errors = errors or []


class JobContext:
    """What a handler sees: the job, and a way to report how far it has got."""

    # Progress is written at most this often, so a fast loop does not hammer the database.
    MIN_INTERVAL = datetime.timedelta(seconds=0.5)

    def __init__(self, job: Job):
        self.job = job
        self._last_write = timezone.now() - self.MIN_INTERVAL
        self._aside: Any = None

    @contextmanager
    def reporting_aside(self) -> Iterator[None]:
        """Report progress on a second database session while this block runs.

        For a handler that keeps its own session busy (a COPY streaming into a table inside
        its transaction): the reports still reach pollers, and still beat the heartbeat.
        """
        aside = connections.create_connection(DEFAULT_DB_ALIAS)
        self._aside = aside
        try:
            yield
        finally:
            self._aside = None
            aside.close()

    def progress(self, percent: float, stage: str | None = None, *, force: bool = False) -> None:
        """Report progress (0–100) and the current stage; doubles as the heartbeat."""
        now = timezone.now()
        if not force and now - self._last_write < self.MIN_INTERVAL:
            return
        self._last_write = now
        self.job.progress = max(0, min(100, int(percent)))
        fields = {"progress": self.job.progress, "heartbeat_at": now}
        if stage is not None:
            self.job.stage = stage[:200]
            fields["stage"] = self.job.stage
        if self._aside is None:
            Job.objects.filter(pk=self.job.pk).update(**fields)
            return
        table = Job._meta.db_table
        sets = ", ".join(f"{name} = %s" for name in fields)
        with self._aside.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {sets} WHERE id = %s", [*fields.values(), self.job.pk])  # noqa: S608


@transaction.atomic
def job_create(
    *,
    actor: Any,
    kind: str,
    organization: Any = None,
    upload: UploadedFile | None = None,
    options: dict[str, Any] | None = None,
) -> Job:
    """Queue a job; the worker starts it once this transaction commits."""
    if kind not in HANDLERS:
        raise DomainError(_("Unknown kind of job: %(kind)s") % {"kind": kind})
    job = Job(kind=kind, created_by=actor, organization=organization, options=options or {})
    if upload is not None:
        name = upload.name or "upload"
        job.input_name = name[:255]
        job.input_file.save(name, upload, save=False)
    job.save()
    audit_record(
        actor=actor,
        action="core.job.queued",
        obj=job,
        organization=organization,
        after={"kind": kind, "file": job.input_name},
        object_repr=job_label(kind),
    )
    job_id = str(job.pk)
    transaction.on_commit(lambda: run_job.enqueue(job_id))
    return job


@task()
def run_job(job_id: str) -> None:
    """The task the worker runs: hand the job to its handler and record the outcome."""
    job = Job.objects.get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return  # already done, or reaped: never run twice
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now)
    job.refresh_from_db()
    handler, _label = HANDLERS[job.kind]
    try:
        result = handler(JobContext(job))
    except JobFailed as exc:
        _finish(job, JobStatus.FAILED, message=str(exc.message), errors=exc.errors)
    except Exception:
        log.exception("job %s (%s) crashed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, message=_("An unexpected error stopped the job; nothing was saved."))
    else:
        _finish(job, JobStatus.SUCCEEDED, result=result)


@transaction.atomic
def _finish(
    job: Job,
    status: str,
    *,
    result: dict[str, Any] | None = None,
    message: str = "",
    errors: list[dict[str, Any]] | None = None,
) -> None:
    now = timezone.now()
    fields: dict[str, Any] = {"status": status, "finished_at": now, "heartbeat_at": now}
    if status == JobStatus.SUCCEEDED:
        fields.update(progress=100, result=result or {}, stage="")
    else:
        fields.update(error_message=message, errors=errors or [])
    Job.objects.filter(pk=job.pk).update(**fields)
    for key, value in fields.items():
        setattr(job, key, value)
    audit_record(
        actor=None,
        action=f"core.job.{status}",
        obj=job,
        organization=job.organization,
        after={"kind": job.kind, "result": result, "reason": message},
        object_repr=job_label(job.kind),
    )
    if job.created_by_id:
        from django.urls import reverse

        notify(
            event=f"core.job.{status}",
            recipients=[job.created_by],
            context={"name": job_label(job.kind), "summary": (result or {}).get("summary", ""), "reason": message},
            url=reverse("core:job_detail", args=[job.pk]),
            organization=job.organization,
        )


def job_reap_if_stale(*, job: Job) -> Job:
    """Mark a running job failed when its worker has stopped sending heartbeats."""
    if job.status != JobStatus.RUNNING:
        return job
    limit = timezone.now() - datetime.timedelta(seconds=settings.SAMEBOAT_JOB_STALE_SECONDS)
    beat = job.heartbeat_at or job.started_at or job.created_at
    if beat >= limit:
        return job
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error_message=_("The background worker stopped while running this job. Nothing was saved; start it again."),
    )
    if updated:
        audit_record(
            actor=None,
            action="core.job.reaped",
            obj=job,
            organization=job.organization,
            after={"reason": "stale heartbeat"},
            object_repr=job_label(job.kind),
        )
    job.refresh_from_db()
    return job


# Kinds whose page may quote what was uploaded (a check-in upload's row errors name
# temperatures and quarantines): kind -> the roles that may open someone else's job of that
# kind. Unlisted kinds are open to every role that reads the job's subtree. The domain
# registers its kind beside the handler.
JOB_READER_ROLES: dict[str, frozenset[str]] = {}
