"""The import page and the templates to download: who may, what they get, check-ins."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation

from sameboat.core.models import Job
from sameboat.orgs.importers import EMPLOYEE_COLUMNS, ORG_COLUMNS
from sameboat.orgs.models import Employee, Region
from tests.orgs.test_import import _uploads_in_tmp, post, run  # noqa: F401 - the fixture applies here too

pytestmark = pytest.mark.django_db


def kinds_offered(client) -> list[str]:
    response = client.get("/orgs/import/")
    assert response.status_code == 200
    return [value for value, _label in response.context["form"].fields["kind"].choices]


def test_only_people_who_manage_something_may_import(client_as, world):
    for user in (world.nobody, world.viewer_a, world.employee_user):
        client = client_as(user)
        assert client.get("/orgs/import/").status_code == 403
        assert client.get("/orgs/import/template/employees.csv").status_code == 403
    assert kinds_offered(client_as(world.officer_a)) == ["employees", "checkins"]
    assert kinds_offered(client_as(world.hq)) == ["employees", "organizations", "checkins"]


def test_the_page_has_the_form_templates_and_recent_imports(client, world, django_capture_on_commit_callbacks):
    run(client, world.officer_a, "Employee number,Name,Unit code\nA-100,X,CA1\n", django_capture_on_commit_callbacks)
    html = client.get("/orgs/import/").content.decode()
    for testid in ("import-form", "import-kind", "import-file", "import-submit", "import-keep-valid"):
        assert f'data-testid="{testid}"' in html, testid
    for link in ("/orgs/import/template/employees.xlsx", "/orgs/import/template/checkins.csv"):
        assert link in html
    assert "/orgs/import/template/organizations" not in html  # not for an officer
    assert 'data-no-keep-valid="checkins"' in html and "sameboat/jobs.js" in html
    assert "roster.csv" in html  # the recent import
    assert " style=" not in html and "<script>" not in html  # the CSP forbids inline styles and scripts


def test_the_job_belongs_to_the_top_of_the_importers_subtree(
    client, client_as, world, django_capture_on_commit_callbacks
):
    job = run(
        client, world.officer_a, "Employee number,Name,Unit code\nA-100,X,CA1\n", django_capture_on_commit_callbacks
    )
    assert job.organization == world.company_a and job.input_name == "roster.csv"
    client = client_as(world.hq)  # HQ reaches company A: it can follow the job
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    client = client_as(world.officer_b)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


def test_csv_template_in_english_and_chinese(client_as, world):
    client = client_as(world.officer_a)
    response = client.get("/orgs/import/template/employees.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(body[1:])))
    assert header[:3] == ["Employee number *", "Name *", "Name (English)"]
    response = client.get("/orgs/import/template/employees.csv", HTTP_ACCEPT_LANGUAGE="zh-hans")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    with translation.override("zh-hans"):
        expected = [str(c.label) + (" *" if c.required else "") for c in EMPLOYEE_COLUMNS]
    assert header == expected


def test_xlsx_template_has_an_instructions_sheet(client_as, world):
    from openpyxl import load_workbook

    client = client_as(world.hq)
    response = client.get("/orgs/import/template/organizations.xlsx")
    assert "spreadsheetml" in response["Content-Type"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    first, notes, _lists = (list(book[name].iter_rows(values_only=True)) for name in book.sheetnames)
    assert list(first[0]) == [str(c.label) + (" *" if c.required else "") for c in ORG_COLUMNS]
    assert notes[0] == ("Column", "Required", "Allowed values", "Notes")
    by_column = {row[0]: row for row in notes[1:] if row and row[0]}
    assert by_column["Code"][1] == "yes" and by_column["Address"][1] == "no"
    assert "overseas_office" in by_column["Kind"][2]
    response = client.get("/orgs/import/template/checkins.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    notes = {row[0]: row for row in book[book.sheetnames[1]].iter_rows(values_only=True) if row and row[0]}
    assert "central_quarantine" in notes["Work status"][2] and "sore_throat" in notes["Symptoms"][2]


def test_template_urls_refuse_what_they_do_not_know(client_as, world):
    client = client_as(world.officer_a)
    assert client.get("/orgs/import/template/organizations.csv").status_code == 403  # not an administrator
    assert client.get("/orgs/import/template/nope.csv").status_code == 404
    assert client.get("/orgs/import/template/employees.pdf").status_code == 404


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_filled_in_template_imports(client_as, world, django_capture_on_commit_callbacks, language):
    client = client_as(world.officer_a)
    body = client.get("/orgs/import/template/employees.csv", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    header = next(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    row = {0: "A-700", 1: "模板", 3: "CA1"}
    line = ",".join(row.get(i, "") for i in range(len(header)))
    job = run(client, world.officer_a, body + line + "\n", django_capture_on_commit_callbacks)
    assert job.status == "succeeded", (job.error_message, job.errors)
    assert Employee.objects.filter(employee_no="A-700", organization=world.unit_a1).exists()


def test_checkins_start_from_the_import_page_all_or_nothing(
    frozen_today, client, world, django_capture_on_commit_callbacks
):
    from sameboat.health.models import CheckIn

    Region.objects.create(code="CN-SC", name_zh="四川", name_en="Sichuan")
    today = frozen_today
    header = "Employee number,Date,Temperature,Symptoms,Region code,Work status\n"
    text = header + f"A-001,{today},36.6,,CN-SC,on_site\n"
    job = run(client, world.officer_a, text, django_capture_on_commit_callbacks, kind="checkins", keep_valid=True)
    assert job.kind == "health.import.checkins"
    assert job.options["keep_valid"] is False  # never for check-ins
    assert job.status == "succeeded", (job.error_message, job.errors)
    assert CheckIn.objects.get(employee=world.employee_a, day=today).source == "import"
    # A bad row fails the whole file even though "keep the valid rows" was ticked.
    bad = header + f"A-001,{today},36.7,,CN-SC,on_site\nZ-9,{today},36.6,,CN-SC,on_site\n"
    job = run(client, world.officer_a, bad, django_capture_on_commit_callbacks, kind="checkins", keep_valid=True)
    assert job.status == "failed" and job.errors[0]["row"] == 3
    assert str(CheckIn.objects.get(employee=world.employee_a, day=today).temperature) == "36.6"


def test_a_form_error_keeps_the_page(client, world, django_capture_on_commit_callbacks):
    response = post(client, world.officer_a, b"x", name="r.pdf", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200 and 'data-testid="import-form"' in response.content.decode()
    assert not Job.objects.exists()
