"""The pages of background jobs: scope, polling, stale jobs, results and row errors."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sameboat.core.models import AuditEvent, Job

pytestmark = pytest.mark.django_db


def make_job(user, organization=None, **fields) -> Job:
    values = {"kind": "orgs.import.employees", "created_by": user, "organization": organization}
    values.update(fields)
    return Job.objects.create(**values)


def test_a_job_is_seen_by_its_creator_and_by_those_above_its_organisation(client_as, world):
    job = make_job(world.officer_a, world.company_a, input_name="roster.csv")
    for user, status in [
        (world.officer_a, 200),
        (world.hq, 200),  # the group reaches company A
        (world.viewer_a, 200),  # reads company A
        (world.officer_b, 404),  # the sibling: as if the job did not exist
        (world.nobody, 404),
        (world.employee_user, 404),  # an employee reads no subtree
    ]:
        assert client_as(user).get(f"/jobs/{job.pk}/").status_code == status, user
        assert client_as(user).get(f"/jobs/{job.pk}/status").status_code == status, user


def test_a_job_without_organisation_is_its_creators_only(client_as, officer_a_client, world):
    job = make_job(world.officer_a)
    assert officer_a_client.get(f"/jobs/{job.pk}/").status_code == 200
    assert client_as(world.hq).get(f"/jobs/{job.pk}/").status_code == 404
    assert officer_a_client.get("/jobs/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_anonymous_people_are_sent_to_log_in(client, world):
    job = make_job(world.officer_a)
    response = client.get(f"/jobs/{job.pk}/status")
    assert response.status_code == 302 and "login" in response["Location"]


def test_job_detail_shows_what_the_job_is(officer_a_client, world):
    job = make_job(world.officer_a, world.company_a, status="running", progress=42, stage="Checking row 2,000")
    job.input_name = "roster.csv"
    job.save()
    html = officer_a_client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Roster import" in html and "roster.csv" in html and "Checking row 2,000" in html
    assert '<progress max="100" value="42"' in html and 'data-testid="job-progress"' in html
    assert 'hx-trigger="every 1s"' in html and f'hx-get="/jobs/{job.pk}/status"' in html
    assert " style=" not in html  # the CSP forbids inline styles
    assert "/orgs/import/" in html  # an upload links back to the import page


def test_polling_stops_when_the_job_has_finished(officer_a_client, world):
    job = make_job(world.officer_a, status="succeeded", progress=100)
    html = officer_a_client.get(f"/jobs/{job.pk}/status").content.decode()
    assert "hx-trigger" not in html and 'data-status="succeeded"' in html


def test_a_stale_running_job_is_reaped_when_polled(officer_a_client, world):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    job = make_job(world.officer_a, status="running", started_at=long_ago, heartbeat_at=long_ago)
    html = officer_a_client.get(f"/jobs/{job.pk}/status").content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "worker stopped" in job.error_message
    assert 'data-status="failed"' in html and "worker stopped" in html
    assert "hx-trigger" not in html  # polling stops
    assert AuditEvent.objects.filter(action="core.job.reaped", object_id=str(job.pk)).exists()


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(officer_a_client, world):
    job = make_job(world.officer_a, status="running", started_at=timezone.now(), heartbeat_at=timezone.now())
    html = officer_a_client.get(f"/jobs/{job.pk}/status").content.decode()
    job.refresh_from_db()
    assert job.status == "running" and 'hx-trigger="every 1s"' in html


def test_a_job_queued_for_long_says_it_waits_for_the_worker(officer_a_client, world):
    fresh = make_job(world.officer_a)
    assert 'data-testid="job-waiting"' not in officer_a_client.get(f"/jobs/{fresh.pk}/status").content.decode()
    old = make_job(world.officer_a)
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(seconds=45))
    html = officer_a_client.get(f"/jobs/{old.pk}/status").content.decode()
    assert 'data-testid="job-waiting"' in html and 'hx-trigger="every 1s"' in html


def test_a_succeeded_job_shows_its_counts(officer_a_client, world):
    result = {"rows": 3, "created": 2, "updated": 1, "unchanged": 0, "summary": "2 added, 1 changed, 0 unchanged."}
    job = make_job(world.officer_a, status="succeeded", progress=100, result=result)
    html = officer_a_client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-result"' in html and "2 added, 1 changed, 0 unchanged." in html
    for label in ("Rows read", "Created", "Updated", "Unchanged"):
        assert f"<dt>{label}</dt>" in html
    assert 'data-testid="job-errors"' not in html


def test_a_failed_job_shows_the_reason_and_the_row_errors(officer_a_client, world):
    errors = [{"row": 4, "column": "Unit code", "message": "No unit NOPE-99 that you manage."}]
    job = make_job(
        world.officer_a, status="failed", error_message="1 row has errors; nothing was imported.", errors=errors
    )
    html = officer_a_client.get(f"/jobs/{job.pk}/").content.decode()
    assert "nothing was imported" in html and 'data-testid="job-errors"' in html
    assert "<td>4</td><td>Unit code</td><td>No unit NOPE-99 that you manage.</td>" in html


def test_the_job_list_is_mine_and_paged(world, client_as, officer_a_client):
    for _ in range(27):
        make_job(world.officer_a, world.company_a)
    theirs = make_job(world.officer_b, world.company_b)
    response = officer_a_client.get("/jobs/")
    assert response.status_code == 200 and len(response.context["rows"]) == 25
    assert 'data-testid="pager-next"' in response.content.decode()
    second = officer_a_client.get("/jobs/?page=2")
    assert len(second.context["rows"]) == 2
    assert str(theirs.pk) not in response.content.decode() + second.content.decode()
    assert len(client_as(world.nobody).get("/jobs/").context["rows"]) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_reported_aside_reaches_pollers_while_the_session_is_busy(world):
    """A handler streaming a COPY in its transaction still reports progress (and heartbeat)."""
    from django.db import connection, transaction

    from sameboat.core.jobs import JobContext

    job = make_job(world.officer_a)
    ctx = JobContext(job)
    with transaction.atomic(), ctx.reporting_aside():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")  # the handler's own session is in a transaction
        ctx.progress(42, "Checking row 5,000", force=True)
        seen = Job.objects.using("default").values_list("progress", "stage").get(pk=job.pk)
        # Committed on the second session: visible to everyone, this session included.
        assert seen == (42, "Checking row 5,000")
    ctx.progress(50, force=True)  # and back on the handler's own session afterwards
    assert Job.objects.get(pk=job.pk).progress == 50
