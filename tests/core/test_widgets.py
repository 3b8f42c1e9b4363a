"""Date inputs get ISO values whatever the language: a browser's <input type="date"> rejects
anything else and shows an empty field (it showed `2026/12/02` in Chinese)."""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

import sameboat
from sameboat.core.widgets import DateField, IsoDateInput

DAY = datetime.date(2026, 12, 2)


class _Form(forms.Form):
    day = DateField(initial=DAY)
    when = DateField(required=False)


def _value(html: str) -> str:
    match = re.search(r'value="([^"]*)"', html)
    assert match, html
    return match.group(1)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_widget_writes_iso_in_every_language(language):
    with translation.override(language):
        html = IsoDateInput().render("day", DAY)
    assert 'type="date"' in html
    assert _value(html) == "2026-12-02"


def test_a_date_initial_renders_iso_in_chinese():
    with translation.override("zh-hans"):
        html = str(_Form()["day"])
        # Django's own DateInput writes the language's format here: the bug this widget ends.
        django_default = forms.DateInput(attrs={"type": "date"}).render("day", DAY)
    assert _value(html) == "2026-12-02"
    assert _value(django_default) != "2026-12-02"


def test_a_callable_initial_and_posted_values_stay_iso_in_chinese():
    class Later(forms.Form):
        day = DateField(initial=lambda: DAY)

    with translation.override("zh-hans"):
        assert _value(str(Later()["day"])) == "2026-12-02"
        bound = _Form({"day": "2026-12-03", "when": ""})
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data["day"] == datetime.date(2026, 12, 3)
        assert _value(str(bound["day"])) == "2026-12-03"


def _project_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(sameboat.__path__, "sameboat."):
        if ".migrations" in module.name or module.name.endswith((".wsgi", ".asgi")):
            continue
        importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("sameboat."):
            found.append(cls)
    return found


def test_every_date_field_of_the_project_uses_the_iso_widget():
    """Also the forms still to come: a date field with Django's plain DateInput fails here."""
    checked, wrong = 0, []
    for form in _project_forms():
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                checked += 1
                if not isinstance(field.widget, IsoDateInput):
                    wrong.append(f"{form.__module__}.{form.__name__}.{name}")
    assert checked >= 5  # the quarantine, release, region rule, leadership and audit forms
    assert not wrong, f"use sameboat.core.widgets.DateField for: {wrong}"


TEMPLATES = Path(sameboat.__file__).parent / "templates"


def test_templates_write_date_inputs_in_iso():
    """A date input written by hand formats its value and bounds with |date:'Y-m-d'."""
    wrong = []
    for path in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r"<input\b[^>]*\btype=\"date\"[^>]*>", path.read_text(encoding="utf-8")):
            for attr, expr in re.findall(r'\b(value|min|max)="\{\{\s*([^}]*?)\s*\}\}"', tag):
                if not re.search(r"\|date:['\"]Y-m-d['\"]$", expr):
                    wrong.append(f"{path.relative_to(TEMPLATES)}: {attr}={expr}")
    assert not wrong, wrong
