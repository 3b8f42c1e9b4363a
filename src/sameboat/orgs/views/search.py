"""The organisation picker's search: what a person may choose, as they type."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from sameboat.core.i18n import pick
from sameboat.orgs.models import Organization
from sameboat.orgs.picker import picker_label
from sameboat.orgs.selectors import organization_search

MAX_QUERY = 100


def _other_name(org: Organization) -> str:
    """The name in the other language, so a name typed in either one is recognised."""
    other = pick(org.name_en, org.name_zh)
    return "" if other == org.name else other


@login_required
@require_GET
def org_search(request: HttpRequest) -> JsonResponse:
    """Organisations in the person's scope matching ``?q=`` (code or name, either language),
    as ``{"results": [{"value", "label", "detail"}]}``: nothing outside the scope is named."""
    text = request.GET.get("q", "")[:MAX_QUERY]
    results = [
        {
            "value": org.code,
            "label": picker_label(org),
            "detail": " · ".join(part for part in (_other_name(org), org.code) if part),
        }
        for org in organization_search(user=request.user, text=text)
    ]
    return JsonResponse({"results": results})
