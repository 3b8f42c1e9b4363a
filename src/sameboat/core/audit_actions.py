"""Core's audit action codes: background jobs, and every change made in the admin."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sameboat.core.audit import StrOrPromise

# The admin records ``admin.<app>.<model>.<verb>`` for whatever model it edits.
_ADMIN_VERBS: dict[str, Promise] = {
    "added": _("Added in the admin: %(model)s"),
    "changed": _("Changed in the admin: %(model)s"),
    "deleted": _("Deleted in the admin: %(model)s"),
    "moved": _("Moved in the admin: %(model)s"),
}


def admin_action_label(code: str) -> str:
    """``admin.orgs.organization.added`` -> "Added in the admin: organisation"."""
    parts = code.split(".")
    if len(parts) != 4 or parts[3] not in _ADMIN_VERBS:
        return str(_("Changed in the admin"))
    try:
        model: str = str(apps.get_model(parts[1], parts[2])._meta.verbose_name)
    except LookupError:  # a model that no longer exists
        model = f"{parts[1]}.{parts[2]}"
    return str(_ADMIN_VERBS[parts[3]] % {"model": model})


AUDIT_ACTIONS: dict[str, StrOrPromise | Callable[[str], StrOrPromise]] = {
    "core.job.queued": _("Background job queued"),
    "core.job.succeeded": _("Background job finished"),
    "core.job.failed": _("Background job failed"),
    "core.job.reaped": _("Background job stopped: its worker was lost"),
    "core.job.retried": _("Background job retried"),
    "core.job.files_purged": _("Old job files deleted"),
    "admin.*": admin_action_label,
}

# Keys of audit payloads that are no field of the record's model, with their labels
# (core.audit_display): a job's, the retention's, and a read's filters.
AUDIT_FIELDS = {
    "file": _("File"),
    "result": _("Result"),
    "reason": _("Reason"),
    "retry": _("Retry"),
    "retry_of": _("Retry of"),
    "deleted": _("Deleted"),
    "redacted": _("Values removed after the retention period"),
    "count": _("Count"),
    "all": _("All"),
    "read": _("Records read"),
    "filter": _("Filter"),
    "fields": _("Fields"),
    "org": _("Organisation"),
    "day": _("Day"),
    "status": _("Status"),
    "show": _("Show"),
    "q": _("Search"),
    "page": _("Page"),
    "unread": _("Unread only"),
    "size": _("Size"),
    "format": _("Format"),
    # An import's result (sameboat.site.job_views shows the same counts).
    "summary": _("Summary"),
    "rows": _("Rows read"),
    "created": _("Created"),
    "updated": _("Updated"),
    "unchanged": _("Unchanged"),
    "skipped": _("Skipped (invalid rows)"),
    "units": _("Units"),
    "cases_opened": _("Follow-up cases opened"),
    "errors": _("Errors"),
    "errors_note": _("Note"),
    "row": _("Row"),
    "column": _("Column"),
    "message": _("Problem"),
}
