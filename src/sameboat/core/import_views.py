"""The generic import page: choose a registered kind, upload, and follow the job; and each
kind's template to fill in. The kinds come from ``core.import_kinds`` (each app registers its
own), so this page names no domain; who may use a kind is the kind's own rule."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from sameboat.core.import_kinds import ImportKind, import_kind_for_job, import_kinds, import_kinds_for
from sameboat.core.import_text import ERROR_TITLE, error_shown
from sameboat.core.imports import SUFFIXES
from sameboat.core.jobs import job_create, job_label
from sameboat.core.models import Job
from sameboat.core.spreadsheets import csv_response, workbook_response, xlsx_response
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

# How many rows below the header the template's drop-down lists cover.
TEMPLATE_ROWS = 2000


def template_headers(spec: ImportKind) -> list[str]:
    """The template's header row in the active language, required columns marked."""
    return [str(c.label) + (" *" if c.required else "") for c in spec.columns]


def template_example(spec: ImportKind) -> list[str]:
    """The template's example row: marked in its first cell, so the importer leaves it out."""
    values = spec.example()
    row = [values.get(c.key, "") for c in spec.columns]
    if row:
        row[0] = _("Example: %(value)s") % {"value": row[0]}
    return row


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """A template to fill in, in the reader's language: a header row and an example row; the
    xlsx has drop-down lists for the columns with fixed values and an instructions sheet."""
    spec = import_kinds.get(kind)
    if spec is None or fmt not in {"csv", "xlsx"}:
        raise Http404
    if not spec.may_use(request.user):
        raise PermissionDenied
    headers = template_headers(spec)
    filename = f"sameboat-{kind}-template.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # so Excel opens Chinese headers correctly
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerow(template_example(spec))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return workbook_response(template_workbook(spec, headers), filename)


def template_workbook(spec: ImportKind, headers: list[str]) -> Any:
    """The xlsx template: the sheet to fill in, the instructions, the hidden lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = str(spec.label)[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(template_example(spec))
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
    sheet.freeze_panes = "A2"
    for i, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(header) * 2 + 4))
    notes = book.create_sheet(title=_("Instructions")[:31])
    _instructions(notes, spec)
    _drop_downs(book, sheet, spec)
    return book


def _instructions(notes: Any, spec: ImportKind) -> None:
    # The instructions sheet's own column titles are spreadsheet columns: "Notes" here is
    # not the notes of a follow-up case (pgettext keeps the two apart).
    notes.append(
        [
            pgettext("spreadsheet column", "Column"),
            pgettext("spreadsheet column", "Required"),
            pgettext("spreadsheet column", "Allowed values"),
            pgettext("spreadsheet column", "Notes"),
        ]
    )
    allowed = spec.allowed_values()
    for c in spec.columns:
        notes.append([str(c.label), _("yes") if c.required else _("no"), allowed.get(c.key, ""), str(c.help)])
    notes.append([])
    notes.append([_("Columns marked * are required. Headers may be in English or Chinese, in any order.")])
    notes.append([_("Only the first sheet is read, one row per record; the first row is the header.")])
    notes.append(
        [
            _(
                "The grey row below the header is an example: its first cell starts with “Example:”, and it is never "
                "imported. Write over it or leave it."
            )
        ]
    )
    if spec.choices():
        notes.append([_("Columns with a fixed set of values offer them in a drop-down list.")])
    notes.append([_("Every row is checked before anything is saved; importing the same file again changes nothing.")])
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["C"].width = 60
    notes.column_dimensions["D"].width = 60


def _drop_downs(book: Any, sheet: Any, spec: ImportKind) -> None:
    """A drop-down list for each column with fixed values, from a hidden sheet of lists (an
    inline list is limited to 255 characters and breaks on commas in a label)."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    choices = spec.choices()
    if not choices:
        return
    lists = book.create_sheet(title="lists")
    lists.sheet_state = "hidden"
    positions = {c.key: i for i, c in enumerate(spec.columns, start=1)}
    for n, (key, words) in enumerate(sorted(choices.items()), start=1):
        if key not in positions or not words:
            continue
        letter = get_column_letter(n)
        for row, word in enumerate(words, start=1):
            lists.cell(row=row, column=n, value=word)
        several = key in spec.several
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${len(words)}",
            allow_blank=True,
            # Where several values may be listed, the list helps and a typed list is allowed.
            errorStyle="warning" if several else "stop",
            showErrorMessage=True,
        )
        validation.error = (
            _("Not one of the listed values. Several values may be separated by “;”.")
            if several
            else _("Choose a value from the list.")
        )
        column = get_column_letter(positions[key])
        validation.add(f"{column}2:{column}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)


# --- The rejected rows of an import, to fix and import again -----------------------------------------

REJECTED_SUFFIX = "-rejected.jsonl"


def rejected_rows_url(job: Job) -> str:
    """Where to download the job's rejected rows ("" when it kept none)."""
    if not (job.result_file.name or "").endswith(REJECTED_SUFFIX) or import_kind_for_job(job.kind) is None:
        return ""
    return reverse("orgs:import_rejected", args=[job.pk, "xlsx"])


def rejected_rows_response(job: Job, fmt: str) -> HttpResponseBase:
    """The rows an import rejected, as they were uploaded, with an error column naming the
    field and the problem, in the reader's language; headers the importer reads back, so the
    corrected file imports as it is. The caller has decided the reader may see the job."""
    spec = import_kind_for_job(job.kind)
    name = job.result_file.name or ""
    if spec is None or fmt not in {"csv", "xlsx"} or not name.endswith(REJECTED_SUFFIX):
        raise Http404
    storage = job.result_file.storage
    if not storage.exists(name):
        raise Http404  # purged after SAMEBOAT_JOB_RESULT_TTL_HOURS
    titles = {c.key: str(c.label) for c in spec.columns}
    header = [*template_headers(spec), str(ERROR_TITLE)]
    filename = f"sameboat-{spec.key}-rejected-rows.{fmt}"
    rows = _rejected_rows(storage, name, spec, titles)
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, header, rows, sheet_title=str(spec.label))


def _rejected_rows(storage: Any, name: str, spec: ImportKind, titles: dict[str, str]) -> Iterator[list[str]]:
    """The stored rejected rows, one list of cells each; several problems of a row in one cell."""
    with storage.open(name, "rb") as raw:
        lines = (json.loads(line) for line in io.TextIOWrapper(raw, encoding="utf-8") if line.strip())
        next(lines, None)  # the columns the file was written with
        keys = [c.key for c in spec.columns]
        current: dict[str, Any] | None = None
        problems: list[str] = []
        for entry in lines:
            row = entry["error"].get("row")
            if current is not None and row != current["row"]:
                yield [*(current["values"].get(k, "") for k in keys), "; ".join(problems)]
                problems = []
            if current is None or row != current["row"]:
                current = {"row": row, "values": entry.get("values") or {}}
            shown = error_shown(entry["error"], titles)
            problems.append(
                _("%(column)s: %(problem)s") % {"column": shown["column"], "problem": shown["message"]}
                if shown["column"]
                else shown["message"]
            )
        if current is not None:
            yield [*(current["values"].get(k, "") for k in keys), "; ".join(problems)]
