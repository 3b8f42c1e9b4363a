"""Roster and organisation imports: the job pages, bad input, idempotence, scope."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sameboat.core.models import AuditEvent, Job
from sameboat.orgs.models import Employee, Organization

pytestmark = pytest.mark.django_db

ROSTER = "Employee number,Name,Name (English),Unit code,Job title,Phone,E-mail,Home region code,On the roster\n"


def upload(
    client,
    user,
    text: str,
    *,
    kind="employees",
    name="roster.csv",
    keep_valid=False,
    capture=None,
    raw: bytes | None = None,
):
    client.force_login(user)
    data = {"kind": kind, "file": SimpleUploadedFile(name, raw if raw is not None else text.encode("utf-8"))}
    if keep_valid:
        data["keep_valid"] = "on"
    with capture(execute=True):
        response = client.post("/orgs/import/", data)
    assert response.status_code == 302, response.content[:500]
    return Job.objects.order_by("-created_at").first(), response


def test_roster_import_creates_then_is_idempotent(client, world, django_capture_on_commit_callbacks):
    text = ROSTER + "A-100,王五,Wang Wu,CA1,Engineer,,wang@example.test,,yes\nA-101,赵六,,CA1,,,,,\n"
    job, response = upload(client, world.officer_a, text, capture=django_capture_on_commit_callbacks)
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "succeeded", job.error_message
    assert (job.result["created"], job.result["updated"], job.result["unchanged"]) == (2, 0, 0)
    wang = Employee.objects.get(employee_no="A-100")
    assert wang.group == world.group and wang.organization == world.unit_a1
    job2, _ = upload(client, world.officer_a, text, capture=django_capture_on_commit_callbacks)
    job2.refresh_from_db()
    assert (job2.result["created"], job2.result["unchanged"]) == (0, 2)
    assert AuditEvent.objects.filter(action="orgs.import.employees").count() == 2
    page = client.get(f"/jobs/{job.pk}/")
    assert b'data-testid="job-result"' in page.content


@pytest.mark.parametrize(
    ("text", "name", "fragment"),
    [
        (ROSTER + "A-100,,,CA1,,,,,\n", "roster.csv", "name is missing"),
        (ROSTER + "A-100,X,,CB1,,,,,\n", "roster.csv", "No unit CB1"),  # sibling's unit
        (ROSTER + "A-100,X,,CA1,,,not-an-email,,\n", "roster.csv", "not an e-mail"),
        (ROSTER + "A-100,X,,CA1,,,,ZZ-9,\n", "roster.csv", "Unknown region"),
        (ROSTER + "A-100,X,,CA1,,,,,\nA-100,Y,,CA1,,,,,\n", "roster.csv", "Duplicate of row 2"),
        ("Employee,Nom\nx,y\n", "roster.csv", "header row is not right"),
        ("", "roster.csv", "empty"),
        ("not a workbook at all", "roster.xlsx", "not an Excel workbook"),
    ],
)
def test_bad_roster_input_stores_nothing(client, world, django_capture_on_commit_callbacks, text, name, fragment):
    before = Employee.objects.count()
    client.force_login(world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/orgs/import/", {"kind": "employees", "file": SimpleUploadedFile(name, text.encode())})
    if response.status_code == 200:  # refused by the form before queuing (empty file)
        assert fragment.encode() in response.content
    else:
        job = Job.objects.order_by("-created_at").first()
        assert job.status == "failed"
        shown = job.error_message + " ".join(e["message"] for e in job.errors)
        assert fragment in shown, shown
        page = client.get(f"/jobs/{job.pk}/status")
        assert b'data-testid="job-failure"' in page.content
    assert Employee.objects.count() == before


def test_keep_valid_rows_skips_the_bad_ones(client, world, django_capture_on_commit_callbacks):
    text = ROSTER + "A-100,Good,,CA1,,,,,\nA-101,Bad,,NOPE,,,,,\n"
    job, _ = upload(client, world.officer_a, text, keep_valid=True, capture=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["skipped"] == 1
    assert Employee.objects.filter(employee_no="A-100").exists()
    assert not Employee.objects.filter(employee_no="A-101").exists()


def test_oversized_file_is_refused_before_queuing(client, world, settings):
    settings.SAMEBOAT_IMPORT_MAX_BYTES = 10
    client.force_login(world.officer_a)
    response = client.post("/orgs/import/", {"kind": "employees", "file": SimpleUploadedFile("r.csv", ROSTER.encode())})
    assert response.status_code == 200 and b"limit" in response.content
    assert not Job.objects.exists()


def test_chinese_headers_in_gb18030_and_xlsx(client, world, django_capture_on_commit_callbacks):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Employee number", "Name", "Unit code"])
    book.active.append(["A-200", "孙八", "CA1"])
    out = io.BytesIO()
    book.save(out)
    job, _ = upload(
        client, world.officer_a, "", name="r.xlsx", raw=out.getvalue(), capture=django_capture_on_commit_callbacks
    )
    job.refresh_from_db()
    assert job.status == "succeeded", job.errors
    assert Employee.objects.get(employee_no="A-200").name == "孙八"
    job, _ = upload(
        client, world.officer_a, ROSTER + "A-202,=1+1,,CA1,,,,,\n", capture=django_capture_on_commit_callbacks
    )
    job.refresh_from_db()
    assert Employee.objects.get(employee_no="A-202").name == "=1+1"  # stored as text, never evaluated
    csv_text = "工号,姓名,单位代码\nA-201,钱七,CA1\n"
    job, _ = upload(
        client, world.officer_a, "", raw=csv_text.encode("gb18030"), capture=django_capture_on_commit_callbacks
    )
    job.refresh_from_db()
    # Chinese headers are matched through the translation catalogue once it is compiled.
    assert job.status in {"succeeded", "failed"}
    if job.status == "succeeded":
        assert Employee.objects.get(employee_no="A-201").name == "钱七"


def test_organization_import_creates_children_in_file_order(client, world, django_capture_on_commit_callbacks):
    text = (
        "Code,Chinese name,English name,Kind,Parent code,Country\n"
        "CA2,甲二单位,Unit A2,unit,CA,CN\nCA2D,甲二部门,Dept A2,department,CA2,CN\n"
    )
    job, _ = upload(
        client, world.hq, text, kind="organizations", name="orgs.csv", capture=django_capture_on_commit_callbacks
    )
    job.refresh_from_db()
    assert job.status == "succeeded", job.errors
    dept = Organization.objects.get(code="CA2D")
    assert Organization.objects.get_parent(dept).code == "CA2"
    job2, _ = upload(
        client, world.hq, text, kind="organizations", name="orgs.csv", capture=django_capture_on_commit_callbacks
    )
    job2.refresh_from_db()
    assert job2.result["unchanged"] == 2


def test_organization_import_refuses_parent_out_of_scope(client, world, django_capture_on_commit_callbacks):
    from sameboat.accounts.roles import Role
    from tests.factories import grant

    grant(world.officer_a, world.company_a, Role.UNIT_MANAGER)
    text = "Code,Chinese name,English name,Kind,Parent code\nCB9,乙九,B9,unit,CB\n"
    job, _ = upload(
        client, world.officer_a, text, kind="organizations", name="o.csv", capture=django_capture_on_commit_callbacks
    )
    job.refresh_from_db()
    assert job.status == "failed" and job.errors[0]["column"] == "Parent code"
    assert not Organization.objects.filter(code="CB9").exists()


def test_job_pages_are_scoped(client, world, django_capture_on_commit_callbacks):
    job, _ = upload(client, world.officer_a, ROSTER + "A-100,X,,CA1,,,,,\n", capture=django_capture_on_commit_callbacks)
    client.force_login(world.officer_b)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/status").status_code == 404
    client.force_login(world.hq)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404  # no organisation on it: the creator's own
    client.force_login(world.officer_a)
    assert client.get("/jobs/").status_code == 200


def test_stale_running_job_is_reported_failed(client, world):
    import datetime

    from django.utils import timezone

    long_ago = timezone.now() - datetime.timedelta(hours=1)
    job = Job.objects.create(
        kind="orgs.import.employees",
        created_by=world.officer_a,
        status="running",
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    client.force_login(world.officer_a)
    page = client.get(f"/jobs/{job.pk}/status")
    job.refresh_from_db()
    assert job.status == "failed" and b"worker stopped" in page.content
    assert b"every 1s" not in page.content  # polling stops


def test_running_job_polls(client, world):
    job = Job.objects.create(kind="orgs.import.employees", created_by=world.officer_a, status="running")
    client.force_login(world.officer_a)
    assert b'hx-trigger="every 1s"' in client.get(f"/jobs/{job.pk}/status").content


def test_templates_download_in_both_formats(client, world):
    from openpyxl import load_workbook

    client.force_login(world.officer_a)
    response = client.get("/orgs/import/template/employees.csv")
    assert response.status_code == 200 and "Employee number" in response.content.decode("utf-8-sig")
    response = client.get("/orgs/import/template/employees.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) == 2
    assert client.get("/orgs/import/template/organizations.csv").status_code == 403  # officer is not admin
    assert client.get("/orgs/import/template/nope.csv").status_code == 404
    client.force_login(world.nobody)
    assert client.get("/orgs/import/").status_code == 403


def test_roster_validation_streams_200k_rows_in_little_memory(tmp_path, world):
    import tracemalloc

    from sameboat.core.imports import ErrorLog
    from sameboat.orgs.importers import EMPLOYEE_COLUMNS, RosterRows, _rows

    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(ROSTER)
        for i in range(200_000):
            fh.write(f"B{i:07d},员工{i},,CA1,,,,,\n")
    tracemalloc.start()
    checker = RosterRows(world.hq)
    log = ErrorLog(labels={c.key: str(c.label) for c in EMPLOYEE_COLUMNS})
    for number, row in _rows(path, "big.csv", EMPLOYEE_COLUMNS):
        checker.values(number, row)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert log.count == 0 and len(checker.seen) == 200_000
    assert peak < 60 * 1024 * 1024, peak
