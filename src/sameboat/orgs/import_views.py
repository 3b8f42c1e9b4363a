"""The import page: choose what to import, upload, and follow the job; and the templates."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
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
from sameboat.accounts.scoping import has_role, scope_paths
from sameboat.core.imports import SUFFIXES, Column
from sameboat.core.jobs import job_create, job_label
from sameboat.core.models import Job
from sameboat.core.spreadsheets import workbook_response
from sameboat.core.throttle import page_throttle
from sameboat.health.importers import COLUMNS as CHECKIN_COLUMNS
from sameboat.health.importers import KIND as CHECKIN_KIND
from sameboat.orgs.importers import EMPLOYEE_COLUMNS, ORG_COLUMNS
from sameboat.orgs.models import Organization, OrgKind


@dataclass(frozen=True)
class ImportKind:
    """One thing the page imports: its job, columns, who may, whether valid rows may be kept."""

    job_kind: str
    label: Any
    columns: tuple[Column, ...]
    roles: frozenset[str]
    keep_valid_allowed: bool


KINDS: dict[str, ImportKind] = {
    "employees": ImportKind(
        "orgs.import.employees", gettext_lazy("Employee roster"), EMPLOYEE_COLUMNS, ROSTER_ROLES, True
    ),
    "organizations": ImportKind(
        "orgs.import.organizations", gettext_lazy("Organisations"), ORG_COLUMNS, ADMIN_ROLES, True
    ),
    # Check-ins are always all-or-nothing: a half-loaded day would make the returns wrong.
    "checkins": ImportKind(
        CHECKIN_KIND, gettext_lazy("Daily check-ins (staff without phones)"), CHECKIN_COLUMNS, ROSTER_ROLES, False
    ),
}


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

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(k, KINDS[k].label) for k in kinds]
        kind.widget.attrs.update(
            {
                "data-testid": "import-kind",
                # jobs.js hides the checkbox for the kinds that are always all or nothing.
                "data-no-keep-valid": " ".join(k for k in kinds if not KINDS[k].keep_valid_allowed),
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


def allowed_kinds(user: Any) -> list[str]:
    """The kinds of import this person may start."""
    return [k for k, spec in KINDS.items() if has_role(user, *spec.roles)]


def _job_organization(user: Any, roles: frozenset[str]) -> Organization | None:
    # The job belongs to the top of the person's subtree, so the people above them (HQ)
    # can follow it too; a superuser's jobs stay their own.
    paths = scope_paths(user, roles)
    return Organization.objects.filter(path=paths[0]).first() if paths else None


@login_required
@page_throttle("import")
def import_start(request: HttpRequest) -> HttpResponse:
    """Choose a kind, upload, and go to the job's page to watch it."""
    kinds = allowed_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    initial = request.GET.get("kind")
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        kinds=kinds,
        initial={"kind": initial if initial in kinds else kinds[0]},
    )
    if request.method == "POST" and form.is_valid():
        spec = KINDS[form.cleaned_data["kind"]]
        job = job_create(
            actor=request.user,
            kind=spec.job_kind,
            organization=_job_organization(request.user, spec.roles),
            upload=form.cleaned_data["file"],
            options={"keep_valid": spec.keep_valid_allowed and form.cleaned_data["keep_valid"]},
        )
        return redirect("core:job_detail", job.pk)
    recent = Job.objects.filter(
        created_by_id=request.user.pk, kind__in=[spec.job_kind for spec in KINDS.values()]
    ).order_by("-created_at")[:10]
    return render(
        request,
        "orgs/import_start.html",
        {
            "form": form,
            "kinds": [(k, KINDS[k].label) for k in kinds],
            "recent": [(job, job_label(job.kind)) for job in recent],
            "limit_mb": round(settings.SAMEBOAT_IMPORT_MAX_BYTES / 1e6, 1),
        },
    )


# --- Templates to fill in ----------------------------------------------------------------------------


def _choices(choices: Any) -> str:
    return "; ".join(f"{value} ({label})" for value, label in choices.choices)


def _allowed_values(kind: str) -> dict[str, str]:
    """What each column accepts, for the instructions sheet (in the reader's language)."""
    from sameboat.health.models import CommuteMode, Symptom, WorkStatus
    from sameboat.health.services.checkins import MAX_DAYS_BACK

    yes_no = _("yes or no (是 or 否); empty means %(default)s")
    region = _("a region code known to Sameboat (Regions page), e.g. CN-SC")
    if kind == "employees":
        return {
            "employee_no": _("up to 40 characters, unique in the group; the same number updates the person"),
            "unit": _("the code of a unit you manage"),
            "email": _("an e-mail address, or empty"),
            "home_region": region,
            "active": yes_no % {"default": _("yes")},
        }
    if kind == "organizations":
        return {
            "code": _("up to 40 characters, unique; the same code updates the organisation"),
            "kind": _choices(OrgKind),
            "parent": _("the code of an organisation you manage, above in this file or already in Sameboat"),
            "country": _("two letters (ISO 3166), e.g. CN, LK, PK; empty means CN"),
            "region": region,
            "contact_email": _("an e-mail address, or empty"),
            "active": yes_no % {"default": _("yes")},
        }
    return {
        "employee_no": _("the number of a person on a roster you manage"),
        "day": _("YYYY-MM-DD: today or up to %(n)d days back") % {"n": MAX_DAYS_BACK},
        "temperature": _("°C, e.g. 36.5"),
        "symptoms": _("empty, or several separated by ; from: %(list)s") % {"list": _choices(Symptom)},
        "region": region,
        "travelled": yes_no % {"default": _("no")},
        "contact": yes_no % {"default": _("no")},
        "work_status": _choices(WorkStatus),
        "commute_mode": _choices(CommuteMode),
    }


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """A template to fill in: headers in the reader's language; xlsx has an instructions sheet."""
    spec = KINDS.get(kind)
    if spec is None or fmt not in {"csv", "xlsx"}:
        raise Http404
    if not has_role(request.user, *spec.roles):
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
    allowed = _allowed_values(kind)
    notes = book.create_sheet(title=_("Instructions")[:31])
    notes.append([_("Column"), _("Required"), _("Allowed values"), _("Notes")])
    for c in spec.columns:
        notes.append([str(c.label), _("yes") if c.required else _("no"), allowed.get(c.key, ""), str(c.help)])
    notes.append([])
    notes.append([_("Columns marked * are required. Headers may be in English or Chinese, in any order.")])
    notes.append([_("Only the first sheet is read, one row per record; the first row is the header.")])
    notes.append([_("Every row is checked before anything is saved; importing the same file again changes nothing.")])
    return workbook_response(book, filename)
