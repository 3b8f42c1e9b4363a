"""Pages of background jobs: a list of one's own, a job's page, and its polled status (here, not
in core, because who may read a job is a question of scope)."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sameboat.accounts.scoping import scope
from sameboat.accounts.selectors import job_get
from sameboat.core.forms import domain_errors
from sameboat.core.import_kinds import column_titles
from sameboat.core.import_text import error_shown, render_sentences, render_text
from sameboat.core.import_views import rejected_rows_url
from sameboat.core.jobs import (
    job_can_retry,
    job_failure_reason,
    job_label,
    job_reap_if_stale,
    job_retry,
    job_stage,
)
from sameboat.core.models import Job, JobStatus

# A job queued for longer than this is shown as waiting for the worker (it may be down).
WAITING_AFTER = datetime.timedelta(seconds=30)
ERRORS_SHOWN = 200
# Words for the counts importers return (unknown keys are not shown).
COUNT_LABELS = {
    "rows": _("Rows read"),
    "created": _("Created"),
    "updated": _("Updated"),
    "unchanged": _("Unchanged"),
    "skipped": _("Skipped (invalid rows)"),
    "units": _("Units"),
    "cases_opened": _("Follow-up cases opened"),
}


def _job(request: HttpRequest, pk: object) -> Job:
    # Visible to its creator and to anyone whose scope reaches its organisation.
    return job_reap_if_stale(job=job_get(user=request.user, pk=pk))


def _context(job: Job, user: object) -> dict[str, object]:
    result = job.result if isinstance(job.result, dict) else {}
    # A failed job lists why in job.errors; a job that kept the valid rows lists the rows it
    # skipped in its result. An import stores codes and values: they become words here, in the
    # reader's language, with the column titles of its kind.
    errors = job.errors if job.status == JobStatus.FAILED else result.get("errors") or []
    titles = column_titles(job.kind)
    reason = result.get("reason") if job.status == JobStatus.FAILED else None
    return {
        "job": job,
        "label": job_label(job.kind),
        "stage": job_stage(job),
        "polling": not job.is_finished,
        "waiting": job.status == JobStatus.QUEUED and timezone.now() - job.created_at > WAITING_AFTER,
        "errors": [error_shown(e, titles) for e in errors[:ERRORS_SHOWN]],
        "errors_note": render_text(result.get("errors_note", ""), titles),
        "reason": render_text(reason, titles) if reason else job_failure_reason(job),
        "summary": render_sentences(result.get("summary", "")) if job.status == JobStatus.SUCCEEDED else "",
        "rejected_url": rejected_rows_url(job),
        "result_counts": [(label, result[key]) for key, label in COUNT_LABELS.items() if key in result],
        "can_retry": job.status == JobStatus.FAILED and job_can_retry(job, user),
        "retry_of": job.options.get("retry_of") if isinstance(job.options, dict) else None,
    }


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The person's own recent jobs."""
    jobs = scope(Job.objects.select_related("organization"), request.user, own="created_by").filter(
        created_by_id=request.user.pk
    )
    page = Paginator(jobs.order_by("-created_at"), 25).get_page(request.GET.get("page"))
    rows = [(job, job_label(job.kind)) for job in page]
    return render(request, "core/job_list.html", {"page": page, "rows": rows})


@login_required
def job_detail(request: HttpRequest, pk: object) -> HttpResponse:
    """One job: what it is, how far it got, and its result or why it failed."""
    return render(request, "core/job_detail.html", _context(_job(request, pk), request.user))


@login_required
def job_status(request: HttpRequest, pk: object) -> HttpResponse:
    """The part of the job page that htmx polls every second while the job runs."""
    return render(request, "core/job_status.html", _context(_job(request, pk), request.user))


@login_required
@require_POST
def job_retry_view(request: HttpRequest, pk: object) -> HttpResponse:
    """Start a failed job again from its file (the person who started it)."""
    job = _job(request, pk)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied
    with domain_errors(request=request) as outcome:
        retry = job_retry(job=job, actor=request.user)
    return redirect("core:job_detail", pk=job.pk if outcome.failed else retry.pk)
