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


@pytest.mark.parametrize(
    ("upload", "chinese", "english"),
    [
        # A missing column: the reason names the column by its title, in the reader's language.
        (b"Employee number,Name\nA-901,Good Person\n", ["缺少列", "单位代码"], ["missing column", "Unit code"]),
        # A rejected row: the count's sentence, in the reader's language.
        (b"Employee number,Name,Unit code\nA-902,Good Person,NOPE\n", ["1 行有错误"], ["row has errors"]),
    ],
)
def test_a_failed_imports_reason_reads_in_chinese_in_the_inbox(
    world, client_as, django_capture_on_commit_callbacks, upload, chinese, english
):
    """The inbox words an import's refusal when read, as the job's page does, not in the
    English the worker ran in."""
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        job = job_create(
            actor=world.officer_a,
            kind="orgs.import.employees",
            organization=world.company_a,
            upload=SimpleUploadedFile("roster.csv", upload),
        )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    inbox = client_as(world.officer_a, HTTP_ACCEPT_LANGUAGE="zh-hans").get("/inbox/").content.decode()
    for words in chinese:
        assert words in inbox, inbox
    for words in english:
        assert words not in inbox
    english_inbox = client_as(world.officer_a, HTTP_ACCEPT_LANGUAGE="en").get("/inbox/").content.decode()
    assert all(words in english_inbox for words in english)


def test_a_running_jobs_stage_reads_in_the_readers_language(world, client_as):
    """The worker reports its stage in English; a Chinese reader polling the job reads Chinese."""
    from django.urls import reverse
    from django.utils.translation import gettext_noop

    from sameboat.core.jobs import JobContext
    from sameboat.core.notify import phrase

    job = Job.objects.create(kind="orgs.import.employees", created_by=world.officer_a, status=JobStatus.RUNNING)
    with translation.override("en"):
        JobContext(job).progress(40, phrase(gettext_noop("Checking row %(n)s"), n="5,000"), force=True)
    url = reverse("core:job_status", args=[job.pk])
    chinese = client_as(world.officer_a, HTTP_ACCEPT_LANGUAGE="zh-hans").get(url).content.decode()
    assert "正在检查第 5,000 行" in chinese and "Checking row" not in chinese
    english = client_as(world.officer_a, HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    assert "Checking row 5,000" in english
    # A stage stored as text before this change still reads as it was.
    Job.objects.filter(pk=job.pk).update(stage="Saving…")
    assert "Saving…" in client_as(world.officer_a, HTTP_ACCEPT_LANGUAGE="zh-hans").get(url).content.decode()
