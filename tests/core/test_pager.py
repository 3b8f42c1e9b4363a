"""The one pager (core/_pagination.html): the page parameter changes, the filters stay."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def _render(query: str, **context):
    request = RequestFactory().get(f"/list/?{query}")
    with translation.override("en"):
        return render_to_string("core/_pagination.html", context, request=request)


def test_the_pager_keeps_the_filters_and_changes_the_page():
    page = Paginator(list(range(120)), 50).page(2)
    html = _render("org=7&search=li&page=2", page=page)
    assert 'href="?org=7&amp;search=li&amp;page=1"' in html and 'rel="prev"' in html
    assert 'href="?org=7&amp;search=li&amp;page=3"' in html and 'rel="next"' in html
    assert "Page 2 of 3 · 120 items" in html and 'data-testid="pager"' in html


def test_a_second_list_names_its_own_parameter_and_anchor():
    page = Paginator(list(range(30)), 10).page(1)
    html = _render("page=4&cpage=1", page=page, page_param="cpage", anchor="#children")
    assert 'href="?page=4&amp;cpage=2#children"' in html  # the main list's page is kept
    assert "pager-prev" not in html
