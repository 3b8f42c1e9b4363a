"""Hostile spreadsheets: each is refused with a clear message, nothing is stored, its file is
deleted, and the worker lives on to run the next import."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from sameboat.core.jobs import JobFailed, job_create
from sameboat.core.models import AuditEvent, Job
from sameboat.orgs.models import Employee
from tests.core import hostile

pytestmark = pytest.mark.django_db

GOOD_ROSTER = b"Employee number,Name,Unit code\nA-900,Good Person,CA1\n"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def start(user, org, data: bytes, name: str, capture, kind: str = "orgs.import.employees") -> Job:
    """Queue an import job the way the upload page does, and let the task runner run it."""
    with capture(execute=True):
        job = job_create(actor=user, kind=kind, organization=org, upload=SimpleUploadedFile(name, data))
    job.refresh_from_db()
    return job


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


HOSTILE = [
    pytest.param(hostile.dimension_bomb(), "bomb.xlsx", "declares the range A1:XFD1048576", id="dimension-bomb"),
    pytest.param(hostile.zip_bomb(), "zip.xlsx", "zip bomb", id="zip-bomb"),
    pytest.param(hostile.lying_zip_bomb(), "lie.xlsx", "more than its declared size", id="zip-bomb-lying-sizes"),
    pytest.param(hostile.entity_bomb(), "lol.xlsx", "<!DOCTYPE>", id="billion-laughs-in-sheet"),
    pytest.param(
        hostile.entity_bomb("xl/workbook.xml"), "lol.xlsx", "xl/workbook.xml", id="billion-laughs-in-workbook"
    ),
    pytest.param(hostile.PNG, "photo.xlsx", "it is a PNG image", id="png-named-xlsx"),
    pytest.param(hostile.ELF, "program.xlsx", "it is a program (ELF executable)", id="elf-named-xlsx"),
    pytest.param(hostile.PNG, "photo.csv", "not a CSV text file: it is a PNG image", id="png-named-csv"),
    pytest.param(hostile.ELF, "program.csv", "not a CSV text file: it is a program", id="elf-named-csv"),
    pytest.param(hostile.not_a_workbook_zip(), "doc.xlsx", "not an Excel workbook", id="document-zip-named-xlsx"),
]


@pytest.mark.parametrize(("data", "name", "fragment"), HOSTILE)
def test_hostile_file_is_refused_stores_nothing_and_the_next_import_runs(
    settings, world, django_capture_on_commit_callbacks, data, name, fragment
):
    people = Employee.objects.count()
    job = start(world.officer_a, world.company_a, data, name, django_capture_on_commit_callbacks)
    assert job.status == "failed"
    assert fragment in job.error_message, job.error_message
    assert Employee.objects.count() == people
    assert not AuditEvent.objects.filter(action="orgs.import.employees").exists()
    # Refused for what it is: nothing to retry, so the upload is deleted at once.
    assert job.input_file.name == "" and media_files(settings) == []
    # The worker that ran it lives: the next import goes through.
    good = start(world.officer_a, world.company_a, GOOD_ROSTER, "good.csv", django_capture_on_commit_callbacks)
    assert good.status == "succeeded", good.error_message
    assert Employee.objects.filter(employee_no="A-900").exists()


def test_check_in_upload_refuses_the_dimension_bomb(world, django_capture_on_commit_callbacks):
    from sameboat.health.models import CheckIn

    job = start(
        world.officer_a,
        world.company_a,
        hostile.dimension_bomb(),
        "checkins.xlsx",
        django_capture_on_commit_callbacks,
        kind="health.import.checkins",
    )
    assert job.status == "failed" and "A1:XFD1048576" in job.error_message
    assert not CheckIn.objects.exists()


def test_a_reader_killed_by_its_memory_limit_fails_the_job_with_a_message(
    settings, world, django_capture_on_commit_callbacks
):
    # No declared range: the checks cannot see the two far-apart cells; the reader asks for
    # 512 GiB, and the child it runs in is stopped by its memory limit, not the worker.
    settings.SAMEBOAT_IMPORT_READER_MEMORY_MB = 512
    people = Employee.objects.count()
    bomb = hostile.hidden_dimension_bomb()
    job = start(world.officer_a, world.company_a, bomb, "b.xlsx", django_capture_on_commit_callbacks)
    assert job.status == "failed"
    assert "needed more than 512 MB of memory" in job.error_message
    assert Employee.objects.count() == people and media_files(settings) == []
    # The next workbook is read by a new child, under the same limit, and imports.
    data = hostile.workbook(hostile.sheet_xml(hostile.roster_rows([["A-901", "李四", "CA1"]])))
    good = start(world.officer_a, world.company_a, data, "good.xlsx", django_capture_on_commit_callbacks)
    assert good.status == "succeeded", good.error_message
    assert Employee.objects.get(employee_no="A-901").name == "李四"


def test_the_database_worker_survives_a_bomb_and_runs_the_next_job(
    settings, world, django_capture_on_commit_callbacks, monkeypatch
):
    """Through django-tasks' real database worker, in this process: if the bomb could kill
    the worker, it would kill the test run."""
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    # The worker drops "old" connections between tasks; here that is the test's transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        bomb = job_create(
            actor=world.officer_a,
            kind="orgs.import.employees",
            organization=world.company_a,
            upload=SimpleUploadedFile("bomb.xlsx", hostile.dimension_bomb()),
        )
        good = job_create(
            actor=world.officer_a,
            kind="orgs.import.employees",
            organization=world.company_a,
            upload=SimpleUploadedFile("good.csv", GOOD_ROSTER),
        )
    assert Job.objects.get(pk=bomb.pk).status == "queued"
    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)
    bomb.refresh_from_db()
    good.refresh_from_db()
    assert bomb.status == "failed" and "A1:XFD1048576" in bomb.error_message
    assert good.status == "succeeded", good.error_message


# --- The checks one by one -----------------------------------------------------------------------


def rows(path: Path, name: str) -> list[list[str]]:
    from sameboat.core.imports import iter_rows

    return list(iter_rows(path, name))


def test_total_unpacked_size_is_capped(settings, tmp_path):
    settings.SAMEBOAT_IMPORT_MAX_UNPACKED_MB = 1
    path = tmp_path / "big.xlsx"
    # Random-looking text packs badly, so only the total can stop it.
    filler = "".join(f"{i * 7919 % 100003:06d}" for i in range(200_000)).encode()
    sheet = hostile.sheet_xml(hostile.roster_rows([])).replace(b"</worksheet>", b"<!--" + filler + b"--></worksheet>")
    path.write_bytes(hostile.workbook(sheet))
    with pytest.raises(JobFailed, match="unpack to more than 1 MB"):
        rows(path, "big.xlsx")


def test_declarations_are_found_across_chunk_boundaries(tmp_path):
    from sameboat.core import filecheck

    # "<!ENTITY" split between two chunks of the unpacked stream.
    carry = filecheck._scan_declarations(b"x" * 100 + b"<!EN", "p")
    with pytest.raises(filecheck.Refused):
        filecheck._scan_declarations(carry + b"TITY a 'b'>", "p")
    # Comments and CDATA are fine, also when split.
    carry = filecheck._scan_declarations(b"<row/><!-", "p")
    assert filecheck._scan_declarations(carry + b"- note --><![CDATA[x]]>", "p") == b">"


def test_utf16_xml_parts_are_refused(tmp_path):
    path = tmp_path / "u.xlsx"
    path.write_bytes(hostile.workbook(hostile.sheet_xml(hostile.roster_rows([])).decode().encode("utf-16")))
    with pytest.raises(JobFailed, match="not UTF-8 XML"):
        rows(path, "u.xlsx")


def test_a_sheet_declaring_too_many_columns_is_refused(settings, tmp_path):
    settings.SAMEBOAT_IMPORT_MAX_COLUMNS = 50
    path = tmp_path / "wide.xlsx"
    path.write_bytes(hostile.workbook(hostile.sheet_xml([("A1", "x")], dimension="A1:BZ3")))
    with pytest.raises(JobFailed, match="78 columns"):
        rows(path, "wide.xlsx")


def test_csv_with_an_endless_line_or_row_is_refused(tmp_path):
    from sameboat.core.imports import MAX_ROW_CHARS

    long_line = tmp_path / "line.csv"
    long_line.write_bytes(b"Employee number,Name\n" + b"a," * (MAX_ROW_CHARS // 2 + 10) + b"\n")
    with pytest.raises(JobFailed, match="longer than"):
        rows(long_line, "line.csv")
    # Short lines, but one quoted field after another spanning them: one endless row.
    long_row = tmp_path / "row.csv"
    long_row.write_bytes(b"Employee number,Name\n" + b'"a\nb",' * (MAX_ROW_CHARS // 5 + 10) + b"\n")
    with pytest.raises(JobFailed, match="Row 2 is longer than"):
        rows(long_row, "row.csv")


def test_a_declaration_deep_inside_a_part_is_found_before_any_row_is_used(tmp_path):
    # Past the prolog the quick checks do not look; the full scan, run while the child
    # parses, refuses the file before the first row reaches the importer.
    padding = b"<!-- " + os.urandom(3 << 19).hex().encode() + b" -->"  # 3 MB that packs badly
    sheet = hostile.sheet_xml(hostile.roster_rows([["A-1", "One", "CA1"]]))
    sheet = sheet.replace(b"</sheetData>", b"</sheetData>" + padding + b'<!DOCTYPE x [<!ENTITY a "b">]>')
    path = tmp_path / "deep.xlsx"
    path.write_bytes(hostile.workbook(sheet))
    with pytest.raises(JobFailed, match="document type or entities"):
        rows(path, "deep.xlsx")
