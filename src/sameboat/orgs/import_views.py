"""The import page: choose what to import, upload, and follow the job; and the templates."""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sameboat.accounts.roles import ADMIN_ROLES, ROSTER_ROLES
from sameboat.core.imports import Column
from sameboat.core.jobs import job_create, job_label
from sameboat.core.models import Job
from sameboat.core.scoping import has_role
from sameboat.core.spreadsheets import workbook_response
from sameboat.health.importers import COLUMNS as CHECKIN_COLUMNS
from sameboat.health.importers import KIND as CHECKIN_KIND
from sameboat.orgs.importers import EMPLOYEE_COLUMNS, ORG_COLUMNS

# kind in the URL → (job kind, columns, roles that may import it, whether "keep valid rows" applies)
KINDS: dict[str, tuple[str, tuple[Column, ...], frozenset[str], bool]] = {
    "employees": ("orgs.import.employees", EMPLOYEE_COLUMNS, ROSTER_ROLES, True),
    "organizations": ("orgs.import.organizations", ORG_COLUMNS, ADMIN_ROLES, True),
    "checkins": (CHECKIN_KIND, CHECKIN_COLUMNS, ROSTER_ROLES, False),
}
KIND_LABELS = {
    "employees": gettext_lazy("Employee roster"),
    "organizations": gettext_lazy("Organisations"),
    "checkins": gettext_lazy("Daily check-ins (staff without phones)"),
}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"))
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))
    keep_valid = forms.BooleanField(
        label=gettext_lazy("Keep the valid rows if some rows are wrong"),
        required=False,
        help_text=gettext_lazy("Otherwise nothing is imported until every row is right. Not for check-ins."),
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(k, KIND_LABELS[k]) for k in kinds]
        self.fields["kind"].widget.attrs["data-testid"] = "import-kind"
        self.fields["file"].widget.attrs.update({"data-testid": "import-file", "accept": ".xlsx,.csv"})

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.SAMEBOAT_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1e6, 1), "limit": round(settings.SAMEBOAT_IMPORT_MAX_BYTES / 1e6)}
            )
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


def _allowed(user: Any) -> list[str]:
    return [k for k, (_job, _cols, roles, _keep) in KINDS.items() if has_role(user, *roles)]


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    """Choose a kind, upload, and go to the job's page to watch it."""
    kinds = _allowed(request.user)
    if not kinds:
        raise PermissionDenied
    form = ImportForm(
        request.POST or None, request.FILES or None, kinds=kinds, initial={"kind": request.GET.get("kind", kinds[0])}
    )
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        job_kind, _cols, _roles, keep_allowed = KINDS[kind]
        job = job_create(
            actor=request.user,
            kind=job_kind,
            upload=form.cleaned_data["file"],
            options={"keep_valid": keep_allowed and form.cleaned_data["keep_valid"]},
        )
        return redirect("core:job_detail", job.pk)
    recent = Job.objects.filter(created_by_id=request.user.pk, kind__in=[KINDS[k][0] for k in KINDS]).order_by(
        "-created_at"
    )[:10]
    return render(
        request,
        "orgs/import_start.html",
        {
            "form": form,
            "kinds": [(k, KIND_LABELS[k]) for k in kinds],
            "recent": [(job, job_label(job.kind)) for job in recent],
        },
    )


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """A template to fill in: headers in the reader's language; xlsx has an instructions sheet."""
    if kind not in KINDS or fmt not in {"csv", "xlsx"}:
        raise Http404
    _job, columns, roles, _keep = KINDS[kind]
    if not has_role(request.user, *roles):
        raise PermissionDenied
    headers = [str(c.label) + (" *" if c.required else "") for c in columns]
    filename = f"sameboat-{kind}-template.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        csv.writer(out).writerow(headers)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(KIND_LABELS[kind])[:31])
    sheet.append(headers)
    notes = book.create_sheet(title=_("Instructions")[:31])
    notes.append([_("Column"), _("Required"), _("What to put in it")])
    for c in columns:
        notes.append([str(c.label), _("yes") if c.required else _("no"), str(c.help)])
    notes.append([])
    notes.append([_("Headers may be in English or Chinese. The first sheet is read; one row per record.")])
    return workbook_response(book, filename)
