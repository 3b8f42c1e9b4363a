"""``{% pager_href page_param number %}``: the current query string with one page number
changed, for the shared pager (``core/_pagination.html``), whose page parameter is named by
the page that includes it (``page``, or ``cpage`` for a second list on the same page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def pager_href(context: template.Context, page_param: str, number: int) -> str:
    """``?…&<page_param>=<number>``, every other parameter (the filters) kept."""
    kwargs: dict[str, Any] = {page_param or "page": number}
    return str(querystring(context, **kwargs))
