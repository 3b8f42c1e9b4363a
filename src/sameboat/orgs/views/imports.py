"""The rejected rows of an import, to download: here rather than in core because who may read
a job is a question of scope (core builds the file, ``core.import_views``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from sameboat.accounts.selectors import job_get
from sameboat.core.import_views import rejected_rows_response


@login_required
def import_rejected(request: HttpRequest, pk: object, fmt: str) -> HttpResponseBase:
    """The rows a job rejected, with their problems: for whoever may follow the job (404 otherwise)."""
    return rejected_rows_response(job_get(user=request.user, pk=pk), fmt)
