"""The check-in spreadsheet upload: all or nothing, clear row errors, set-based writes."""

from __future__ import annotations

import datetime

import pytest

from sameboat.core.import_kinds import errors_in_words
from sameboat.core.jobs import JobFailed
from sameboat.core.models import AuditEvent
from sameboat.health.importers import KIND, import_checkins
from sameboat.health.models import CheckIn, CheckInRevision, DailyReturn, FollowUpCase
from sameboat.health.services.followup import quarantine_start

pytestmark = pytest.mark.django_db

HEADER = (
    "Employee number,Date,Temperature,Symptoms,Region code,Travelled in the last 14 days,"
    "Contact with a case in the last 14 days,Work status,Commute mode\n"
)


def write(tmp_path, text: str, name="upload.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(tmp_path, hworld, text, actor=None, name="upload.csv", encoding="utf-8"):
    path = write(tmp_path, text, name, encoding)
    return import_checkins(path=path, name=name, actor=actor or hworld.hq)


def test_happy_path_and_reimport_is_a_no_op(tmp_path, hworld, today):
    text = HEADER + f"A-001,{today},36.5,,CN-SC,no,no,on_site,car\nB-001,{today},38.1,cough,CN-SC,no,yes,cloud,\n"
    result = run(tmp_path, hworld, text)
    assert (result["created"], result["updated"], result["unchanged"]) == (2, 0, 0)
    assert CheckIn.objects.count() == 2 and CheckIn.objects.filter(source="import").count() == 2
    row_b = DailyReturn.objects.get(organization=hworld.unit_b1, day=today)
    assert (row_b.reported, row_b.cloud_office, row_b.fever, row_b.symptomatic, row_b.exposed) == (1, 1, 1, 1, 1)
    assert FollowUpCase.objects.filter(employee=hworld.employee_b).count() == 1
    assert AuditEvent.objects.filter(action="health.checkins.imported").count() == 1
    again = run(tmp_path, hworld, text)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert not CheckInRevision.objects.exists()
    assert DailyReturn.objects.get(organization=hworld.unit_b1, day=today).reported == 1


def test_changed_rows_update_and_keep_revisions(tmp_path, hworld, today):
    run(tmp_path, hworld, HEADER + f"A-001,{today},36.5,,CN-SC,no,no,on_site,car\n")
    result = run(tmp_path, hworld, HEADER + f"A-001,{today},37.9,,CN-SC,no,no,cloud,car\n")
    assert result["updated"] == 1
    checkin = CheckIn.objects.get()
    assert str(checkin.temperature) == "37.9" and checkin.work_status == "cloud"
    assert CheckInRevision.objects.get(checkin=checkin).values["temperature"] == "36.5"
    row = DailyReturn.objects.get(organization=hworld.unit_a1, day=today)
    assert (row.reported, row.on_site, row.cloud_office, row.fever) == (1, 0, 1, 1)


def test_chinese_headers_and_labels_in_gb18030(tmp_path, hworld, today):
    text = f"工号,日期,体温,症状,地区代码,工作状态\nA-001,{today},36.6,无,CN-SC,云办公\n"
    # Chinese labels come from the translation catalogue; codes always work.
    try:
        result = run(tmp_path, hworld, text, encoding="gb18030")
    except JobFailed as exc:  # before the catalogue has these words, the header is refused cleanly
        assert "header" in str(exc.message).lower() or "表头" in str(exc.message)
        text = "employee_no,day,temperature,symptoms,region,work_status\n" + f"A-001,{today},36.6,,CN-SC,cloud\n"
        result = run(tmp_path, hworld, text, encoding="gb18030")
    assert result["created"] == 1


@pytest.mark.parametrize(
    ("line", "column", "fragment"),
    [
        ("A-001,{today},45.2,,CN-SC,no,no,on_site,car", "Temperature", "plausible"),
        ("A-001,{today},abc,,CN-SC,no,no,on_site,car", "Temperature", "not a number"),
        ("Z-999,{today},36.5,,CN-SC,no,no,on_site,car", "Employee number", "Z-999"),
        ("A-001,{future},36.5,,CN-SC,no,no,on_site,car", "Date", "future"),
        ("A-001,{old},36.5,,CN-SC,no,no,on_site,car", "Date", "days back"),
        ("A-001,{today},36.5,,XX-NO,no,no,on_site,car", "Region code", "XX-NO"),
        ("A-001,{today},36.5,,CN-SC,maybe,no,on_site,car", "Travelled in the last 14 days", "yes or no"),
        ("A-001,{today},36.5,sneezing,CN-SC,no,no,on_site,car", "Symptoms", "sneezing"),
        ("A-001,{today},36.5,,CN-SC,no,no,dancing,car", "Work status", "dancing"),
    ],
)
def test_bad_row_is_named_and_nothing_is_stored(tmp_path, hworld, today, line, column, fragment):
    dates = {"today": today, "future": today + datetime.timedelta(days=1), "old": today - datetime.timedelta(days=9)}
    good = f"B-001,{today},36.5,,CN-SC,no,no,on_site,car\n"
    with pytest.raises(JobFailed) as info:
        run(tmp_path, hworld, HEADER + good + line.format(**dates) + "\n")
    errors = errors_in_words(KIND, info.value.errors)
    assert errors == [{"row": 3, "column": column, "message": errors[0]["message"]}]
    assert fragment in errors[0]["message"]
    assert not CheckIn.objects.exists() and not DailyReturn.objects.filter(reported__gt=0).exists()


def test_out_of_scope_employee_is_refused_for_an_officer(tmp_path, hworld, today):
    with pytest.raises(JobFailed) as info:
        run(tmp_path, hworld, HEADER + f"B-001,{today},36.5,,CN-SC,no,no,on_site,car\n", actor=hworld.officer_a)
    assert errors_in_words(KIND, info.value.errors)[0]["column"] == "Employee number"
    assert not CheckIn.objects.exists()


def test_duplicate_rows_name_both(tmp_path, hworld, today):
    line = f"A-001,{today},36.5,,CN-SC,no,no,on_site,car\n"
    with pytest.raises(JobFailed) as info:
        run(tmp_path, hworld, HEADER + line + line)
    assert info.value.errors[0]["row"] == 3 and "row 2" in errors_in_words(KIND, info.value.errors)[0]["message"]


def test_on_site_while_quarantined_is_refused(tmp_path, hworld, today):
    quarantine_start(actor=hworld.hq, employee=hworld.employee_a, start=today, reason="contact")
    with pytest.raises(JobFailed) as info:
        run(tmp_path, hworld, HEADER + f"A-001,{today},36.5,,CN-SC,no,no,on_site,car\n")
    assert errors_in_words(KIND, info.value.errors)[0]["column"] == "Work status"


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        ("", "upload.csv", "empty"),
        ("Name,Colour\nx,y\n", "upload.csv", "header"),
        (HEADER, "upload.csv", "no rows"),
        ("this is not a workbook", "upload.xlsx", "not an Excel workbook"),
        ("a,b\n", "upload.pdf", ".csv or .xlsx"),
    ],
)
def test_bad_files_get_a_clear_message(tmp_path, hworld, content, name, fragment):
    with pytest.raises(JobFailed) as info:
        run(tmp_path, hworld, content, name=name)
    assert fragment in str(info.value.message)
    assert not CheckIn.objects.exists()


def test_xlsx_upload(tmp_path, hworld, today):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["A-001", today, 36.4, "", "CN-SC", "no", "no", "cloud", "walk"])
    path = tmp_path / "upload.xlsx"
    book.save(path)
    result = import_checkins(path=path, name="upload.xlsx", actor=hworld.hq)
    assert result["created"] == 1
    assert CheckIn.objects.get().commute_mode == "walk"


def test_upload_opens_cases_in_bulk_and_proposes_quarantine_for_arrivals(
    tmp_path, hworld, today, django_capture_on_commit_callbacks
):
    from sameboat.core.models import Notification
    from sameboat.health.models import Quarantine
    from tests.factories import make_employee

    make_employee(hworld.unit_a1, employee_no="A-002")
    yesterday = today - datetime.timedelta(days=1)
    run(tmp_path, hworld, HEADER + f"A-001,{yesterday},36.5,,CN-HB,yes,no,leave,\n")
    with django_capture_on_commit_callbacks(execute=True):
        result = run(
            tmp_path,
            hworld,
            HEADER + f"A-001,{today},36.5,,CN-SC,yes,no,cloud,\n"
            f"A-002,{today},38.4,cough,CN-SC,no,no,cloud,\nB-001,{today},36.5,,CN-SC,no,yes,cloud,\n",
        )
    assert result["cases_opened"] == 2
    assert set(FollowUpCase.objects.values_list("employee__employee_no", flat=True)) == {"A-002", "B-001"}
    assert Quarantine.objects.get(employee=hworld.employee_a).proposed
    assert Notification.objects.filter(recipient=hworld.officer_a, event="health.cases.opened").count() == 1
    assert AuditEvent.objects.filter(action="health.case.opened").count() == 2


def test_a_bad_row_after_many_good_ones_leaves_nothing(tmp_path, hworld, today):
    """On PostgreSQL the good rows were already streaming into the table: all rolled back."""
    good = "".join(f"A-001,{today - datetime.timedelta(days=d)},36.5,,CN-SC,no,no,on_site,car\n" for d in range(3))
    with pytest.raises(JobFailed) as failure:
        run(tmp_path, hworld, HEADER + good + f"B-001,{today},99.9,,CN-SC,no,no,on_site,car\n")
    assert failure.value.errors[0]["row"] == 5
    assert not CheckIn.objects.exists()
    assert not DailyReturn.objects.filter(reported__gt=0).exists()


def test_a_report_filed_while_the_file_was_checked_makes_the_upload_careful(tmp_path, hworld, today, monkeypatch):
    """The row it meets is updated with a revision, as an edit, instead of failing the upload."""
    from sameboat.health.importers import checking as importers
    from sameboat.health.services.checkins import checkin_submit

    checkin_submit(
        actor=hworld.employee_user,
        employee=hworld.employee_a,
        day=today,
        temperature="36.4",
        region=hworld.regions["home"],
        work_status="on_site",
    )
    # As if the report arrived after the upload read which reports exist.
    monkeypatch.setattr(importers, "existing_keys", lambda first, last: set())
    text = HEADER + f"A-001,{today},37.6,,CN-SC,no,no,cloud,car\nB-001,{today},36.6,,CN-SC,no,no,on_site,car\n"
    result = run(tmp_path, hworld, text)
    assert (result["created"], result["updated"], result["unchanged"]) == (1, 1, 0)
    assert CheckIn.objects.count() == 2
    assert CheckInRevision.objects.get().values["temperature"] == "36.4"
    row = DailyReturn.objects.get(organization=hworld.unit_a1, day=today)
    assert (row.reported, row.on_site, row.cloud_office, row.fever) == (1, 0, 1, 1)


def test_blank_rows_above_the_header_are_skipped_and_rows_keep_their_numbers(tmp_path, hworld, today):
    """A sheet with empty lines above the header reads like the roster import does (the
    shared header_row), not as "the file is empty"; errors name the row the sheet shows."""
    good = f"A-001,{today},36.5,,CN-SC,no,no,on_site,car\n"
    result = run(tmp_path, hworld, ",,,\n\n" + HEADER + good)
    assert result["created"] == 1
    with pytest.raises(JobFailed) as info:
        run(tmp_path, hworld, "\n\n" + HEADER + good + f"B-001,{today},99,,CN-SC,no,no,on_site,car\n")
    assert [e["row"] for e in info.value.errors] == [5]
