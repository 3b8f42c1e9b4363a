"""Notifications: stored as codes and references, read in the reader's language and scope."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from sameboat.core import jobs
from sameboat.core.jobs import job_create
from sameboat.core.models import Notification
from sameboat.core.notify import EVENTS, UnknownEvent, notify, phrase, ref, register_event, render_for
from sameboat.core.selectors import notifications_rendered

pytestmark = pytest.mark.django_db

register_event("tests.notify.unit", "Unit %(unit)s: %(why)s", "Person %(person)s", replace=True)


def _text(user) -> str:
    """Everything the person's inbox shows, title and body, in the active language."""
    items = notifications_rendered(Notification.objects.filter(recipient=user))
    return " | ".join(f"{item.title} / {item.body}" for item in items)


def _send(capture, **kwargs) -> None:
    with capture(execute=True):
        notify(**kwargs)


def _unit_note(world, capture, recipient) -> None:
    _send(
        capture,
        event="tests.notify.unit",
        recipients=[recipient],
        params={
            "unit": ref("orgs.organization", world.unit_a1),
            "person": ref("orgs.employee", world.employee_a),
            "why": phrase(gettext_noop("symptoms reported")),
        },
    )


# --- Sending ----------------------------------------------------------------------------------


def test_sending_an_unregistered_code_is_a_clear_error(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(UnknownEvent, match="not registered"):
        notify(event="tests.notify.nobody_registered_this", recipients=[world.officer_a])
    assert not Notification.objects.exists()


def test_sending_text_in_the_senders_language_is_refused(world):
    with pytest.raises(UnknownEvent, match="lazy translation"):
        notify(event="tests.notify.unit", recipients=[world.officer_a], params={"why": gettext_lazy("Low risk")})
    with pytest.raises(UnknownEvent, match="reference kind"):
        notify(event="tests.notify.unit", recipients=[world.officer_a], params={"unit": ref("tests.nothing", 1)})


def test_the_row_keeps_codes_and_ids_not_text(world, django_capture_on_commit_callbacks):
    with translation.override("zh-hans"):
        _unit_note(world, django_capture_on_commit_callbacks, world.officer_a)
    row = Notification.objects.get(recipient=world.officer_a)
    assert row.params["unit"] == {"ref": "orgs.organization", "id": world.unit_a1.pk}
    assert "甲一单位" not in str(row.params) and "Unit A1" not in str(row.params)


# --- Reading ----------------------------------------------------------------------------------


def test_sent_in_chinese_read_in_each_readers_language(world, django_capture_on_commit_callbacks):
    with translation.override("zh-hans"):
        _unit_note(world, django_capture_on_commit_callbacks, world.officer_a)
    with translation.override("en"):
        assert _text(world.officer_a) == "Unit Unit A1: symptoms reported / Person 张三"
    with translation.override("zh-hans"):
        assert _text(world.officer_a) == "Unit 甲一单位: 报告有症状 / Person 张三"


def test_a_persons_english_name_is_used_for_an_english_reader(world, django_capture_on_commit_callbacks):
    world.employee_a.name_en = "Zhang San"
    world.employee_a.save(update_fields=["name_en"])
    _unit_note(world, django_capture_on_commit_callbacks, world.officer_a)
    with translation.override("en"):
        assert "Person Zhang San" in _text(world.officer_a)
    with translation.override("zh-hans"):
        assert "Person 张三" in _text(world.officer_a)


def test_a_record_out_of_the_readers_scope_is_not_named(world, django_capture_on_commit_callbacks):
    # Company B's officer was told about a unit of company A (say, before a reorganisation).
    _unit_note(world, django_capture_on_commit_callbacks, world.officer_b)
    text = _text(world.officer_b)
    assert "Unit A1" not in text and "甲一单位" not in text and "张三" not in text
    assert text == "Unit a unit: symptoms reported / Person someone"


def test_a_deleted_record_is_not_named(world, django_capture_on_commit_callbacks):
    _send(
        django_capture_on_commit_callbacks,
        event="tests.notify.unit",
        recipients=[world.hq],
        params={"unit": ref("orgs.organization", 10**9), "person": ref("orgs.employee", 10**9), "why": ""},
    )
    with translation.override("zh-hans"):
        text = _text(world.hq)
    assert str(10**9) not in text and "orgs." not in text
    with translation.override("en"):
        assert _text(world.hq) == "Unit a unit:  / Person someone"


def test_a_code_no_longer_registered_reads_as_notification(world):
    Notification.objects.create(recipient=world.officer_a, event="gone.app.event", params={"x": 1})
    with translation.override("en"):
        assert _text(world.officer_a) == "Notification / "
    with translation.override("zh-hans"):
        text = _text(world.officer_a)
    assert "gone.app.event" not in text and text.startswith("通知")


def test_a_row_from_before_params_reads_from_its_stored_text(world):
    Notification.objects.create(
        recipient=world.officer_a, event="tests.notify.unit", context={"unit": "甲一单位", "why": "x", "person": "p"}
    )
    assert _text(world.officer_a) == "Unit 甲一单位: x / Person p"


def test_render_for_uses_the_persons_language_outside_a_request(world, django_capture_on_commit_callbacks):
    """What an e-mail or summary channel uses: no request, the person's preferred language."""
    _unit_note(world, django_capture_on_commit_callbacks, world.officer_a)
    rows = Notification.objects.filter(recipient=world.officer_a)
    world.officer_a.language = "zh-hans"
    with translation.override("en"):
        assert render_for(world.officer_a, rows) == [("Unit 甲一单位: 报告有症状", "Person 张三")]
        world.officer_a.language = ""
        assert render_for(world.officer_a, rows)[0][0] == "Unit Unit A1: symptoms reported"


def test_rendering_a_page_looks_up_each_kind_of_record_once(
    world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for _ in range(10):
        _unit_note(world, django_capture_on_commit_callbacks, world.officer_a)
    rows = list(Notification.objects.filter(recipient=world.officer_a))
    # Memberships once, units once, people once: not once per row.
    with django_assert_max_num_queries(3):
        items = notifications_rendered(rows, reader=world.officer_a)
    assert len(items) == 10 and all(item.title == "Unit Unit A1: symptoms reported" for item in items)


# --- Jobs: core's own codes ---------------------------------------------------------------------


@pytest.fixture
def crashing_kind(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    def handler(ctx):
        raise RuntimeError("a bug")

    jobs.HANDLERS["test.notify.crash"] = (handler, gettext_lazy("Roster import"))
    yield "test.notify.crash"
    del jobs.HANDLERS["test.notify.crash"]


def test_a_job_started_in_chinese_is_reported_in_the_readers_language(
    world, crashing_kind, django_capture_on_commit_callbacks
):
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        job_create(
            actor=world.officer_a,
            kind=crashing_kind,
            organization=world.company_a,
            upload=SimpleUploadedFile("r.csv", b"x"),
        )
    with translation.override("en"):
        assert _text(world.officer_a) == (
            "Roster import failed / An unexpected error stopped the job; nothing was saved. You can retry it."
        )
    with translation.override("zh-hans"):
        assert _text(world.officer_a) == "花名册导入失败 / 任务因意外错误中止，未保存任何数据。您可以重试。"


# --- The inbox page in both languages -----------------------------------------------------------


def test_inbox_page_in_english_and_in_chinese(client, world, django_capture_on_commit_callbacks):
    with translation.override("zh-hans"):
        _unit_note(world, django_capture_on_commit_callbacks, world.officer_a)
    Notification.objects.create(recipient=world.officer_a, event="gone.app.event", params={})
    client.force_login(world.officer_a)
    html = client.get(reverse("core:inbox")).content.decode()
    assert "Unit Unit A1: symptoms reported" in html and "甲一单位" not in html
    assert "gone.app.event" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(reverse("core:inbox")).content.decode()
    assert "Unit 甲一单位: 报告有症状" in html and "Unit A1" not in html
    assert "gone.app.event" not in html and "通知" in html


# --- Registration and conversion ---------------------------------------------------------------


def test_every_code_the_apps_send_is_registered():
    for code in [
        "core.job.succeeded",
        "core.job.failed",
        "health.case.opened",
        "health.cases.opened",
        "health.quarantine.proposed",
        "health.checkin.reminder",
        "health.checkin.missing",
        "health.case.confirmed",
        "health.fever.reported",
        "health.fevers.reported",
        "health.rate.low",
    ]:
        assert code in EVENTS, code


def test_migration_converts_old_rows_and_keeps_what_it_cannot(world):
    keep = Notification.objects.create(recipient=world.officer_a, event="gone.app.event", context={"a": "b"})
    unit_row = Notification.objects.create(
        recipient=world.officer_a,
        event="health.checkin.missing",
        organization=world.unit_a1,
        context={"n": 3, "unit": "甲一单位", "day": "2026-12-01"},
    )
    quarantine_row = Notification.objects.create(
        recipient=world.officer_a,
        event="health.quarantine.proposed",
        organization=world.unit_a1,
        context={"person": "张三", "unit": "甲一单位", "reason": "从湖北抵达"},
    )
    for module in [
        "sameboat.core.migrations.0007_notification_params",
        "sameboat.health.migrations.0003_notification_params",
    ]:
        importlib.import_module(module).forwards(apps, None)
    for row in (keep, unit_row, quarantine_row):
        row.refresh_from_db()
    assert keep.params is None
    assert unit_row.params == {"n": 3, "unit": ref("orgs.organization", world.unit_a1.pk), "day": "2026-12-01"}
    assert quarantine_row.params["person"] == ref("orgs.employee", world.employee_a.pk)
    with translation.override("en"):
        text = _text(world.officer_a)
    assert "3 people in Unit A1 have not reported for 2026-12-01" in text
    assert "Quarantine proposed: 张三 (Unit A1) / 从湖北抵达" in text
    assert "Notification" in text
