"""Job files and retries: an input file lives as long as its job needs it; a job whose worker
died can be retried from the same file; expired files are purged."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from sameboat.core import jobs
from sameboat.core.jobs import job_create, job_files_purge, job_reap_worker
from sameboat.core.models import AuditEvent, Job, JobStatus

pytestmark = pytest.mark.django_db

GOOD_ROSTER = b"Employee number,Name,Unit code\nA-900,Good Person,CA1\n"
BAD_ROSTER = b"Employee number,Name,Unit code\nA-900,,CA1\n"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def crashing_kind():
    """A kind of job whose handler crashes the first time and works the second."""
    calls: list[str] = []

    def handler(ctx):
        calls.append(ctx.job.input_file.read().decode())
        if len(calls) == 1:
            raise RuntimeError("a bug, not the file's fault")
        return {"summary": "done"}

    jobs.HANDLERS["test.crashing"] = (handler, "Crashing test job")
    yield calls
    del jobs.HANDLERS["test.crashing"]


def start(user, org, data: bytes, capture, *, kind="orgs.import.employees", name="roster.csv") -> Job:
    with capture(execute=True):
        job = job_create(actor=user, kind=kind, organization=org, upload=SimpleUploadedFile(name, data))
    job.refresh_from_db()
    return job


def stored(job: Job) -> bool:
    return bool(job.input_file.name) and job.input_file.storage.exists(job.input_file.name)


def test_input_file_is_deleted_when_the_job_succeeds_or_is_refused(world, django_capture_on_commit_callbacks):
    for data, status in [(GOOD_ROSTER, "succeeded"), (BAD_ROSTER, "failed")]:
        with django_capture_on_commit_callbacks(execute=False):
            job = job_create(
                actor=world.officer_a,
                kind="orgs.import.employees",
                organization=world.company_a,
                upload=SimpleUploadedFile("r.csv", data),
            )
        path = Path(job.input_file.path)
        assert path.exists()
        with django_capture_on_commit_callbacks(execute=True):
            jobs.run_job.call(str(job.pk))
        job.refresh_from_db()
        assert job.status == status
        assert job.input_file.name == "" and not path.exists()


def test_a_crashed_job_keeps_its_file_and_its_creator_can_retry_it(
    client_as, world, crashing_kind, django_capture_on_commit_callbacks
):
    job = start(world.officer_a, world.company_a, b"hello", django_capture_on_commit_callbacks, kind="test.crashing")
    assert job.status == "failed" and "retry" in job.error_message
    assert stored(job)
    client = client_as(world.officer_a)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-retry"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/jobs/{job.pk}/retry")
    retry = Job.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{retry.pk}/"
    retry.refresh_from_db()
    assert retry.status == "succeeded" and retry.options["retry_of"] == str(job.pk)
    assert crashing_kind == ["hello", "hello"]  # the same file, read again
    assert (retry.kind, retry.organization, retry.input_name, retry.created_by) == (
        job.kind,
        job.organization,
        job.input_name,
        world.officer_a,
    )
    job.refresh_from_db()
    assert job.input_file.name == ""  # the file moved to the retry, which deleted it when done
    assert not stored(retry)
    event = AuditEvent.objects.get(action="core.job.retried")
    assert event.actor == world.officer_a and event.after["retry"] == str(retry.pk)
    # Once retried, never again.
    assert 'data-testid="job-retry"' not in client.get(f"/jobs/{job.pk}/").content.decode()
    client.post(f"/jobs/{job.pk}/retry")
    assert Job.objects.count() == 2


def test_only_the_creator_retries_others_see_no_button(
    client_as, world, crashing_kind, django_capture_on_commit_callbacks
):
    job = start(world.officer_a, world.company_a, b"x", django_capture_on_commit_callbacks, kind="test.crashing")
    client = client_as(world.hq)  # sees the job (scope), did not start it
    assert 'data-testid="job-retry"' not in client.get(f"/jobs/{job.pk}/").content.decode()
    assert client.post(f"/jobs/{job.pk}/retry").status_code == 403
    client = client_as(world.officer_b)  # out of scope: as if the job did not exist
    assert client.post(f"/jobs/{job.pk}/retry").status_code == 404
    client = client_as(world.officer_a)
    assert client.get(f"/jobs/{job.pk}/retry").status_code == 405
    assert Job.objects.count() == 1


def test_a_refused_file_cannot_be_retried(client_as, world, django_capture_on_commit_callbacks):
    job = start(world.officer_a, world.company_a, BAD_ROSTER, django_capture_on_commit_callbacks)
    client = client_as(world.officer_a)
    assert 'data-testid="job-retry"' not in client.get(f"/jobs/{job.pk}/").content.decode()
    response = client.post(f"/jobs/{job.pk}/retry", follow=True)
    assert "cannot be retried" in response.content.decode()
    assert Job.objects.count() == 1


def test_a_job_whose_worker_died_is_failed_with_a_message_and_can_be_retried(
    client_as, world, django_capture_on_commit_callbacks, settings
):
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(
            actor=world.officer_a,
            kind="orgs.import.employees",
            organization=world.company_a,
            upload=SimpleUploadedFile("r.csv", GOOD_ROSTER),
        )
    # A worker claimed it, started it, and died (no exception, no clean-up: SIGKILL).
    task = DBTaskResult.objects.get()
    task.claim("worker-that-died")
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now)
    assert job_reap_worker(worker_id="another-worker") == 0
    assert job_reap_worker(worker_id="worker-that-died") == 1
    job.refresh_from_db()
    task.refresh_from_db()
    assert job.status == "failed" and "background worker stopped" in job.error_message
    assert task.status == TaskResultStatus.FAILED
    assert AuditEvent.objects.filter(action="core.job.reaped", object_id=str(job.pk)).exists()
    assert stored(job)
    client = client_as(world.officer_a)
    assert 'data-testid="job-retry"' in client.get(f"/jobs/{job.pk}/").content.decode()


def test_a_stale_job_reaped_on_its_page_can_be_retried(client_as, world, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = job_create(
            actor=world.officer_a,
            kind="orgs.import.employees",
            organization=world.company_a,
            upload=SimpleUploadedFile("r.csv", GOOD_ROSTER),
        )
    old = timezone.now() - datetime.timedelta(seconds=settings.SAMEBOAT_JOB_STALE_SECONDS + 5)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=old, heartbeat_at=old)
    client = client_as(world.officer_a)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "you can retry it" in page and 'data-testid="job-retry"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/jobs/{job.pk}/retry")
    assert Job.objects.get(options__retry_of=str(job.pk)).status == "succeeded"


def test_purge_deletes_expired_inputs_results_and_strays_and_keeps_the_rest(world, settings):
    now = timezone.now()
    long_ago = now - datetime.timedelta(hours=settings.SAMEBOAT_JOB_RESULT_TTL_HOURS + 1)
    recent = now - datetime.timedelta(hours=1)

    def job_with_files(finished_at, *, result: bool = False) -> Job:
        job = Job.objects.create(
            kind="orgs.import.employees", created_by=world.officer_a, status=JobStatus.FAILED, finished_at=finished_at
        )
        job.input_file.save("in.csv", ContentFile(b"x"), save=False)
        if result:
            job.result_file.save("out.xlsx", ContentFile(b"y"), save=False)
        job.save()
        return job

    expired = job_with_files(long_ago, result=True)
    fresh = job_with_files(recent, result=True)
    running = Job.objects.create(kind="orgs.import.employees", created_by=world.officer_a, status=JobStatus.RUNNING)
    running.input_file.save("busy.csv", ContentFile(b"z"))
    media = Path(settings.MEDIA_ROOT)
    stray = media / "jobs" / "2020" / "01" / "left-behind.csv"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"s")
    old_time = (now - datetime.timedelta(days=30)).timestamp()
    os.utime(stray, (old_time, old_time))
    paths = {j: (Path(j.input_file.path), Path(j.result_file.path)) for j in (expired, fresh)}

    assert job_files_purge(now=now) == 3  # the expired input and result, the stray
    assert not paths[expired][0].exists() and not paths[expired][1].exists() and not stray.exists()
    assert paths[fresh][0].exists() and paths[fresh][1].exists()
    assert Path(running.input_file.path).exists()
    expired.refresh_from_db()
    assert expired.input_file.name == "" and expired.result_file.name == ""
    assert AuditEvent.objects.get(action="core.job.files_purged").after == {"deleted": 3}
    # Later still, the fresh job's files go too; the running job's input stays.
    later = now + datetime.timedelta(hours=settings.SAMEBOAT_JOB_RESULT_TTL_HOURS + 2)
    assert job_files_purge(now=later) == 2
    assert Path(running.input_file.path).exists()


def test_purge_command(world, capsys):
    call_command("job_files_purge")
    assert "deleted 0 job file(s)" in capsys.readouterr().out
