"""The roster import: happy paths, idempotence, bad input that stores nothing, scope, memory."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sameboat.core.import_kinds import errors_in_words
from sameboat.core.import_text import render_text
from sameboat.core.models import AuditEvent, Job
from sameboat.orgs.models import Employee, Region

pytestmark = pytest.mark.django_db

ROSTER = "Employee number,Name,Name (English),Unit code,Job title,Phone,E-mail,Home region code,On the roster\n"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT, not the project's var/ directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def post(client, user, data: bytes, *, name="roster.csv", kind="employees", keep_valid=False, capture=None):
    """Upload through the import page, running the job at once; the response."""
    client.force_login(user)
    form = {"kind": kind, "file": SimpleUploadedFile(name, data)}
    if keep_valid:
        form["keep_valid"] = "on"
    with capture(execute=True):
        return client.post("/orgs/import/", form)


def run(client, user, data: bytes | str, capture, **kwargs) -> Job:
    """Upload and return the finished job."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    response = post(client, user, raw, capture=capture, **kwargs)
    assert response.status_code == 302, response.content[:800]
    job = Job.objects.order_by("-created_at").first()
    assert response["Location"] == f"/jobs/{job.pk}/"
    return job


def xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_roster_creates_then_reimport_changes_nothing(
    frozen_today, client, world, django_capture_on_commit_callbacks
):
    from sameboat.health.models import DailyReturn

    Region.objects.create(code="CN-SC", name_zh="四川", name_en="Sichuan")
    text = ROSTER + "A-100,王五,Wang Wu,CA1,Engineer,138,wang@example.test,cn-sc,yes\nA-101,赵六,,CA1,,,,,\n"
    job = run(client, world.officer_a, text, django_capture_on_commit_callbacks)
    assert job.status == "succeeded", (job.error_message, job.errors)
    assert (job.result["created"], job.result["updated"], job.result["unchanged"]) == (2, 0, 0)
    assert job.progress == 100
    wang = Employee.objects.get(employee_no="A-100")
    assert (wang.group, wang.organization, wang.name_en, wang.home_region.code) == (
        world.group,
        world.unit_a1,
        "Wang Wu",
        "CN-SC",
    )
    # Today's return follows the roster: employee_a plus the two new people.
    assert DailyReturn.objects.get(organization=world.unit_a1, day=frozen_today).headcount == 3
    events = AuditEvent.objects.filter(action="orgs.import.employees")
    assert events.count() == 1 and events.get().after["created"] == 2
    assert events.get().organization_id == world.company_a.pk

    again = run(client, world.officer_a, text, django_capture_on_commit_callbacks)
    assert (again.result["created"], again.result["updated"], again.result["unchanged"]) == (0, 0, 2)
    assert Employee.objects.count() == 4
    page = client.get(f"/jobs/{again.pk}/").content.decode()
    assert 'data-testid="job-result"' in page and "0 added, 0 changed, 2 unchanged" in page


def test_changed_rows_update_and_follow_the_headcount(frozen_today, client, world, django_capture_on_commit_callbacks):
    from sameboat.health.models import DailyReturn

    run(client, world.officer_a, ROSTER + "A-100,王五,,CA1,,,,,\n", django_capture_on_commit_callbacks)
    before = Employee.objects.get(employee_no="A-100").updated_at
    job = run(client, world.officer_a, ROSTER + "A-100,王五,,CA1,Chief,,,,no\n", django_capture_on_commit_callbacks)
    assert (job.result["created"], job.result["updated"]) == (0, 1)
    wang = Employee.objects.get(employee_no="A-100")
    assert (wang.title, wang.is_active) == ("Chief", False) and wang.updated_at > before
    assert DailyReturn.objects.get(organization=world.unit_a1, day=frozen_today).headcount == 1


def test_xlsx_roster(client, world, django_capture_on_commit_callbacks):
    rows = [
        ["Employee number *", "Name *", "Unit code *", "Phone", "On the roster"],
        ["A-300", "孙八", "CA1", 13800138000, "是"],
        [None, None, None, None, None],  # a blank row is skipped, not an error
        ["A-301", "周九", "CA1", None, "否"],
    ]
    job = run(client, world.officer_a, xlsx(rows), django_capture_on_commit_callbacks, name="roster.xlsx")
    assert job.status == "succeeded", job.errors
    assert job.result["created"] == 2
    assert Employee.objects.get(employee_no="A-300").phone == "13800138000"
    assert Employee.objects.get(employee_no="A-301").is_active is False


def test_chinese_headers_and_gb18030(client, world, django_capture_on_commit_callbacks):
    text = "工号,姓名,英文名,单位代码,职务,电话,邮箱,地区代码,在册\nA-201,钱七,,CA1,工程师,,,,是\n"
    job = run(client, world.officer_a, text.encode("gb18030"), django_capture_on_commit_callbacks)
    assert job.status == "succeeded", (job.error_message, job.errors)
    assert Employee.objects.get(employee_no="A-201").title == "工程师"


def test_formula_like_values_are_stored_as_text(client, world, django_capture_on_commit_callbacks):
    text = ROSTER + "A-202,=1+1,,CA1,@SUM(A1),+86 138,,,\nA-203,'=HYPERLINK(x),,CA1,,,,,\n"
    job = run(client, world.officer_a, text, django_capture_on_commit_callbacks)
    assert job.status == "succeeded", job.errors
    first = Employee.objects.get(employee_no="A-202")
    assert (first.name, first.title, first.phone) == ("=1+1", "@SUM(A1)", "+86 138")  # never evaluated
    # The apostrophe our exports put before such text is taken off again.
    assert Employee.objects.get(employee_no="A-203").name == "=HYPERLINK(x)"


def _zip_not_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "fragment", "row", "column"),
    [
        (ROSTER + "A-100,,,CA1,,,,,\n", "r.csv", "name is missing", 2, "Name"),
        (ROSTER + "A-100,X,,CB1,,,,,\n", "r.csv", "No unit CB1", 2, "Unit code"),  # the sibling's unit
        (ROSTER + "A-100,X,,NOPE,,,,,\n", "r.csv", "No unit NOPE", 2, "Unit code"),
        (ROSTER + "A-100,X,,CA1,,,not-an-email,,\n", "r.csv", "not an e-mail", 2, "E-mail"),
        (ROSTER + "A-100,X,,CA1,,,,ZZ-9,\n", "r.csv", "Unknown region", 2, "Home region code"),
        (ROSTER + "A-100,X,,CA1,,,,,maybe\n", "r.csv", "not yes or no", 2, "On the roster"),
        (ROSTER + "A-100,X,,CA1,,,,,\nA-100,Y,,CA1,,,,,\n", "r.csv", "Duplicate of row 2", 3, "Employee number"),
        (ROSTER + f"{'9' * 41},X,,CA1,,,,,\n", "r.csv", "40 characters", 2, "Employee number"),
        # employee_b is in the sibling company: officer_a may not take the number over.
        (ROSTER + "B-001,X,,CA1,,,,,\n", "r.csv", "outside the units you manage", 2, "Employee number"),
        ("Employee,Nom\nx,y\n", "r.csv", "header row is not right", None, None),
        ("Employee number,Name\nA-100,X\n", "r.csv", "missing column(s): Unit code", None, None),
        (ROSTER, "r.csv", "header but no rows", None, None),
        ("not a workbook at all", "r.xlsx", "not an Excel workbook", None, None),
        (_zip_not_xlsx(), "r.xlsx", "not an Excel workbook", None, None),
        (b"Employee number,Name,Unit code\nA-100,\xff\xfe\xff,CA1\n", "r.csv", "encoding", None, None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "r.csv", "not a CSV text file", None, None),
    ],
)
def test_bad_roster_input_stores_nothing(
    client, world, django_capture_on_commit_callbacks, data, name, fragment, row, column
):
    good = "A-500,Good,,CA1,,,,,\n"  # a valid row beside the bad one: it must not be written either
    if isinstance(data, str) and data.startswith(ROSTER) and data != ROSTER:
        data += good
    before = set(Employee.objects.values_list("pk", "name", "organization_id"))
    job = run(client, world.officer_a, data, django_capture_on_commit_callbacks, name=name)
    assert job.status == "failed"
    errors = errors_in_words(job.kind, job.errors)
    shown = job.error_message + " ".join(e["message"] for e in errors)
    assert fragment in shown, shown
    if row:
        assert "nothing was imported" in job.error_message
        assert [(e["row"], e["column"]) for e in errors] == [(row, column)]
        page = client.get(f"/jobs/{job.pk}/status").content.decode()
        assert 'data-testid="job-errors"' in page and fragment in page
    assert set(Employee.objects.values_list("pk", "name", "organization_id")) == before
    assert not AuditEvent.objects.filter(action="orgs.import.employees").exists()


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "r.csv", "is empty"),
        (b"Employee number,Name,Unit code\nA-100,X,CA1\n", "r.txt", ".csv or .xlsx"),
        (b"Employee number,Name,Unit code\nA-100,X,CA1\n", "r.xls", ".csv or .xlsx"),
    ],
)
def test_refused_at_upload_before_queuing(client, world, django_capture_on_commit_callbacks, data, name, fragment):
    response = post(client, world.officer_a, data, name=name, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200 and fragment in response.content.decode()
    assert not Job.objects.exists() and Employee.objects.count() == 2


def test_oversized_file_is_refused_before_queuing(client, world, settings, django_capture_on_commit_callbacks):
    settings.SAMEBOAT_IMPORT_MAX_BYTES = 100
    data = (ROSTER + "A-100,X,,CA1,,,,,\n").encode()
    response = post(client, world.officer_a, data, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "the limit is" in response.content.decode()
    assert not Job.objects.exists() and Employee.objects.count() == 2


def test_keep_valid_rows_skips_and_reports_the_bad_ones(client, world, django_capture_on_commit_callbacks):
    text = ROSTER + "A-100,Good,,CA1,,,,,\nA-101,Bad,,NOPE,,,,,\nA-100,Again,,CA1,,,,,\nA-102,Fine,,CA1,,,,,\n"
    job = run(client, world.officer_a, text, django_capture_on_commit_callbacks, keep_valid=True)
    assert job.status == "succeeded" and job.result["skipped"] == 2 and job.result["created"] == 2
    assert Employee.objects.get(employee_no="A-100").name == "Good"  # the first of the duplicates
    assert Employee.objects.filter(employee_no="A-102").exists()
    assert not Employee.objects.filter(employee_no="A-101").exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-errors"' in page and "No unit NOPE" in page and "Duplicate of row 2" in page
    assert "2 invalid row(s) skipped" in page


def test_progress_reaches_saving_before_the_write(world, tmp_path):
    from sameboat.orgs.importers import import_employees

    class Ctx:
        job = Job(kind="orgs.import.employees")
        calls: list[tuple[float, str | None]] = []

        def progress(self, percent, stage=None, *, force=False):
            # The stage is stored as a phrase, read in the active language (here English).
            self.calls.append((percent, None if stage is None else render_text(stage)))

    path = tmp_path / "r.csv"
    path.write_text(ROSTER + "".join(f"P-{i},N{i},,CA1,,,,,\n" for i in range(5000)), encoding="utf-8")
    ctx = Ctx()
    import_employees(path=path, name="r.csv", actor=world.hq, ctx=ctx)  # type: ignore[arg-type]
    checking = [p for p, stage in ctx.calls if stage != "Saving…"]
    assert checking and all(0 <= p < 80 for p in checking)
    assert ctx.calls[-1] == (80, "Saving…")


def test_roster_validation_streams_200k_rows_in_little_memory(tmp_path, world):
    """Pass 1 over a 200,000-row file holds lookups, not rows (a bound on memory, not time)."""
    import tracemalloc

    from sameboat.orgs.importers import validate_employees

    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(ROSTER)
        for i in range(200_000):
            fh.write(f"B{i:07d},员工{i},Staff {i},CA1,工程师,13800000000,,,\n")
    tracemalloc.start()
    try:
        count, log, _checker = validate_employees(path=path, name="big.csv", actor=world.hq)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000 and log.count == 0
    # The rows as dicts would take several hundred MB; the duplicate check needs ~25 MB.
    assert peak < 60 * 1024 * 1024, peak
