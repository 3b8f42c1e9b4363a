"""Background jobs: create, report progress, finish; and notice a job whose worker died.

The work itself runs in a django-tasks task (``run_job``) that looks up a handler by the
job's ``kind``. Handlers receive a ``JobContext`` to report progress and return a result.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_tasks import task

from sameboat.core.audit import Changes, audit
from sameboat.core.db import update_on
from sameboat.core.exceptions import DomainError
from sameboat.core.models import Job, JobStatus
from sameboat.core.notify import notify, phrase, ref, register_event, register_reference

log = logging.getLogger(__name__)

Handler = Callable[["JobContext"], dict[str, Any]]


CRASHED = gettext_noop("An unexpected error stopped the job; nothing was saved. You can retry it.")
REAPED = gettext_noop("The background worker stopped while running this job. Nothing was saved; you can retry it.")


def _crash_message() -> str:
    """Why a job that crashed failed."""
    return _(CRASHED)


def _reaped_message() -> str:
    """Why a job whose worker died failed."""
    return _(REAPED)


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


def _kind_labels(reader: Any, kinds: list[Any]) -> dict[str, str]:
    """Job kinds in words; a kind nobody handles any more reads as "a background job"."""
    return {str(kind): job_label(str(kind)) for kind in kinds if str(kind) in HANDLERS}


def job_failure_reason(job: Job) -> str:
    """Why the job failed, in the active language: core's own reasons are stored as the
    worker wrote them (in the default language) and are translated again when read."""
    message = job.error_message or ""
    for msgid in (CRASHED, REAPED):
        with translation.override(settings.LANGUAGE_CODE):
            written = _(msgid)
        if message == written:
            return _(msgid)
    return message


def job_stage(job: Job) -> str:
    """What a running job is doing, in the active language (a stored phrase, or old text)."""
    stage = job.stage or ""
    if not stage.startswith("{"):
        return stage
    try:
        stored = json.loads(stage)
    except ValueError:
        return stage
    from sameboat.core.notify import render_value

    return render_value(stored, reader=None)


def _reason_words(reason: Any) -> str:
    """Core's own reasons, written in the default language, in the reader's."""
    return job_failure_reason(Job(error_message=str(reason)))


def _job_event_name(event: Any) -> str:
    for payload in (event.after, event.before):
        if isinstance(payload, dict) and payload.get("kind") in HANDLERS:
            return job_label(str(payload["kind"]))
    return str(event.object_repr)


def register_notifications() -> None:
    """Core's own notification codes (called from ``CoreConfig.ready``)."""
    register_reference("core.job_kind", _kind_labels, gettext_lazy("A background job"))
    # The trail stored a job's name in the worker's language: name it by its kind when read.
    from sameboat.core.audit_display import register_audit_object_name, register_audit_value

    register_audit_object_name("core.job", _job_event_name)
    register_audit_value("core.job", "kind", job_label)
    register_audit_value("core.job", "reason", _reason_words)
    register_event("core.job.succeeded", gettext_lazy("%(name)s finished"), gettext_lazy("%(summary)s"))
    register_event("core.job.failed", gettext_lazy("%(name)s failed"), gettext_lazy("%(reason)s"))


class JobFailed(DomainError):
    """A handler's clean refusal: the message (and row errors) are shown to the person.

    ``result`` is kept on the failed job too: what its page needs to say why in the reader's
    language (an import stores its reason as a phrase there, see core.import_text)."""

    code = "job_failed"

    def __init__(self, message: Any, errors: list[dict[str, Any]] | None = None, result: dict[str, Any] | None = None):
        super().__init__(message)
        self.errors = errors or []
        self.result = result or {}


class JobContext:
    """What a handler sees: the job, and a way to report how far it has got."""

    # Progress is written at most this often, so a fast loop does not hammer the database.
    MIN_INTERVAL = datetime.timedelta(seconds=0.5)

    def __init__(self, job: Job):
        self.job = job
        self._last_write = timezone.now() - self.MIN_INTERVAL
        self._aside: Any = None
        # A file the job leaves to download (already in storage), recorded when it ends:
        # also when it fails, and also when its own transaction was rolled back.
        self.result_file = ""

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

    def progress(self, percent: float, stage: str | dict[str, Any] | None = None, *, force: bool = False) -> None:
        """Report progress (0–100) and the current stage; doubles as the heartbeat.

        ``stage`` is best a phrase (``notify.phrase(gettext_noop(...), n=...)``): it is stored
        as such and read in the reader's language (``job_stage``), not in the worker's."""
        now = timezone.now()
        if not force and now - self._last_write < self.MIN_INTERVAL:
            return
        self._last_write = now
        self.job.progress = max(0, min(100, int(percent)))
        fields = {"progress": self.job.progress, "heartbeat_at": now}
        if stage is not None:
            if isinstance(stage, dict):
                stage = json.dumps(stage, ensure_ascii=False)
            self.job.stage = stage[:200]
            fields["stage"] = self.job.stage
        if self._aside is None:
            Job.objects.filter(pk=self.job.pk).update(**fields)
            return
        update_on(self._aside, Job.objects.filter(pk=self.job.pk), **fields)


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
    audit(
        "core.job.queued",
        job,
        Changes(after={"kind": kind, "file": job.input_name}),
        actor=actor,
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
    ctx = JobContext(job)
    try:
        result = handler(ctx)
    except JobFailed as exc:
        _finish(
            job,
            JobStatus.FAILED,
            message=str(exc.message),
            errors=exc.errors,
            result=exc.result,
            result_file=ctx.result_file,
        )
    except Exception:
        log.exception("job %s (%s) crashed", job.pk, job.kind)
        # Not the file's fault, as far as anyone knows: keep it so the job can be retried.
        _finish(job, JobStatus.FAILED, message=_crash_message(), keep_input=True)
    else:
        _finish(job, JobStatus.SUCCEEDED, result=result, result_file=ctx.result_file)


@transaction.atomic
def _finish(
    job: Job,
    status: str,
    *,
    result: dict[str, Any] | None = None,
    message: str = "",
    errors: list[dict[str, Any]] | None = None,
    keep_input: bool = False,
    result_file: str = "",
) -> None:
    now = timezone.now()
    fields: dict[str, Any] = {"status": status, "finished_at": now, "heartbeat_at": now}
    if status == JobStatus.SUCCEEDED:
        fields.update(progress=100, result=result or {}, stage="")
    else:
        fields.update(error_message=message, errors=errors or [], result=result or {})
    if result_file:
        fields["result_file"] = result_file
    Job.objects.filter(pk=job.pk).update(**fields)
    for key, value in fields.items():
        setattr(job, key, value)
    name = job.input_file.name
    # The job is done with its file (imported, or refused): nothing keeps it on disk. Only
    # if the row still names it: a retry may have taken the file over meanwhile.
    if not keep_input and name and Job.objects.filter(pk=job.pk, input_file=name).update(input_file=""):
        _delete_files_on_commit([name])
        job.input_file.name = ""
    audit(
        f"core.job.{status}",
        job,
        Changes(after={"kind": job.kind, "result": result, "reason": message}),
        actor=None,
        object_repr=job_label(job.kind),
    )
    if job.created_by_id:
        from django.urls import reverse

        # Core's own reasons are stored as phrases, read in the reader's language; a
        # handler's refusal and the result summary are already text and are kept as such.
        reason: Any = phrase(CRASHED) if message == _crash_message() else message
        stored = (result or {}).get("reason") if status == JobStatus.FAILED else None
        if isinstance(stored, dict | list):
            # An import's reason is stored as codes and values (core.import_text): the inbox
            # words it in the reader's language, like the job's page, not in the worker's.
            from sameboat.core.import_text import with_kind

            reason = with_kind(stored, job.kind)
        # A handler's summary is a phrase (or a list of them, core.imports.summary).
        summary = (result or {}).get("summary", "")

        notify(
            event=f"core.job.{status}",
            recipients=[job.created_by],
            params={"name": ref("core.job_kind", job.kind), "summary": summary, "reason": reason},
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
    _reap(job, reason="stale heartbeat", heartbeat_at=job.heartbeat_at)
    job.refresh_from_db()
    return job


def _reap(job: Job, *, reason: str, heartbeat_at: Any = None) -> bool:
    """Mark a running job failed because its worker died; keeps its input to retry."""
    running = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING)
    if heartbeat_at is not None:
        running = running.filter(heartbeat_at=heartbeat_at)  # unless it beat meanwhile
    updated = running.update(status=JobStatus.FAILED, finished_at=timezone.now(), error_message=_reaped_message())
    if updated:
        audit(
            "core.job.reaped",
            job,
            Changes(after={"kind": job.kind, "reason": reason}),
            actor=None,
            object_repr=job_label(job.kind),
        )
    return bool(updated)


class WorkerDied(Exception):
    """Recorded on the task result of a job whose worker process died under it."""


def job_reap_worker(*, worker_id: str) -> int:
    """Fail the jobs that a dead worker process was running; returns how many.

    The supervisor (sameboat.core.supervisor) calls this when a worker it started exits:
    the worker's task results still say "running" and would never finish.
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    reaped = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        if worker_id not in (result.worker_ids or []):
            continue
        result.set_failed(WorkerDied(f"worker {worker_id} died"))
        args = (result.args_kwargs or {}).get("args") or []
        job = Job.objects.filter(pk=args[0]).first() if args and result.task_path.endswith("run_job") else None
        if job is not None and _reap(job, reason=f"worker {worker_id} died"):
            reaped += 1
    return reaped


def job_can_retry(job: Job, user: Any) -> bool:
    """Whether ``user`` may start this failed job again from the same file."""
    if job.status != JobStatus.FAILED or not job.input_file.name or job.created_by_id != getattr(user, "pk", None):
        return False
    limit = timezone.now() - datetime.timedelta(hours=settings.SAMEBOAT_JOB_RETRY_HOURS)
    return bool(job.finished_at and job.finished_at >= limit) and job.input_file.storage.exists(job.input_file.name)


@transaction.atomic
def job_retry(*, job: Job, actor: Any) -> Job:
    """Queue a new job of the same kind, with the same options, from the failed job's file.

    The file moves to the new job (it is not copied), so the old one cannot be retried twice.
    """
    if not job_can_retry(job, actor):
        raise DomainError(_("This job cannot be retried: it did not fail, or its file is gone."))
    name = job.input_file.name
    moved = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED, input_file=name).update(input_file="")
    if not moved:
        raise DomainError(_("This job was retried already."))
    retry = Job(
        kind=job.kind,
        created_by=actor,
        organization=job.organization,
        options={**job.options, "retry_of": str(job.pk)},
        input_name=job.input_name,
    )
    retry.input_file.name = name
    retry.save()
    audit(
        "core.job.retried",
        job,
        Changes(after={"kind": job.kind, "file": job.input_name, "retry": str(retry.pk)}),
        actor=actor,
        object_repr=job_label(job.kind),
    )
    audit(
        "core.job.queued",
        retry,
        Changes(after={"kind": job.kind, "file": job.input_name, "retry_of": str(job.pk)}),
        actor=actor,
        object_repr=job_label(job.kind),
    )
    retry_id = str(retry.pk)
    transaction.on_commit(lambda: run_job.enqueue(retry_id))
    return retry


def _delete_files_on_commit(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                log.warning("could not delete job file %s", name, exc_info=True)

    transaction.on_commit(delete)


def job_files_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the job files that have outlived their use; returns how many were deleted.

    - input files of finished jobs, once the retry window (SAMEBOAT_JOB_RETRY_HOURS) is
      over (a job that ended normally deleted its own already);
    - result files, SAMEBOAT_JOB_RESULT_TTL_HOURS after their job ended;
    - files under jobs/ that no job names (left by a crash between saving and committing),
      once older than the retry window.

    For the daily retention purge and the ``job_files_purge`` command.
    """
    from django.core.files.storage import default_storage

    now = now or timezone.now()
    retry_limit = now - datetime.timedelta(hours=settings.SAMEBOAT_JOB_RETRY_HOURS)
    result_limit = now - datetime.timedelta(hours=settings.SAMEBOAT_JOB_RESULT_TTL_HOURS)
    finished = Job.objects.filter(status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED])
    doomed: list[str] = []
    with transaction.atomic():
        inputs = finished.filter(finished_at__lt=retry_limit).exclude(input_file="")
        doomed += inputs.values_list("input_file", flat=True)
        inputs.update(input_file="")
        results = finished.filter(finished_at__lt=result_limit).exclude(result_file="")
        doomed += results.values_list("result_file", flat=True)
        results.update(result_file="")
    deleted = 0
    for name in doomed:
        deleted += _delete(default_storage, name)
    named = set(Job.objects.exclude(input_file="").values_list("input_file", flat=True))
    named |= set(Job.objects.exclude(result_file="").values_list("result_file", flat=True))
    for name in _stored_job_files(default_storage, "jobs"):
        if name not in named and default_storage.get_modified_time(name) < retry_limit:
            deleted += _delete(default_storage, name)
    if deleted:
        audit(
            "core.job.files_purged", None, Changes(after={"deleted": deleted}), actor=None, object_repr=_("Job files")
        )
    return deleted


def _delete(storage: Any, name: str) -> int:
    try:
        if not storage.exists(name):
            return 0
        storage.delete(name)
    except OSError:
        log.warning("could not delete job file %s", name, exc_info=True)
        return 0
    return 1


def _stored_job_files(storage: Any, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except (OSError, NotImplementedError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _stored_job_files(storage, f"{folder}/{sub}")


# Kinds whose page may quote what was uploaded (a check-in upload's row errors name
# temperatures and quarantines): kind -> the roles that may open someone else's job of that
# kind. Unlisted kinds are open to every role that reads the job's subtree. The domain
# registers its kind beside the handler.
JOB_READER_ROLES: dict[str, frozenset[str]] = {}
