"""Regions and their risk rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sameboat.orgs import services
from sameboat.orgs.forms import (
    RegionRuleForm,
)
from sameboat.orgs.selectors import (
    region_get,
    region_organizations,
    region_rule_history,
    region_rule_on,
    region_rules_settable,
    regions_by_country,
)
from sameboat.orgs.views.common import (
    PAGE_SIZE,
    _require,
    _run,
)


@login_required
def regions(request: HttpRequest) -> HttpResponse:
    """Every region with the rule in force today, grouped by country (all on one page:
    regions are a few dozen rows of reference data)."""
    return render(request, "orgs/regions.html", {"countries": regions_by_country()})


@login_required
def region(request: HttpRequest, pk: int) -> HttpResponse:
    """A region's rule history, and HQ's form to set new rules."""
    place = region_get(pk=pk)
    can_set = region_rules_settable(user=request.user, region=place)
    form = RegionRuleForm(request.POST or None) if can_set else None
    if request.method == "POST":
        _require(can_set)
        assert form is not None
        if form.is_valid() and _run(
            form,
            lambda: services.region_rule_set(actor=request.user, region=place, **form.rule_values()),
            field_map={"max_onsite_ratio": "max_onsite_percent"},
        ):
            messages.success(request, _("The rules of %(region)s were recorded.") % {"region": place.name})
            return redirect("orgs:region", pk=place.pk)
    rules = Paginator(region_rule_history(region=place), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/region.html",
        {
            "region": place,
            "page": rules,
            "current": region_rule_on(region=place),
            "form": form,
            "organizations": region_organizations(user=request.user, region=place)[:100],
        },
    )
