"""A unit officer imports a roster in Chinese: the template, a file with a wrong row, the
reason and the rows in Chinese with Chinese column titles, the rejected rows downloaded,
corrected and imported."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from tests.e2e.helpers import DEPARTMENT, OFFICER
from tests.e2e.test_import import upload, wait_for_job

pytestmark = pytest.mark.browser


def download(page, testid: str, tmp_path: Path) -> Path:
    """Click a download link, as a person would; the saved file."""
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    return saved


def rows(path: Path) -> list[list[str]]:
    sheet = load_workbook(path).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def save(path: Path, table: list[list[str]]) -> Path:
    book = Workbook()
    for row in table:
        book.active.append(row)
    book.save(path)
    return path


def test_officer_fixes_a_chinese_roster_from_its_rejected_rows(new_page, login, tmp_path):
    page = new_page(locale="zh-CN")
    login(page, OFFICER)
    page.get_by_test_id("nav-import").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    # The Excel template, in Chinese, with its example row below the header.
    template = rows(download(page, "template-employees-xlsx", tmp_path))
    header, example = template[0], template[1]
    assert header[:4] == ["工号 *", "姓名 *", "英文姓名", "单位代码 *"], header
    assert example[0].startswith("示例："), example
    titles = [h.removesuffix(" *") for h in header]

    # The template filled in below the example: one good person and one in an unknown unit.
    token = uuid.uuid4().hex[:6]

    def person(n: int, unit: str) -> list[str]:
        values = {"工号": f"ZH-{token}-{n}", "姓名": f"导入{token}{n}", "单位代码": unit, "在册": "是"}
        return [values.get(t, "") for t in titles]

    filled = save(tmp_path / f"花名册-{token}.xlsx", [header, example, person(1, DEPARTMENT), person(2, "NOPE-99")])
    upload(page, filled)
    wait_for_job(page, "failed")

    # The reason and the rows in Chinese, the column by its Chinese title.
    reason = page.get_by_test_id("job-reason")
    expect(reason).to_contain_text("1 行有错误，未导入任何数据")
    expect(reason).not_to_contain_text("nothing was imported")
    errors = page.get_by_test_id("job-errors").locator("tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("td").nth(0)).to_have_text("4")  # header, example, good row, this one
    expect(errors.first.locator("td").nth(1)).to_have_text("单位代码")
    expect(errors.first.locator("td").nth(2)).to_contain_text("NOPE-99")
    expect(page.get_by_test_id("job-errors")).not_to_contain_text("Unit code")

    # The rejected rows: exactly that one, with an error column in Chinese.
    rejected = rows(download(page, "job-rejected-xlsx", tmp_path))
    assert rejected[0] == [*header, "错误"], rejected[0]
    assert len(rejected) == 2 and rejected[1][0] == f"ZH-{token}-2", rejected
    assert rejected[1][-1].startswith("单位代码：") and "NOPE-99" in rejected[1][-1], rejected[1]

    # Corrected in the file (the error column left as it is), and imported.
    fixed = [row[:] for row in rejected]
    fixed[1][titles.index("单位代码")] = DEPARTMENT
    upload(page, save(tmp_path / f"改正-{token}.xlsx", [*fixed, person(1, DEPARTMENT)]))
    wait_for_job(page, "succeeded")
    expect(page.get_by_test_id("job-summary")).to_contain_text("新增 2 条")
    expect(page.get_by_test_id("job-rejected")).to_have_count(0)
