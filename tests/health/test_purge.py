"""The retention purge: no health value older than the retention survives anywhere.

Two stories leave the same kinds of traces (check-in, revisions, case reason and notes,
quarantine reason, inbox message, an admin's audit copies, an upload's file and row
errors, an idempotency key): one 40 days ago with 39.4 °C and a tag, one today with
39.7 °C and another tag. After the purge, every text, JSON, number and file column of
every model, and every file under MEDIA_ROOT, is searched for both.
"""

from __future__ import annotations

import datetime
import re
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from sameboat.api.models import IdempotencyKey
from sameboat.core.admin import snapshot_safe
from sameboat.core.audit import audit_record
from sameboat.core.models import AuditEvent, Job, JobStatus, Notification
from sameboat.core.redaction import REDACTED, REDACTED_TEXT
from sameboat.health.importers import KIND as UPLOAD_KIND
from sameboat.health.models import CaseNote, CheckIn, DailyReturn, FollowUpCase, Quarantine
from sameboat.health.services.checkins import checkin_submit
from sameboat.health.services.followup import case_add_note, quarantine_start
from sameboat.health.services.retention import health_purge

pytestmark = pytest.mark.django_db

OLD = ("39.4", "OLDTAG-KX")
NEW = ("39.7", "NEWTAG-QZ")
SEARCHED = (models.CharField, models.TextField, models.JSONField, models.DecimalField, models.FileField)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SAMEBOAT_CHECKIN_RETENTION_DAYS = 30
    return Path(settings.MEDIA_ROOT)


@contextmanager
def days_ago(days: int):
    """Everything inside happens ``days`` days back: services, stamps and the day alike."""
    with time_machine.travel(timezone.now() - datetime.timedelta(days=days), tick=True):
        yield


def _pattern(story: tuple[str, str]) -> re.Pattern[str]:
    temp, tag = story
    # Not a time stamp's seconds ("…:39.412"), not part of a longer number.
    return re.compile(rf"(?<![\d:]){re.escape(temp)}(?!\d)|{re.escape(tag)}")


def _story(world, *, employee, officer, story, django_capture_on_commit_callbacks) -> None:
    temp, tag = story
    day = timezone.localdate()
    region = world.regions["home"]
    with django_capture_on_commit_callbacks(execute=True):
        checkin_submit(actor=None, employee=employee, day=day, temperature=temp, region=region, work_status="cloud")
        # Two edits: revisions hold the fever and the normal value; the second reopens the
        # fever, which notes the open case.
        checkin_submit(actor=None, employee=employee, day=day, temperature="36.8", region=region, work_status="cloud")
        checkin_submit(
            actor=None,
            employee=employee,
            day=day,
            temperature=temp,
            symptoms=["cough"],
            region=region,
            work_status="cloud",
        )
    case = FollowUpCase.objects.get(employee=employee, closed_on__isnull=True)
    case_add_note(actor=officer, case=case, text=f"{tag}: dry cough, {temp} °C at home")
    quarantine_start(actor=officer, employee=employee, start=day, reason=f"{tag} fever {temp}")
    notification = next(
        n for n in Notification.objects.filter(event="health.case.opened") if temp in str(n.params["reason"])
    )
    # What the admin site writes when a superuser edits or deletes such records.
    audit_record(actor=world.hq, action="admin.health.followupcase.changed", obj=case, after=snapshot_safe(case))
    audit_record(
        actor=world.hq, action="admin.core.notification.changed", obj=notification, after=snapshot_safe(notification)
    )
    IdempotencyKey.objects.create(
        key=f"k-{tag}", user=world.hq, request_hash="x", status_code=201, response={"temperature": temp}
    )
    job = Job(kind=UPLOAD_KIND, status=JobStatus.FAILED, organization=employee.organization, input_name="in.csv")
    job.errors = [{"row": 2, "column": "temperature", "message": f"{temp} °C, {tag}"}]
    job.input_file.save("in.csv", ContentFile(f"employee_no,temperature\n{employee.employee_no},{temp}\n".encode()))


def _old_story_of_a(world, django_capture_on_commit_callbacks) -> None:
    """Employee A's fever story, 40 days ago: past the retention, so the purge takes it."""
    with days_ago(40):
        _story(
            world,
            employee=world.employee_a,
            officer=world.officer_a,
            story=OLD,
            django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
        )


def _where(story: tuple[str, str], media: Path) -> set[str]:
    """Every model (and 'files') where the story's values are still found."""
    pattern = _pattern(story)
    found = set()
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, SEARCHED)]
        if not names:
            continue
        for row in model._default_manager.values_list(*names).iterator():
            if any(pattern.search(str(value)) for value in row if value is not None):
                found.add(model._meta.label_lower)
                break
    for path in media.rglob("*") if media.exists() else ():
        if path.is_file() and pattern.search(path.read_text(errors="replace")):
            found.add("files")
    return found


EVERYWHERE = {
    "health.checkin",
    "health.checkinrevision",
    "health.followupcase",
    "health.casenote",
    "health.quarantine",
    "core.notification",
    "core.auditevent",
    "core.job",
    "api.idempotencykey",
    "files",
}


def test_no_old_health_value_survives_and_every_new_one_stays(hworld, media, django_capture_on_commit_callbacks):
    _old_story_of_a(hworld, django_capture_on_commit_callbacks)
    _story(
        hworld,
        employee=hworld.employee_b,
        officer=hworld.officer_b,
        story=NEW,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    assert _where(OLD, media) == EVERYWHERE  # the search finds what it looks for
    assert _where(NEW, media) == EVERYWHERE
    returns = list(DailyReturn.objects.order_by("pk").values())
    events = dict(AuditEvent.objects.values_list("pk", "action"))

    counts = health_purge()

    assert _where(OLD, media) == set()
    assert _where(NEW, media) == EVERYWHERE
    assert counts["checkins"] == 1
    # Aggregates and the trail's who-did-what-when stay; the old case and quarantine too.
    assert list(DailyReturn.objects.order_by("pk").values()) == returns
    assert dict(AuditEvent.objects.filter(pk__in=events).values_list("pk", "action")) == events
    old_case = FollowUpCase.objects.get(employee=hworld.employee_a)
    assert (old_case.reason, old_case.status) == (REDACTED_TEXT, "watch")
    assert set(CaseNote.objects.filter(case=old_case).values_list("text", flat=True)) == {REDACTED_TEXT}
    assert Quarantine.objects.get(employee=hworld.employee_a).reason == REDACTED_TEXT
    redacted = AuditEvent.objects.filter(redacted_at__isnull=False)
    assert redacted.exists()
    assert all(e.after in (None, REDACTED) and e.before in (None, REDACTED) for e in redacted)
    # Payloads that never hold values (most of the trail) are not rewritten.
    assert not redacted.filter(action="health.checkin.submitted").exists()
    assert not CheckIn.objects.filter(employee=hworld.employee_a).exists()
    assert not Job.objects.get(organization=hworld.unit_a1).input_file


def test_purge_is_idempotent_and_audited_once_without_values(hworld, media, django_capture_on_commit_callbacks):
    _old_story_of_a(hworld, django_capture_on_commit_callbacks)
    out = StringIO()
    call_command("health_purge", stdout=out)
    assert "1 checkins" in out.getvalue()
    event = AuditEvent.objects.get(action="health.retention.purged")
    assert event.after["checkins"] == 1 and event.after["case_reasons"] == 1
    assert not _pattern(OLD).search(str(event.after) + event.object_repr)
    snapshot = {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in apps.get_models()}

    assert not any(health_purge().values())

    assert {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in apps.get_models()} == snapshot


def test_purge_works_in_small_batches(hworld, media, django_capture_on_commit_callbacks, monkeypatch):
    from sameboat.core import redaction

    monkeypatch.setattr(redaction, "CHUNK", 1)
    _old_story_of_a(hworld, django_capture_on_commit_callbacks)
    counts = health_purge()
    assert counts["audit"] > 1 and counts["case_notes"] > 1
    assert _where(OLD, media) == set()


def test_pages_say_a_value_was_removed_in_the_readers_language(
    client_as, hworld, media, django_capture_on_commit_callbacks
):
    _old_story_of_a(hworld, django_capture_on_commit_callbacks)
    health_purge()
    case = FollowUpCase.objects.get(employee=hworld.employee_a)
    quarantine = Quarantine.objects.get(employee=hworld.employee_a)
    client = client_as(hworld.officer_a)
    for url in (f"/health/followup/{case.pk}/", f"/health/quarantines/{quarantine.pk}/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "超过保留期限，已删除" in page and REDACTED_TEXT not in page
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "removed after the retention period" in page


def test_the_trail_is_searched_from_the_last_runs_cutoff_unless_full(hworld, media, django_capture_on_commit_callbacks):
    _old_story_of_a(hworld, django_capture_on_commit_callbacks)
    health_purge()
    case = FollowUpCase.objects.get(employee=hworld.employee_a)
    with days_ago(50):  # a copy the last run could not have missed: it only appears now
        late = audit_record(actor=hworld.hq, action="admin.health.followupcase.changed", obj=case, after={"t": "39.4"})
    assert health_purge()["audit"] == 0
    assert health_purge(full=True)["audit"] == 1
    assert AuditEvent.objects.get(pk=late.pk).after == REDACTED
