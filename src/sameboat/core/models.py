"""Cross-cutting records: the audit trail, background jobs and the in-app inbox."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Creation and last-change times for records people edit."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One state change: who did what to which record, and its values before and after.

    Append-only: database triggers (migrations 0002, 0003) refuse UPDATE and DELETE on this
    table, on SQLite and PostgreSQL alike, so not even a bug in our code can rewrite history.
    The one exception is the retention purge's redaction of old payloads (core.redaction).
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the trail outlives the people in it
        related_name="+",
    )
    actor_repr = models.CharField(_("actor name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    # Set by the retention purge when it replaced the payloads above with a marker because
    # they held health values past the retention period (the one UPDATE the guard allows).
    redacted_at = models.DateTimeField(_("values removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """Long work done by the background worker (imports now; exports and reports later).

    The row is what the UI polls: status, progress, the stage in words, and either a
    result or the reasons for failure.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    input_file = models.FileField(_("input file"), upload_to="jobs/%Y/%m/", blank=True)
    input_name = models.CharField(_("file name"), max_length=255, blank=True)
    # What a job produces to download (an export, a report); deleted SAMEBOAT_JOB_RESULT_TTL_HOURS
    # after the job ends (sameboat.core.jobs.job_files_purge).
    result_file = models.FileField(_("result file"), upload_to="jobs/results/%Y/%m/", blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    result = models.JSONField(_("result"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    errors = models.JSONField(_("errors"), default=list, blank=True, encoder=DjangoJSONEncoder)
    error_message = models.TextField(_("reason for failure"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}


class Notification(models.Model):
    """One message in a person's in-app inbox.

    The text is not stored: ``event`` names a registered template (sameboat.core.notify)
    and ``params`` the codes, record ids and plain values it is filled with, in the
    reader's language and scope, when it is shown. ``context`` holds what rows written
    before ``params`` existed stored (text in the sender's language), kept as their fallback.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("event"), max_length=100)
    context = models.JSONField(_("context"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    params = models.JSONField(_("parameters"), null=True, blank=True, encoder=DjangoJSONEncoder)
    url = models.CharField(_("link"), max_length=500, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Set by senders that repeat themselves (reminders, alerts): the event, its subject and
    # its day. A person holds at most one row per key, so a second send is merged into the
    # first instead of landing twice in the inbox. Empty: never merged.
    merge_key = models.CharField(_("merge key"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "merge_key"],
                condition=~models.Q(merge_key=""),
                name="notification_merged_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id}"


class HealthProbe(models.Model):
    """One row the health probe rewrites, to prove the database accepts a write.

    A read (SELECT 1) answers even while another process holds SQLite's write lock or
    PostgreSQL is read-only, so /healthz would say OK to a database nobody can write to.
    """

    id = models.PositiveSmallIntegerField(primary_key=True)
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        verbose_name = _("health probe")
        verbose_name_plural = _("health probes")

    def __str__(self) -> str:
        return f"health probe {self.checked_at:%Y-%m-%d %H:%M:%S}"
