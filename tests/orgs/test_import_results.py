"""What an import says is stored as codes and values and worded for the reader; the template
in the reader's language, with drop-down lists and an example row the importer leaves out."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook

from sameboat.core.import_kinds import import_kinds
from sameboat.core.import_text import render_text
from sameboat.health.models import CheckIn, WorkStatus
from sameboat.orgs.models import Employee, Region
from tests.orgs.test_import import ROSTER, _uploads_in_tmp, run  # noqa: F401 - the fixture applies here too

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
BAD_ROSTER = ROSTER + "A-100,好,,CA1,,,,,\nA-101,X,,NOPE-99,,,,,\nA-102,Y,,CA1,,,,,maybe\n"


def page(client, job, **headers) -> str:
    return client.get(f"/jobs/{job.pk}/", **headers).content.decode()


def book_of(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


# --- Results in the reader's language -------------------------------------------------------------


def test_row_errors_are_stored_as_codes_and_worded_for_each_reader(client, world, django_capture_on_commit_callbacks):
    job = run(client, world.officer_a, BAD_ROSTER, django_capture_on_commit_callbacks)  # run in English
    assert job.status == "failed"
    # Stored: the column's key, a message id and its values; no sentence in anyone's language.
    assert [(e["row"], e["column"], e["args"]) for e in job.errors] == [
        (3, "unit", {"code": "NOPE-99"}),
        (4, "active", {"v": "maybe"}),
    ]
    assert all("message" not in e for e in job.errors)
    assert job.result["reason"] == {"plural": "rows_with_errors", "args": {"n": 2}}

    chinese = page(client, job, **ZH)
    assert "2 行有错误，未导入任何数据" in chinese
    assert "<td>单位代码</td>" in chinese and "<td>在册</td>" in chinese  # the columns' Chinese titles
    assert "NOPE-99" in chinese
    for english in ("rows have errors", "nothing was imported", "Unit code", "On the roster", "No unit"):
        assert english not in chinese, english
    english = page(client, job)
    assert "2 rows have errors; nothing was imported" in english and "<td>Unit code</td>" in english


def test_a_header_refusal_names_the_columns_in_the_readers_language(client, world, django_capture_on_commit_callbacks):
    job = run(client, world.officer_a, "Employee number,Name\nA-100,X\n", django_capture_on_commit_callbacks)
    assert job.status == "failed" and "Unit code" in job.error_message  # the worker's own words
    chinese = page(client, job, **ZH)
    with translation.override("zh-hans"):
        expected = render_text(job.result["reason"], {c.key: str(c.label) for c in import_kinds["employees"].columns})
    assert "单位代码" in expected and expected in chinese.replace("&amp;", "&")
    assert "missing column" not in chinese and "Unit code" not in chinese


def test_the_summary_is_worded_for_the_reader(client, world, django_capture_on_commit_callbacks):
    job = run(client, world.officer_a, ROSTER + "A-100,好,,CA1,,,,,\n", django_capture_on_commit_callbacks)
    assert job.status == "succeeded"
    assert job.result["summary"][0]["args"] == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 0}
    assert "新增 1 条" in page(client, job, **ZH)
    assert "1 added, 0 changed, 0 unchanged." in page(client, job)


def test_a_job_stored_before_phrases_still_reads(client, world):
    from sameboat.core.models import Job

    old = Job.objects.create(
        kind="orgs.import.employees",
        status="failed",
        created_by=world.officer_a,
        error_message="1 row has errors; nothing was imported.",
        errors=[{"row": 2, "column": "Unit code", "message": "No unit X that you manage."}],
    )
    html = page(client_for(client, world.officer_a), old)
    assert "1 row has errors" in html and "No unit X that you manage." in html


def client_for(client, user):
    client.force_login(user)
    return client


# --- The template ---------------------------------------------------------------------------------------


def validations(sheet) -> dict[str, str]:
    """Column letter → the drop-down list's source, for each list validation of the sheet."""
    out = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        for ref in str(validation.sqref).split():
            out[re.match(r"[A-Z]+", ref).group()] = validation.formula1
    return out


def listed(book, formula: str) -> list[str]:
    sheet_name, cells = formula.rsplit("!", 1)
    sheet = book[sheet_name.strip("'")]
    first, last = (c.replace("$", "") for c in cells.split(":"))
    return [row[0].value for row in sheet[first:last]]


def test_the_checkin_template_has_drop_downs_an_example_and_titled_instructions(client_as, world):
    response = client_as(world.officer_a).get("/orgs/import/template/checkins.xlsx", **ZH)
    book = book_of(response)
    data, notes, lists = (book[name] for name in book.sheetnames)
    assert lists.sheet_state == "hidden"
    header = [c.value for c in data[1]]
    assert header[:3] == ["工号 *", "日期 *", "体温 *"]
    by_title = {h.rstrip(" *"): chr(ord("A") + i) for i, h in enumerate(header)}
    found = validations(data)
    # Every column with a fixed set of values, and only those, offers a list (in Chinese).
    assert set(found) == {by_title[t] for t in ("症状", "近14天外出史", "近14天病例接触史", "工作状态", "通勤方式")}
    with translation.override("zh-hans"):
        assert listed(book, found[by_title["工作状态"]]) == [str(label) for _v, label in WorkStatus.choices]
    assert listed(book, found[by_title["近14天外出史"]]) == ["是", "否"]
    symptoms = next(v for v in data.data_validations.dataValidation if by_title["症状"] in str(v.sqref))
    assert symptoms.errorStyle == "warning"  # several symptoms may be typed in one cell
    example = [c.value for c in data[2]]
    assert example[0].startswith("示例：") and data["A2"].font.italic
    # The instructions sheet's titles are a spreadsheet's, not the follow-up page's "Notes".
    assert [c.value for c in notes[1]] == ["列", "必填", "可填值", "说明"]
    assert "随访记录" not in {c.value for row in notes.iter_rows() for c in row}


def test_the_organisation_template_lists_the_kinds(client_as, world):
    book = book_of(client_as(world.hq).get("/orgs/import/template/organizations.xlsx"))
    data = book[book.sheetnames[0]]
    found = validations(data)
    assert set(found) == {"D", "K"}  # Kind, Active
    assert "Overseas office" in listed(book, found["D"]) and listed(book, found["K"]) == ["yes", "no"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_untouched_template_imports_nothing_and_reports_no_error(
    client, client_as, world, django_capture_on_commit_callbacks, language, tmp_path
):
    for kind, fmt in (("employees", "xlsx"), ("employees", "csv"), ("checkins", "xlsx")):
        response = client_as(world.officer_a).get(f"/orgs/import/template/{kind}.{fmt}", HTTP_ACCEPT_LANGUAGE=language)
        data = b"".join(response.streaming_content) if fmt == "xlsx" else response.content
        before = (Employee.objects.count(), CheckIn.objects.count())
        job = run(client, world.officer_a, data, django_capture_on_commit_callbacks, kind=kind, name=f"t.{fmt}")
        assert job.status == "succeeded", (kind, fmt, job.error_message, job.errors)
        assert job.result["created"] == 0 and not job.errors and not job.result.get("errors")
        assert (Employee.objects.count(), CheckIn.objects.count()) == before


def fill(response, rows: list[dict[str, str]]) -> bytes:
    """The downloaded template with rows typed below its example row, by column title."""
    book = book_of(response)
    sheet = book[book.sheetnames[0]]
    titles = [str(c.value).rstrip(" *") for c in sheet[1]]
    for row in rows:
        sheet.append([row.get(t, "") for t in titles])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_round_trip_chinese_roster_template(client, client_as, world, django_capture_on_commit_callbacks):
    response = client_as(world.officer_a).get("/orgs/import/template/employees.xlsx", **ZH)
    data = fill(response, [{"工号": "A-700", "姓名": "模板", "单位代码": "CA1", "在册": "是"}])
    job = run(client, world.officer_a, data, django_capture_on_commit_callbacks, name="r.xlsx")
    assert job.status == "succeeded", (job.error_message, job.errors)
    assert job.result["created"] == 1  # the example row was left out
    assert Employee.objects.get(employee_no="A-700").organization == world.unit_a1


def test_round_trip_chinese_checkin_template_with_words_from_the_lists(
    frozen_today, client, client_as, world, django_capture_on_commit_callbacks
):
    Region.objects.create(code="CN-SC", name_zh="四川", name_en="Sichuan")
    response = client_as(world.officer_a).get("/orgs/import/template/checkins.xlsx", **ZH)
    with translation.override("zh-hans"):
        on_site = str(WorkStatus.ON_SITE.label)
    row = {"工号": "A-001", "日期": frozen_today.isoformat(), "体温": "36.6", "地区代码": "CN-SC"}
    data = fill(response, [row | {"工作状态": on_site, "近14天外出史": "否", "通勤方式": "步行或骑行"}])
    job = run(client, world.officer_a, data, django_capture_on_commit_callbacks, kind="checkins", name="c.xlsx")
    assert job.status == "succeeded", (job.error_message, job.errors)
    checkin = CheckIn.objects.get(employee=world.employee_a, day=frozen_today)
    assert checkin.work_status == WorkStatus.ON_SITE and not checkin.travelled


def test_headers_accepted_today_stay_accepted(client, world, django_capture_on_commit_callbacks):
    """The English and Chinese titles the importer read before the titles had a context."""
    english = "Employee number,Name,Name (English),Unit code,Job title,Phone,E-mail,Home region code,On the roster\n"
    chinese = "工号,姓名,英文姓名,单位代码,职务,电话,电子邮箱,常驻地区代码,在册\n"
    for n, header in enumerate((english, chinese)):
        job = run(client, world.officer_a, header + f"A-80{n},X,,CA1,,,,,\n", django_capture_on_commit_callbacks)
        assert job.status == "succeeded", (job.error_message, job.errors)


def test_a_refused_file_is_explained_in_the_readers_language(client, world, django_capture_on_commit_callbacks):
    from sameboat.core.filecheck import Refused
    from sameboat.core.xlsx_reader import refusal_message

    job = run(client, world.officer_a, "not a workbook at all", django_capture_on_commit_callbacks, name="r.xlsx")
    assert job.status == "failed" and "not an Excel workbook" in job.error_message
    code = job.result["reason"]["refusal"]
    with translation.override("zh-hans"):
        chinese = refusal_message(Refused(code, **job.result["reason"]["args"]))
    assert chinese != refusal_message(Refused(code, **job.result["reason"]["args"]))
    assert chinese in page(client, job, **ZH).replace("&amp;", "&")
