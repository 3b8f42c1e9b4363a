"""A background job's name and result are read in the reader's language, not the worker's."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from sameboat.core.jobs import CRASHED, job_create
from sameboat.core.models import Job, JobStatus

pytestmark = pytest.mark.django_db

ROSTER = b"Employee number,Name,Unit code\nA-900,Good Person,CA1\n"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_job_run_by_an_english_worker_reads_in_chinese(world, client_as, django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        job = job_create(
            actor=world.officer_a,
            kind="orgs.import.employees",
            organization=world.company_a,
            upload=SimpleUploadedFile("roster.csv", ROSTER),
        )
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert isinstance(job.result["summary"], list)  # phrases, not a sentence in English
    client = client_as(world.officer_a, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    inbox = client.get("/inbox/").content.decode()
    for html in (page, inbox):
        assert "花名册导入" in html and "新增 1" in html, html
        assert "Roster import" not in html and "added" not in html
    english = client_as(world.officer_a, HTTP_ACCEPT_LANGUAGE="en").get(f"/jobs/{job.pk}/").content.decode()
    assert "1 added, 0 changed, 0 unchanged." in english
    # The trail stored the job's name in the worker's English: it is named by its kind when read.
    trail = client_as(world.hq, HTTP_ACCEPT_LANGUAGE="zh-hans").get("/audit/?object_type=core.job").content.decode()
    assert trail.count("花名册导入") >= 2 and "Roster import" not in trail
    assert ">orgs.import.employees<" not in trail and "新增 1 条" in trail


def test_an_old_jobs_text_summary_and_cores_own_reason_still_read(world, client_as):
    old = Job.objects.create(
        kind="orgs.import.employees",
        created_by=world.officer_a,
        status=JobStatus.SUCCEEDED,
        result={"summary": "3 added, 0 changed, 0 unchanged."},
    )
    crashed = Job.objects.create(
        kind="orgs.import.employees", created_by=world.officer_a, status=JobStatus.FAILED, error_message=CRASHED
    )
    client = client_as(world.officer_a, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "3 added, 0 changed, 0 unchanged." in client.get(f"/jobs/{old.pk}/").content.decode()
    html = client.get(f"/jobs/{crashed.pk}/").content.decode()
    with translation.override("zh-hans"):
        assert translation.gettext(CRASHED) in html and CRASHED not in html
