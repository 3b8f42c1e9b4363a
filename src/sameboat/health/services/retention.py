"""Retention: raw check-ins, and every copy of their values, are kept for a limited time;
daily returns (aggregates) stay."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone

from sameboat.api.idempotency import KEEP as IDEMPOTENCY_KEEP
from sameboat.api.idempotency import idempotency_keys_purge
from sameboat.core import redaction
from sameboat.core.audit import Changes, audit
from sameboat.core.models import AuditEvent, Job, Notification
from sameboat.health.models import CaseNote, CheckIn, CheckInRevision, FollowUpCase, Quarantine

# Audit rows about these records may hold health values in their payloads (an admin's
# snapshot, a dismissed quarantine's reason): past the cutoff, their payloads go.
HEALTH_AUDIT_TYPES = tuple(m._meta.label_lower for m in (CheckIn, CheckInRevision, FollowUpCase, CaseNote, Quarantine))
# Events of those types whose payloads are structural by design (a day, a source, field
# names, a row id: see checkins._edit). They are most of the trail, a hundred thousand a
# day: rewriting them would cost much and remove nothing.
VALUE_FREE_ACTIONS = ("health.checkin.submitted", "health.checkin.edited", "health.case.noted")
PURGED = "health.retention.purged"


def retention_cutoff(today: datetime.date | None = None) -> datetime.date:
    """The first day whose check-ins are kept."""
    from sameboat.health.services.checkins import MAX_DAYS_BACK

    today = today or timezone.localdate()
    # Never purge a day that can still be filed or corrected: a late report for a purged day
    # would be counted a second time in a return that already holds the purged one.
    days = max(settings.SAMEBOAT_CHECKIN_RETENTION_DAYS, MAX_DAYS_BACK + 1)
    return today - datetime.timedelta(days=days)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def health_purge(
    *,
    actor: Any = None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    full: bool = False,
) -> dict[str, int]:
    """Remove every health value older than the retention period, wherever it was copied.

    Deleted: check-ins and their revisions, inbox messages of health events, idempotency
    keys, and the uploaded spreadsheets of check-in uploads. Redacted (the record stays,
    its values go): follow-up case reasons and notes, quarantine reasons, the row errors
    of check-in upload jobs, and the payloads of audit rows about health records. Cases
    and quarantines stay because the returns recount from them and officers need to know
    a person had one; their status and dates are not values the retention is about.

    Each batch is its own short transaction, so the purge never holds a long lock; a
    stopped run leaves a consistent state and the next run finishes it. A second run
    finds nothing to do. One audit event records the counts (no values).

    The audit trail only grows, so the trail is searched from the cutoff of the last run
    that finished (its event records it) rather than from the beginning; ``full`` searches
    all of it, for a run after a release that widens what the purge removes.
    """
    from sameboat.health.importers import KIND as UPLOAD_KIND

    now = now or timezone.now()
    before = retention_cutoff(today)
    since = _start_of(before)
    text = redaction.REDACTED_TEXT
    counts: dict[str, int] = {}
    counts["checkins"] = redaction.delete_in_chunks(CheckIn.objects.filter(day__lt=before))
    # Cascaded with their check-ins; none should be left, but an orphan would be a copy.
    counts["revisions"] = redaction.delete_in_chunks(CheckInRevision.objects.filter(checkin__day__lt=before))
    counts["case_reasons"] = redaction.update_in_chunks(
        FollowUpCase.objects.filter(opened_on__lt=before).exclude(reason=text), reason=text, reasons=[]
    )
    counts["case_notes"] = redaction.update_in_chunks(
        CaseNote.objects.filter(created_at__lt=since).exclude(text=text).exclude(text="", params__isnull=True),
        text=text,
        params=None,
    )
    counts["quarantine_reasons"] = redaction.update_in_chunks(
        Quarantine.objects.filter(start__lt=before).exclude(reason=text), reason=text, reasons=[]
    )
    notifications = Notification.objects.filter(event__startswith="health.", created_at__lt=since)
    # An admin's edit of such a message copied its context into the trail: redact those first.
    counts["audit"] = redaction.audit_redact(
        events=AuditEvent.objects.filter(
            object_type=Notification._meta.label_lower,
            object_id__in=notifications.annotate(sid=Cast("pk", CharField())).values("sid"),
        ),
        now=now,
    )
    counts["notifications"] = redaction.delete_in_chunks(notifications)
    health_events = AuditEvent.objects.filter(object_type__in=HEALTH_AUDIT_TYPES, at__lt=since).exclude(
        action__in=VALUE_FREE_ACTIONS
    )
    done = None if full else _last_cutoff()
    if done is not None:
        health_events = health_events.filter(at__gte=_start_of(done))
    counts["audit"] += redaction.audit_redact(events=health_events, now=now)
    # Keys hold the answers they replay (a check-in's values): gone with the values, and
    # sooner once no phone can still be retrying.
    counts["idempotency_keys"] = idempotency_keys_purge(before=min(since, now - IDEMPOTENCY_KEEP))
    old_uploads = Job.objects.filter(kind=UPLOAD_KIND, created_at__lt=since)
    counts["job_errors"] = redaction.update_in_chunks(old_uploads.exclude(errors=[]), errors=[])
    counts["files"] = _files_purge(old_uploads, now=now)
    if any(counts.values()):
        audit(PURGED, None, Changes(after={"before": before} | counts), actor=actor, object_repr=f"< {before}")
    return counts


def _last_cutoff() -> datetime.date | None:
    """The cutoff of the last purge that finished and removed something: everything in
    the trail before it was redacted then."""
    last = AuditEvent.objects.filter(action=PURGED).order_by("-at", "-id").values_list("after", flat=True).first()
    try:
        return datetime.date.fromisoformat(last["before"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return None


def _files_purge(uploads: Any, *, now: datetime.datetime) -> int:
    """Delete expired job files: the jobs module's own sweep, then any check-in upload
    older than the cutoff that its policy (a separate setting) still keeps."""
    from sameboat.core import jobs

    count = 0
    # Every kind's expired job files (inputs past the retry window, results past their TTL);
    # check-in uploads older than the cutoff go below whatever those settings say.
    count += jobs.job_files_purge(now=now)
    for job in uploads.exclude(input_file="").only("pk", "input_file").iterator():
        job.input_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(input_file="")
        count += 1
    # A failed upload's rejected rows (to fix and import again) quote temperatures too.
    for job in uploads.exclude(result_file="").only("pk", "result_file").iterator():
        job.result_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result_file="")
        count += 1
    return count
