"""The rows an import rejected, to download with their problems, fix and import again; only
for whoever may follow the job (404 for anyone else), as the scope matrix registers it."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from sameboat.accounts.roles import Role
from sameboat.core.contributions import scope_matrix
from sameboat.core.models import Job
from sameboat.orgs.models import Employee, Region
from tests.factories import UserFactory, grant
from tests.orgs.test_import import ROSTER, _uploads_in_tmp, run  # noqa: F401 - the fixture applies here too

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
BAD_ROSTER = (
    ROSTER
    + "A-100,好,,CA1,,,,,\n"
    + "A-101,差,,NOPE-99,,,,,\n"  # row 3: a unit the officer does not manage
    + "A-102,也好,,CA1,,,,,\n"
    + "=A-103,公式,,CA1,,,not-an-email,,\n"  # row 5: a bad e-mail (and formula-like text)
)


def url(job, fmt="xlsx") -> str:
    return f"/orgs/import/jobs/{job.pk}/rejected.{fmt}"


def rows_of(response, fmt: str) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        return [row for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))]
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def failed(client, world, django_capture_on_commit_callbacks) -> Job:
    """officer_a's roster upload with two bad rows (nothing imported), run in English."""
    job = run(client, world.officer_a, BAD_ROSTER, django_capture_on_commit_callbacks)
    assert job.status == "failed" and job.result_file.name.endswith("-rejected.jsonl")
    return job


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_rejected_rows_come_with_their_problems_in_the_readers_language(client, failed, fmt):
    html = client.get(f"/jobs/{failed.pk}/", **ZH).content.decode()
    assert 'data-testid="job-rejected-xlsx"' in html and url(failed) in html and url(failed, "csv") in html
    response = client.get(url(failed, fmt), **ZH)
    assert response.status_code == 200
    header, *rows = rows_of(response, fmt)
    assert header == [
        "工号 *",
        "姓名 *",
        "英文姓名",
        "单位代码 *",
        "职务",
        "电话",
        "电子邮箱",
        "常驻地区代码",
        "在册",
        "错误",
    ]
    # Exactly the rejected rows, as they were uploaded, each with its field and problem.
    assert [row[0] for row in rows] == ["A-101", "'=A-103"]  # formula-like text stays text
    assert rows[0][3] == "NOPE-99" and rows[0][-1].startswith("单位代码：")
    assert "NOPE-99" in rows[0][-1] and "No unit" not in rows[0][-1]
    assert rows[1][-1].startswith("电子邮箱") and "not-an-email" in rows[1][-1]
    english = rows_of(client.get(url(failed, fmt)), fmt)
    assert english[0][-1] == "Error" and english[1][-1] == "Unit code: No unit NOPE-99 that you manage."


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_fixed_rejected_rows_import_as_they_are(client, world, failed, django_capture_on_commit_callbacks, fmt):
    header, *rows = rows_of(client.get(url(failed, fmt), **ZH), fmt)
    rows[0][3] = "CA1"  # the unit
    rows[1][6] = "a103@example.test"  # the e-mail; the error column stays where it is
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows([header, *rows])
        data = out.getvalue().encode("utf-8")
    else:
        book = Workbook()
        for row in [header, *rows]:
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
    job = run(client, world.officer_a, data, django_capture_on_commit_callbacks, name=f"fixed.{fmt}")
    assert job.status == "succeeded", (job.error_message, job.errors)
    assert job.result["created"] == 2 and not job.result_file
    assert Employee.objects.get(employee_no="A-101").organization == world.unit_a1
    assert Employee.objects.get(employee_no="=A-103").email == "a103@example.test"


def test_keeping_the_valid_rows_offers_the_skipped_ones(client, world, django_capture_on_commit_callbacks):
    job = run(client, world.officer_a, BAD_ROSTER, django_capture_on_commit_callbacks, keep_valid=True)
    assert job.status == "succeeded" and job.result["skipped"] == 2 and job.result["created"] == 2
    assert url(job) in client.get(f"/jobs/{job.pk}/").content.decode()
    assert [row[0] for row in rows_of(client.get(url(job, "csv")), "csv")[1:]] == ["A-101", "'=A-103"]


def test_a_job_without_rejected_rows_has_no_link_and_no_file(client, world, django_capture_on_commit_callbacks):
    job = run(client, world.officer_a, ROSTER + "A-100,好,,CA1,,,,,\n", django_capture_on_commit_callbacks)
    assert job.status == "succeeded" and not job.result_file
    assert "job-rejected" not in client.get(f"/jobs/{job.pk}/").content.decode()
    assert client.get(url(job)).status_code == 404
    assert client.get(url(job, "pdf")).status_code == 404


def test_a_purged_file_answers_404(client, failed):
    failed.result_file.storage.delete(failed.result_file.name)
    assert client.get(url(failed)).status_code == 404


# --- Scope: the scope matrix's rule, held against each kind of reader ---------------------------------


def test_only_who_may_follow_the_job_downloads_its_rejected_rows(client_as, world, failed):
    entry = scope_matrix["orgs:import_rejected"]
    assert entry.app == "orgs" and entry.scoped and entry.roles
    outsider = UserFactory(username="outsider_manager")
    grant(outsider, world.company_b, Role.UNIT_MANAGER)
    expected = {
        world.officer_a: 200,  # who ran it
        world.hq: 200,  # reaches company A, the job's organisation
        world.viewer_a: 200,  # a reading role on company A follows a roster job
        world.officer_b: 404,  # the sibling company
        outsider: 404,
        world.employee_user: 404,  # the employee role reads no subtree
        world.nobody: 404,
    }
    for user, status in expected.items():
        assert client_as(user).get(url(failed)).status_code == status, user
        assert client_as(user).get(url(failed, "csv")).status_code == status, user
    assert client_as(world.officer_a).get(url(failed).replace(str(failed.pk), "0" * 32)).status_code == 404


def test_a_checkin_uploads_rejected_rows_are_for_the_health_value_readers(
    frozen_today, client, client_as, world, django_capture_on_commit_callbacks
):
    """A check-in upload's rejected rows quote temperatures: a viewer who may read the
    organisation's counts may not read them."""
    Region.objects.create(code="CN-SC", name_zh="四川", name_en="Sichuan")
    header = "Employee number,Date,Temperature,Symptoms,Region code,Work status\n"
    text = header + f"A-001,{frozen_today},45.9,,CN-SC,on_site\n"
    job = run(client, world.officer_a, text, django_capture_on_commit_callbacks, kind="checkins")
    assert job.status == "failed"
    header_row, row = rows_of(client_as(world.officer_a).get(url(job, "csv"), **ZH), "csv")
    assert row[2] == "45.9" and row[-1].startswith("体温") and header_row[-1] == "错误"
    assert client_as(world.hq).get(url(job, "csv")).status_code == 200
    assert client_as(world.viewer_a).get(url(job, "csv")).status_code == 404
    assert client_as(world.officer_b).get(url(job, "csv")).status_code == 404
