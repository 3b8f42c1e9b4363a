"""A unit officer imports a roster from a spreadsheet and follows the background job."""

from __future__ import annotations

import csv
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import DEPARTMENT, OFFICER

pytestmark = pytest.mark.browser

# The worker picks the job up within a second; the import itself takes a moment more.
JOB_TIMEOUT_MS = 45_000


def template_header(page, tmp_path: Path) -> list[str]:
    """Download the roster's CSV template with its link, as a person would; its header row."""
    link = page.get_by_test_id("template-employees-csv")
    answer = page.request.get(link.get_attribute("href"))
    assert answer.status == 200, answer.status
    assert answer.headers["content-type"].startswith("text/csv")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with saved.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert any(h.startswith("Employee number") for h in header), header
    return header


def write_roster(path: Path, header: list[str], people: list[dict[str, str]]) -> Path:
    """A CSV in the template's own header, one row per person (by column label)."""
    labels = [h.removesuffix("*").strip() for h in header]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for person in people:
            unknown = set(person) - set(labels)
            assert not unknown, f"the template has no column {unknown}: {labels}"
            writer.writerow([person.get(label, "") for label in labels])
    return path


def person(token: str, n: int, unit: str = DEPARTMENT) -> dict[str, str]:
    """A new employee of ``unit`` whose name carries the test's token."""
    return {
        "Employee number": f"E2E-{token}-{n}",
        "Name": f"导入{token}{n}",
        "Name (English)": f"Imported {token} {n}",
        "Unit code": unit,
        "Job title": "工程师",
    }


def upload(page, path: Path) -> None:
    """Choose the roster import, attach the file and submit; lands on the job's page."""
    page.get_by_test_id("nav-import").click()
    form = page.get_by_test_id("import-form")
    form.get_by_test_id("import-kind").select_option("employees")
    form.get_by_test_id("import-file").set_input_files(str(path))
    form.get_by_test_id("import-submit").click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))
    expect(page.get_by_test_id("job-file")).to_have_text(path.name)


def wait_for_job(page, outcome: str) -> None:
    """The job's page updates itself (htmx polling) until the job has finished."""
    # A mark on this very document: if the page reloaded to show the result, it is gone.
    page.evaluate("window.sameboatE2eMark = true")
    status = page.get_by_test_id("job-status")
    expect(status).to_have_attribute("data-status", re.compile("succeeded|failed"), timeout=JOB_TIMEOUT_MS)
    expect(status).to_have_attribute("data-status", outcome)
    assert page.evaluate("window.sameboatE2eMark === true"), "the job page reloaded itself"


def count_shown(page, label: str) -> str:
    """A number of the job's result, by its label (Created, Rows read…)."""
    result = page.get_by_test_id("job-result")
    term = result.locator("dt").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    return term.locator("xpath=following-sibling::dd[1]").inner_text().strip()


def search_people(page, text: str):
    """The roster searched for ``text``; the table's rows."""
    page.get_by_test_id("nav-people").click()
    filters = page.get_by_test_id("people-filters")
    filters.get_by_label(re.compile(r"^Search\b")).fill(text)
    filters.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]q="))
    return page.get_by_test_id("people-table").locator("tbody tr")


def test_officer_imports_a_roster_and_a_bad_file_imports_nothing(page, login, tmp_path):
    """Template, good upload (3 created), bad upload (row error shown, nothing written)."""
    login(page, OFFICER)
    page.get_by_test_id("nav-import").click()
    expect(page.get_by_test_id("import-templates")).to_be_visible()
    header = template_header(page, tmp_path)
    # The Excel template answers too.
    xlsx = page.request.get(page.get_by_test_id("template-employees-xlsx").get_attribute("href"))
    assert xlsx.status == 200, xlsx.status
    assert "spreadsheetml" in xlsx.headers["content-type"]

    # A good file: three new people in a department under the officer's unit.
    token = uuid.uuid4().hex[:6]
    good = write_roster(tmp_path / f"roster-{token}.csv", header, [person(token, n) for n in (1, 2, 3)])
    upload(page, good)
    expect(page.get_by_test_id("job-progress")).to_be_visible()
    wait_for_job(page, "succeeded")
    expect(page.get_by_test_id("job-state")).to_have_text("Succeeded")
    expect(page.get_by_test_id("job-progress")).to_have_attribute("value", "100")
    assert count_shown(page, "Rows read") == "3"
    assert count_shown(page, "Created") == "3"
    expect(page.get_by_test_id("job-result")).to_contain_text("3 added")

    rows = search_people(page, f"Imported {token}")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text(DEPARTMENT)

    # A bad file: two good rows and one naming a unit the officer does not manage.
    bad_token = uuid.uuid4().hex[:6]
    bad_rows = [person(bad_token, 1), person(bad_token, 2), person(bad_token, 3, unit="NOPE-99")]
    bad = write_roster(tmp_path / f"roster-bad-{bad_token}.csv", header, bad_rows)
    upload(page, bad)
    wait_for_job(page, "failed")
    expect(page.get_by_test_id("job-state")).to_have_text("Failed")
    expect(page.get_by_test_id("job-reason")).to_contain_text("nothing was imported")
    errors = page.get_by_test_id("job-errors").locator("tbody tr")
    expect(errors).to_have_count(1)
    # Row 4 of the file (the header is row 1), the unit column, and why.
    expect(errors.first.locator("td").nth(0)).to_have_text("4")
    expect(errors.first.locator("td").nth(1)).to_contain_text("Unit code")
    expect(errors.first.locator("td").nth(2)).to_contain_text("NOPE-99")

    # All or nothing: not even the two good rows of the bad file were written.
    search_people(page, f"E2E-{bad_token}")  # the bad file's employee numbers
    expect(page.get_by_test_id("people-empty")).to_be_visible()
