"""The generic import page: choose a registered kind, upload, and follow the job; and each
kind's template to fill in. The kinds come from ``core.import_kinds`` (each app registers its
own), so this page names no domain; who may use a kind is the kind's own rule."""

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

from sameboat.core.import_kinds import ImportKind, import_kinds, import_kinds_for
from sameboat.core.imports import SUFFIXES
from sameboat.core.jobs import job_create, job_label
from sameboat.core.models import Job
from sameboat.core.spreadsheets import workbook_response
from sameboat.core.throttle import page_throttle


class ImportForm(forms.Form):
    """What to import, the file, and whether to keep the valid rows."""

    kind = forms.ChoiceField(label=gettext_lazy("What to import"))
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))
    keep_valid = forms.BooleanField(
        label=gettext_lazy("Keep the valid rows if some rows are wrong"),
        required=False,
        help_text=gettext_lazy(
            "Otherwise nothing is imported until every row is right. Check-ins are always all or nothing."
        ),
    )

    def __init__(self, *args: Any, kinds: list[ImportKind], **kwargs: Any):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(k.key, k.label) for k in kinds]
        kind.widget.attrs.update(
            {
                "data-testid": "import-kind",
                # jobs.js hides the checkbox for the kinds that are always all or nothing.
                "data-no-keep-valid": " ".join(k.key for k in kinds if not k.keep_valid_allowed),
            }
        )
        self.fields["file"].widget.attrs.update({"data-testid": "import-file", "accept": ",".join(SUFFIXES)})
        self.fields["keep_valid"].widget.attrs["data-testid"] = "import-keep-valid"

    def clean_file(self) -> Any:
        """Refuse at upload what the worker could never read: too big, wrong type, empty."""
        upload = self.cleaned_data["file"]
        limit = settings.SAMEBOAT_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1e6, 1), "limit": round(limit / 1e6, 1)}
            )
        if not (upload.name or "").lower().endswith(SUFFIXES):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


@login_required
@page_throttle("import")
def import_start(request: HttpRequest) -> HttpResponse:
    """Choose a kind, upload, and go to the job's page to watch it."""
    kinds = import_kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    keys = [k.key for k in kinds]
    initial = request.GET.get("kind")
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        kinds=kinds,
        initial={"kind": initial if initial in keys else keys[0]},
    )
    if request.method == "POST" and form.is_valid():
        spec = import_kinds[form.cleaned_data["kind"]]
        job = job_create(
            actor=request.user,
            kind=spec.job_kind,
            organization=spec.owner(request.user),
            upload=form.cleaned_data["file"],
            options={"keep_valid": spec.keep_valid_allowed and form.cleaned_data["keep_valid"]},
        )
        return redirect("core:job_detail", job.pk)
    recent = Job.objects.filter(
        created_by_id=request.user.pk, kind__in=[spec.job_kind for spec in import_kinds]
    ).order_by("-created_at")[:10]
    return render(
        request,
        "core/import_start.html",
        {
            "form": form,
            "kinds": [(k.key, k.label) for k in kinds],
            "recent": [(job, job_label(job.kind)) for job in recent],
            "limit_mb": round(settings.SAMEBOAT_IMPORT_MAX_BYTES / 1e6, 1),
        },
    )


# --- Templates to fill in ----------------------------------------------------------------------------


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """A template to fill in: headers in the reader's language; xlsx has an instructions sheet."""
    spec = import_kinds.get(kind)
    if spec is None or fmt not in {"csv", "xlsx"}:
        raise Http404
    if not spec.may_use(request.user):
        raise PermissionDenied
    headers = [str(c.label) + (" *" if c.required else "") for c in spec.columns]
    filename = f"sameboat-{kind}-template.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # so Excel opens Chinese headers correctly
        csv.writer(out).writerow(headers)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(spec.label)[:31])
    sheet.append(headers)
    allowed = spec.allowed_values()
    notes = book.create_sheet(title=_("Instructions")[:31])
    notes.append([_("Column"), _("Required"), _("Allowed values"), _("Notes")])
    for c in spec.columns:
        notes.append([str(c.label), _("yes") if c.required else _("no"), allowed.get(c.key, ""), str(c.help)])
    notes.append([])
    notes.append([_("Columns marked * are required. Headers may be in English or Chinese, in any order.")])
    notes.append([_("Only the first sheet is read, one row per record; the first row is the header.")])
    notes.append([_("Every row is checked before anything is saved; importing the same file again changes nothing.")])
    return workbook_response(book, filename)
