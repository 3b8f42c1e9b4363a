"""English on Chinese pages (issue 9): what the background worker wrote and what the trail
stored are read in Chinese. An officer imports a roster in Chinese and reads the job's name
and result in Chinese on its page and in the inbox (the worker runs in English); the
follow-up list gives a fever's reason in Chinese; HQ's audit trail names actions and fields
with labels, never codes, Python lists or ``True``."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import DEPARTMENT, HQ, OFFICER

pytestmark = pytest.mark.browser

JOB_TIMEOUT_MS = 45_000


def test_a_jobs_name_and_result_read_in_chinese(new_page, login, tmp_path: Path):
    page = new_page(locale="zh-CN")
    login(page, OFFICER)
    token = uuid.uuid4().hex[:6]
    roster = tmp_path / f"roster-{token}.csv"
    roster.write_text(f"Employee number,Name,Unit code\nE2E-{token}-1,导入{token}1,{DEPARTMENT}\n", encoding="utf-8")
    page.get_by_test_id("nav-import").click()
    form = page.get_by_test_id("import-form")
    form.get_by_test_id("import-kind").select_option("employees")
    form.get_by_test_id("import-file").set_input_files(str(roster))
    form.get_by_test_id("import-submit").click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))
    status = page.get_by_test_id("job-status")
    expect(status).to_have_attribute("data-status", "succeeded", timeout=JOB_TIMEOUT_MS)
    expect(page.locator("h1")).to_have_text("花名册导入")
    expect(page.get_by_test_id("job-summary")).to_have_text("新增 1 条，更新 0 条，未变 0 条。")

    page.get_by_test_id("nav-inbox").click()
    item = page.get_by_test_id("inbox-list").locator("li").first
    expect(item).to_contain_text("花名册导入已完成")
    expect(item).to_contain_text("新增 1 条")
    expect(item).not_to_contain_text("Roster import")
    expect(item).not_to_contain_text("added")


def test_a_follow_up_reason_reads_in_chinese(new_page, login):
    page = new_page(locale="zh-CN")
    login(page, OFFICER)
    page.get_by_test_id("nav-followup").click()
    table = page.get_by_test_id("case-list")
    # The demo's fever in the officer's own unit, opened by a check-in of 37.6 °C.
    expect(table).to_contain_text("体温 37.6 °C")
    expect(table).not_to_contain_text("temperature")
    expect(table).not_to_contain_text("symptoms reported")


def test_the_audit_trail_speaks_in_labels(new_page, login):
    page = new_page(locale="zh-CN")
    login(page, HQ)
    page.goto("/audit/")
    table = page.get_by_test_id("audit-table")
    expect(table.locator("tbody tr").first).to_be_visible()
    text = table.inner_text()
    assert not re.search(r"\b[a-z_]+\.[a-z_]+\.[a-z_]+\b", text), "an action code is shown"
    assert "True" not in text and "False" not in text and "['" not in text
    # The demo world's build is recorded with its counts, each by its label.
    expect(table).to_contain_text("演示")
    expect(page.get_by_test_id("audit-action").first).not_to_have_text(re.compile(r"^[a-z_.]+$"))
